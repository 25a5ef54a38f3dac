package dev.fixgate.localgithub;

import dev.fixgate.localgithub.Model.Account;
import dev.fixgate.localgithub.Model.AccountType;
import dev.fixgate.localgithub.Model.Principal;
import dev.fixgate.localgithub.Model.Team;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Organisation teams: created and staffed through {@link LocalGitHub} (GitHub's REST calls for that are not
 * served), read through the teams API and requested as pull request reviewers. Called with the hub's lock held.
 */
final class Teams {

    /** What GitHub makes of a team name: lower case, digits, dashes (we take the slug as given and check it). */
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9_.-]*");

    private final Hub hub;
    private final Map<String, Team> all = new LinkedHashMap<>();

    Teams(Hub hub) {
        this.hub = hub;
    }

    private static String key(Account org, String slug) {
        return org.login.toLowerCase(Locale.ROOT) + "/" + slug.toLowerCase(Locale.ROOT);
    }

    Team create(Account org, String slug, List<Account> members) {
        if (org.type != AccountType.Organization) {
            throw new IllegalArgumentException(org.login + " is not an organisation; only organisations have teams");
        }
        if (!SLUG.matcher(slug).matches()) {
            throw new IllegalArgumentException("not a team slug (lower case, digits, '-', '_', '.'): " + slug);
        }
        if (all.containsKey(key(org, slug))) {
            throw new IllegalArgumentException("team exists: " + org.login + "/" + slug);
        }
        members.forEach(Teams::requireUser);
        Team t = new Team(hub.nextId(), org, slug, hub.now());
        t.members.addAll(members);
        all.put(key(org, slug), t);
        return t;
    }

    void addMember(Team t, Account user) {
        requireUser(user);
        if (t.members.add(user)) {
            t.updatedAt = hub.now();
        }
    }

    void removeMember(Team t, Account user) {
        if (t.members.remove(user)) {
            t.updatedAt = hub.now();
        }
    }

    private static void requireUser(Account a) {
        if (a.type != AccountType.User) {
            throw new IllegalArgumentException("only users can be team members, not " + a.type + " " + a.login);
        }
    }

    Optional<Team> find(Account org, String slug) {
        return Optional.ofNullable(all.get(key(org, slug)));
    }

    Team require(String org, String slug) {
        Account o = hub.requireAccount(org);
        return find(o, slug).orElseThrow(() -> new IllegalArgumentException("no team " + org + "/" + slug));
    }

    List<Team> of(Account org) {
        return all.values().stream().filter(t -> t.org == org).toList();
    }

    Optional<Team> byId(long id) {
        return all.values().stream().filter(t -> t.id == id).findFirst();
    }

    /**
     * The organisation, if the caller may read its teams: authentication is required; an installation must be on
     * that organisation and its app must have the {@code members} permission (GitHub's rule for the teams API);
     * any user may read them (the model has no organisation membership apart from teams). 404 for an unknown org.
     */
    Account readableOrg(String login, Principal p) {
        if (p instanceof Principal.Anonymous) {
            throw ApiException.requiresAuth();
        }
        Account org = hub.account(login).filter(a -> a.type == AccountType.Organization)
                .orElseThrow(ApiException::notFound);
        if (p instanceof Principal.AsInstallation i && (i.installation().account != org
                || Hub.level(i.installation().app.permissions.getOrDefault("members", "none")) < Hub.level("read"))) {
            throw ApiException.forbidden("Resource not accessible by integration");
        }
        return org;
    }

    /** A team the caller may read, by org login and slug; 404 when there is none. */
    Team readable(String org, String slug, Principal p) {
        return find(readableOrg(org, p), slug).orElseThrow(ApiException::notFound);
    }

    /** The same by the ids in a team's {@code url} ({@code /organizations/{org_id}/team/{team_id}}). */
    Team readableById(long orgId, long teamId, Principal p) {
        if (p instanceof Principal.Anonymous) {
            throw ApiException.requiresAuth();
        }
        Team t = byId(teamId).filter(x -> x.org.id == orgId).orElseThrow(ApiException::notFound);
        readableOrg(t.org.login, p);
        return t;
    }
}
