package dev.fixgate.localgithub;

import dev.fixgate.localgithub.Model.Account;
import dev.fixgate.localgithub.Model.Team;
import dev.fixgate.localgithub.Rest.Req;
import dev.fixgate.localgithub.Rest.Res;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * Organisations and their teams, read only (teams are made through {@link LocalGitHub#createTeam}): the organisation,
 * its teams, a team's members and one user's membership.
 */
final class OrgRoutes {

    private final Hub hub;

    OrgRoutes(Hub hub) {
        this.hub = hub;
    }

    void register(Rest rest) {
        rest.get("/orgs/{org}", this::organization);
        rest.get("/orgs/{org}/teams", this::list);
        rest.get("/orgs/{org}/teams/{team_slug}", r -> get(bySlug(r)));
        rest.get("/orgs/{org}/teams/{team_slug}/members", r -> members(r, bySlug(r)));
        rest.get("/orgs/{org}/teams/{team_slug}/memberships/{username}", r -> membership(r, bySlug(r)));
        // A team's url is /organizations/{org_id}/team/{team_id}; hub4j's GHTeam (getTeam(id), listMembers, hasMember)
        // calls these undocumented paths, which GitHub answers like the slug ones.
        alias(rest, "", r -> get(byId(r)));
        alias(rest, "/members", r -> members(r, byId(r)));
        alias(rest, "/memberships/{username}", r -> membership(r, byId(r)));
    }

    private static void alias(Rest rest, String tail, Rest.Handler h) {
        rest.add("GET", "/organizations/{org_id}/team/{team_id}" + tail, "/orgs/{org}/teams/{team_slug}" + tail,
                Rest.Auth.ANY, h);
    }

    private Team bySlug(Req r) {
        return hub.teams.readable(r.p("org"), r.p("team_slug"), r.principal());
    }

    private Team byId(Req r) {
        return hub.teams.readableById(r.id("org_id"), r.id("team_id"), r.principal());
    }

    /** Public, like github.com's; hub4j's {@code getOrganization} calls it before anything about teams. */
    private Res organization(Req r) {
        Account org = hub.account(r.p("org")).filter(a -> a.type == Model.AccountType.Organization)
                .orElseThrow(ApiException::notFound);
        return Res.ok(hub.shapes.teams().organizationFull(org, publicRepos(org)));
    }

    private int publicRepos(Account org) {
        return (int) hub.repos.values().stream().filter(x -> x.owner == org && !x.isPrivate).count();
    }

    private Res list(Req r) {
        Account org = hub.teams.readableOrg(r.p("org"), r.principal());
        List<ObjectNode> out = new ArrayList<>();
        hub.teams.of(org).forEach(t -> out.add(hub.shapes.teams().team(t, Shapes.Flavor.REST)));
        return Res.page(out);
    }

    private Res get(Team t) {
        return Res.ok(hub.shapes.teams().teamFull(t, publicRepos(t.org)));
    }

    private Res members(Req r, Team t) {
        // Everyone is a plain member, so role=maintainer lists nobody.
        String role = r.q("role").orElse("all");
        List<ObjectNode> out = new ArrayList<>();
        if (!role.equals("maintainer")) {
            t.members.forEach(a -> out.add(hub.shapes.user(a)));
        }
        return Res.page(out);
    }

    private Res membership(Req r, Team t) {
        Account user = hub.account(r.p("username")).filter(t.members::contains).orElseThrow(ApiException::notFound);
        return Res.ok(hub.shapes.teams().membership(t, user));
    }
}
