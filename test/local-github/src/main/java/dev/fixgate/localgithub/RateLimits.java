package dev.fixgate.localgithub;

import dev.fixgate.localgithub.Model.AccountType;
import dev.fixgate.localgithub.Model.Installation;
import dev.fixgate.localgithub.Model.Principal;
import dev.fixgate.localgithub.Model.Team;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * GitHub's primary REST rate limit ("core"), counted the way GitHub counts it: per <em>installation</em> for
 * installation tokens (every token of one installation shares one budget; minting a new token does not reset it),
 * per user for user tokens, per app for the app's JWT, and per client for anonymous calls (one loopback client here).
 *
 * <p>An installation's limit follows GitHub's documented rule for GitHub App installations (not on an Enterprise
 * Cloud organisation, which the model does not have): 5,000 requests an hour, plus 50 for each repository above 20
 * the installation can reach and 50 for each organisation user above 20, at most 12,500. Users, apps' JWTs: 5,000;
 * anonymous: 60. Windows are fixed clock hours of the hub's clock; {@code X-RateLimit-Reset} is the window's end.
 * Callers hold the hub's lock for {@link #quota} (it reads repositories and teams).
 */
final class RateLimits {

    static final int INSTALLATION_MINIMUM = 5000;
    static final int INSTALLATION_MAXIMUM = 12_500;
    static final int PER_EXTRA = 50;
    static final int FREE_REPOSITORIES = 20;
    static final int FREE_USERS = 20;
    static final int USER = 5000;
    static final int APP = 5000;
    static final int ANONYMOUS = 60;

    /** Whose budget a request spends, and how big that budget is. */
    record Quota(String key, int limit) {}

    /** One budget in the current window: the values of the {@code X-RateLimit-*} headers. */
    record State(int limit, int used, long reset) {

        int remaining() {
            return Math.max(0, limit - used);
        }

        boolean exceeded() {
            return used > limit;
        }
    }

    private final Hub hub;
    private final Map<String, int[]> used = new HashMap<>();

    RateLimits(Hub hub) {
        this.hub = hub;
    }

    /** The budget {@code p} spends. The caller holds the hub's lock. */
    Quota quota(Principal p) {
        return switch (p) {
            case Principal.AsInstallation i -> new Quota("installation:" + i.installation().id,
                    installationLimit(i.installation()));
            case Principal.User u -> new Quota("user:" + u.account().id, USER);
            case Principal.AsApp a -> new Quota("app:" + a.app().id, APP);
            case Principal.Anonymous a -> new Quota("anonymous", ANONYMOUS);
        };
    }

    /** GitHub's rule for an installation: 5,000 + 50 per repository over 20 + 50 per user over 20, at most 12,500. */
    int installationLimit(Installation i) {
        long repos = hub.repos.values().stream().filter(r -> r.owner == i.account).count();
        int users = organisationUsers(i);
        long limit = INSTALLATION_MINIMUM + PER_EXTRA * Math.max(0, repos - FREE_REPOSITORIES)
                + (long) PER_EXTRA * Math.max(0, users - FREE_USERS);
        return (int) Math.min(INSTALLATION_MAXIMUM, limit);
    }

    /** An organisation's users (the model's membership is team membership); 0 for an installation on a user. */
    private int organisationUsers(Installation i) {
        if (i.account.type != AccountType.Organization) {
            return 0;
        }
        Set<Long> members = new HashSet<>();
        for (Team t : hub.teams.of(i.account)) {
            t.members.forEach(m -> members.add(m.id));
        }
        return members.size();
    }

    /** Spends one request of {@code q}'s budget in the current window and says where the budget stands. */
    State take(Quota q) {
        return count(q, 1);
    }

    /** Where {@code q}'s budget stands, spending nothing ({@code GET /rate_limit} is free on GitHub). */
    State peek(Quota q) {
        return count(q, 0);
    }

    /**
     * Gives back the request just taken: GitHub does not count a conditional request answered {@code 304 Not
     * Modified} when it was made with credentials.
     */
    State refund(Quota q) {
        return count(q, -1);
    }

    private State count(Quota q, int n) {
        long window = hub.now().getEpochSecond() / 3600;
        int u;
        synchronized (used) {
            used.keySet().removeIf(k -> !k.endsWith("@" + window));
            int[] c = used.computeIfAbsent(q.key() + "@" + window, k -> new int[1]);
            c[0] = Math.max(0, c[0] + n);
            u = c[0];
        }
        return new State(q.limit(), u, (window + 1) * 3600);
    }
}
