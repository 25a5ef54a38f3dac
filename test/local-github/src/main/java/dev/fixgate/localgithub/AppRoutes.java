package dev.fixgate.localgithub;

import dev.fixgate.localgithub.Model.Account;
import dev.fixgate.localgithub.Model.App;
import dev.fixgate.localgithub.Model.Installation;
import dev.fixgate.localgithub.Model.Principal;
import dev.fixgate.localgithub.Model.Repo;
import dev.fixgate.localgithub.Rest.Auth;
import dev.fixgate.localgithub.Rest.Req;
import dev.fixgate.localgithub.Rest.Res;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/** The app (JWT), its installations and installation tokens, webhook deliveries, users and the rate limit. */
final class AppRoutes {

    private final Hub hub;

    AppRoutes(Hub hub) {
        this.hub = hub;
    }

    void register(Rest rest) {
        rest.add("GET", "/app", Auth.APP_JWT, r -> Res.ok(hub.shapes.app(app(r), Shapes.Flavor.REST)));
        rest.add("GET", "/app/installations", Auth.APP_JWT, this::installations);
        rest.add("GET", "/app/installations/{installation_id}", Auth.APP_JWT,
                r -> Res.ok(hub.shapes.installation(installation(r), Shapes.Flavor.REST)));
        rest.add("POST", "/app/installations/{installation_id}/access_tokens", Auth.APP_JWT, this::token);
        rest.add("GET", "/repos/{owner}/{repo}/installation", Auth.APP_JWT, this::repoInstallation);
        rest.add("GET", "/orgs/{org}/installation", Auth.APP_JWT, r -> accountInstallation(r, r.p("org")));
        rest.add("GET", "/users/{username}/installation", Auth.APP_JWT, r -> accountInstallation(r, r.p("username")));
        rest.add("GET", "/app/hook/deliveries", Auth.APP_JWT, this::deliveries);
        rest.add("GET", "/app/hook/deliveries/{delivery_id}", Auth.APP_JWT, this::delivery);
        rest.add("POST", "/app/hook/deliveries/{delivery_id}/attempts", Auth.APP_JWT, this::redeliver);
        rest.get("/installation/repositories", this::installationRepos);
        rest.get("/user", this::me);
        rest.get("/users/{username}", r -> Res.ok(userJson(hub.account(r.p("username")).orElseThrow(ApiException::notFound))
                .put("user_view_type", "public")));
        rest.get("/rate_limit", r -> rateLimit(r, rest.rateLimits()));
    }

    private static App app(Req r) {
        return ((Principal.AsApp) r.principal()).app();
    }

    private Installation installation(Req r) {
        Installation i = hub.installations.get(r.id("installation_id"));
        if (i == null || i.app != app(r)) {
            throw ApiException.notFound();
        }
        return i;
    }

    private Res installations(Req r) {
        List<ObjectNode> out = new ArrayList<>();
        for (Installation i : hub.installations.values()) {
            if (i.app == app(r)) {
                out.add(hub.shapes.installation(i, Shapes.Flavor.REST));
            }
        }
        return Res.page(out);
    }

    private Res token(Req r) {
        Installation i = installation(r);
        Map.Entry<String, Instant> t = hub.installationToken(i);
        ObjectNode o = Json.obj();
        o.put("token", t.getKey());
        Json.putTime(o, "expires_at", t.getValue());
        ObjectNode perms = o.putObject("permissions");
        i.app.permissions.forEach(perms::put);
        o.put("repository_selection", "all");
        return Res.created(o);
    }

    private Res repoInstallation(Req r) {
        Repo repo = hub.repo(r.p("owner"), r.p("repo")).orElseThrow(ApiException::notFound);
        return accountInstallation(r, repo.owner.login);
    }

    private Res accountInstallation(Req r, String login) {
        Account a = hub.account(login).orElseThrow(ApiException::notFound);
        for (Installation i : hub.installations.values()) {
            if (i.app == app(r) && i.account == a) {
                return Res.ok(hub.shapes.installation(i, Shapes.Flavor.REST));
            }
        }
        throw ApiException.notFound();
    }

    private ObjectNode deliveryItem(Delivery d) {
        ObjectNode o = Json.obj();
        o.put("id", d.id());
        o.put("guid", d.guid());
        Json.putTime(o, "delivered_at", d.deliveredAt());
        o.put("redelivery", d.redelivery());
        o.put("duration", d.durationMillis() / 1000.0);
        o.put("status", d.status());
        o.put("status_code", d.statusCode());
        o.put("event", d.event());
        Json.putOrNull(o, "action", d.action().orElse(null));
        o.put("installation_id", d.installationId());
        if (d.repositoryId().isPresent()) {
            o.put("repository_id", d.repositoryId().get());
        } else {
            o.putNull("repository_id");
        }
        o.putNull("throttled_at");
        return o;
    }

    private List<Delivery> mine(Req r) {
        return hub.webhooks.all().stream().filter(d -> hub.installations.containsKey(d.installationId())
                && hub.installations.get(d.installationId()).app == app(r)).toList();
    }

    private Res deliveries(Req r) {
        List<ObjectNode> out = new ArrayList<>();
        List<Delivery> all = new ArrayList<>(mine(r));
        java.util.Collections.reverse(all);
        all.forEach(d -> out.add(deliveryItem(d)));
        return Res.page(out);
    }

    private Res delivery(Req r) {
        long id = r.id("delivery_id");
        Delivery d = mine(r).stream().filter(x -> x.id() == id).findFirst().orElseThrow(ApiException::notFound);
        ObjectNode o = deliveryItem(d);
        o.put("url", "");
        ObjectNode req = o.putObject("request");
        ObjectNode headers = req.putObject("headers");
        d.headers().forEach(headers::put);
        req.set("payload", Json.read(d.payload()));
        ObjectNode res = o.putObject("response");
        res.putObject("headers");
        res.putNull("payload");
        return Res.ok(o);
    }

    private Res redeliver(Req r) {
        long id = r.id("delivery_id");
        if (mine(r).stream().noneMatch(x -> x.id() == id)) {
            throw ApiException.notFound();
        }
        hub.webhooks.redeliver(id);
        return Res.status(202, Json.obj());
    }

    private Res installationRepos(Req r) {
        if (!(r.principal() instanceof Principal.AsInstallation i)) {
            throw ApiException.forbidden("Resource not accessible by personal access token");
        }
        List<ObjectNode> out = new ArrayList<>();
        for (Repo repo : hub.repos.values()) {
            if (repo.owner == i.installation().account) {
                out.add(hub.repoJson(repo, r.principal()));
            }
        }
        ObjectNode o = Json.obj();
        o.put("total_count", out.size());
        var arr = o.putArray("repositories");
        out.forEach(arr::add);
        o.put("repository_selection", "all");
        return Res.ok(o);
    }

    private ObjectNode userJson(Account a) {
        ObjectNode o = hub.shapes.user(a);
        o.put("name", a.name);
        Json.putOrNull(o, "company", null);
        o.putNull("blog");
        o.putNull("location");
        o.put("email", a.email);
        o.putNull("hireable");
        o.putNull("bio");
        o.put("public_repos", (int) hub.repos.values().stream().filter(x -> x.owner == a && !x.isPrivate).count());
        o.put("public_gists", 0);
        o.put("followers", 0);
        o.put("following", 0);
        Json.putTime(o, "created_at", a.createdAt);
        Json.putTime(o, "updated_at", a.createdAt);
        return o;
    }

    private Res me(Req r) {
        if (!(r.principal() instanceof Principal.User u)) {
            throw r.principal() instanceof Principal.Anonymous ? ApiException.requiresAuth()
                    : ApiException.forbidden("Resource not accessible by integration");
        }
        // The authenticated user sees the private view of themselves.
        ObjectNode o = userJson(u.account());
        o.put("user_view_type", "private");
        o.put("private_gists", 0);
        o.put("total_private_repos", (int) hub.repos.values().stream().filter(x -> x.owner == u.account() && x.isPrivate).count());
        o.put("owned_private_repos", o.get("total_private_repos").asInt());
        o.put("disk_usage", 0);
        o.put("collaborators", 0);
        o.put("two_factor_authentication", false);
        return Res.ok(o);
    }

    /** {@code GET /rate_limit}: the caller's budget as the headers report it (reading it spends nothing). */
    private Res rateLimit(Req r, RateLimits limits) {
        RateLimits.State st = limits.peek(limits.quota(r.principal()));
        ObjectNode core = Json.obj();
        core.put("limit", st.limit());
        core.put("remaining", st.remaining());
        core.put("reset", st.reset());
        core.put("used", st.used());
        ObjectNode o = Json.obj();
        ObjectNode resources = o.putObject("resources");
        resources.set("core", core);
        resources.set("search", core.deepCopy());
        o.set("rate", core.deepCopy());
        return Res.ok(o);
    }
}
