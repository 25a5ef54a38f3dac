package dev.fixgate.localgithub;

import dev.fixgate.localgithub.Model.Account;
import dev.fixgate.localgithub.Model.Team;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON shapes of teams, apart from {@link Shapes} to keep that one readable. As on github.com a team's
 * {@code url} is {@code /organizations/{org_id}/team/{team_id}} (what hub4j's {@code GHTeam} builds its calls on),
 * and the webhook flavour is the closed {@code team} definition of the webhook schemas (no {@code type}).
 */
final class TeamShapes {

    private final String api;
    private final String web;

    TeamShapes(String api, String web) {
        this.api = api;
        this.web = web;
    }

    String teamUrl(Team t) {
        return api + "/organizations/" + t.org.id + "/team/" + t.id;
    }

    /** The "team" resource: team lists, requested reviewers, pull requests, and the webhook {@code team}. */
    ObjectNode team(Team t, Shapes.Flavor f) {
        ObjectNode o = Json.obj();
        String u = teamUrl(t);
        o.put("name", t.name);
        o.put("id", t.id);
        o.put("node_id", Shapes.nodeId("T", t.id));
        o.put("slug", t.slug);
        o.putNull("description");
        o.put("privacy", t.privacy);
        o.put("notification_setting", "notifications_enabled");
        o.put("url", u);
        o.put("html_url", web + "/orgs/" + t.org.login + "/teams/" + t.slug);
        o.put("members_url", u + "/members{/member}");
        o.put("repositories_url", u + "/repos");
        o.put("permission", t.permission);
        o.putNull("parent");
        if (f == Shapes.Flavor.REST) {
            o.put("type", "organization");
            o.put("organization_id", t.org.id);
        }
        return o;
    }

    /** The "team-full" resource of {@code GET /orgs/{org}/teams/{team_slug}}. */
    ObjectNode teamFull(Team t, int publicRepos) {
        ObjectNode o = team(t, Shapes.Flavor.REST);
        o.put("members_count", t.members.size());
        o.put("repos_count", 0); // teams are given no repositories here
        Json.putTime(o, "created_at", t.createdAt);
        Json.putTime(o, "updated_at", t.updatedAt);
        o.set("organization", organizationFull(t.org, publicRepos));
        return o;
    }

    /**
     * The organisation with its counters and dates: "organization-full" of {@code GET /orgs/{org}}, which is also
     * what a full team embeds ("team-organization" has the same required fields).
     */
    ObjectNode organizationFull(Account org, int publicRepos) {
        ObjectNode o = Json.obj();
        String u = api + "/orgs/" + org.login;
        o.put("login", org.login);
        o.put("id", org.id);
        o.put("node_id", Shapes.nodeId("O", org.id));
        o.put("url", u);
        o.put("repos_url", u + "/repos");
        o.put("events_url", u + "/events");
        o.put("hooks_url", u + "/hooks");
        o.put("issues_url", u + "/issues");
        o.put("members_url", u + "/members{/member}");
        o.put("public_members_url", u + "/public_members{/member}");
        o.put("avatar_url", web + "/avatars/" + org.login);
        o.putNull("description");
        o.put("name", org.name);
        o.put("html_url", web + "/" + org.login);
        o.put("has_organization_projects", false);
        o.put("has_repository_projects", false);
        o.put("public_repos", publicRepos);
        o.put("public_gists", 0);
        o.put("followers", 0);
        o.put("following", 0);
        o.put("type", "Organization");
        Json.putTime(o, "created_at", org.createdAt);
        Json.putTime(o, "updated_at", org.createdAt);
        o.putNull("archived_at");
        return o;
    }

    /** GitHub's answer to "is this user in the team": every member here is an active plain member. */
    ObjectNode membership(Team t, Account user) {
        ObjectNode o = Json.obj();
        o.put("url", teamUrl(t) + "/memberships/" + Shapes.urlPart(user.login));
        o.put("role", "member");
        o.put("state", "active");
        return o;
    }
}
