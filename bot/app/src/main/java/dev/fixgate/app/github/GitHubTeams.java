package dev.fixgate.app.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Team membership, repository roles and review requests through GitHub's REST API with an installation token —
 * the parts the unmodified github-api client only reaches through deprecated endpoints or extra round trips:
 * {@code GET /orgs/{org}/teams/{team_slug}/memberships/{username}} (one request per question; needs the App's
 * {@code members: read} permission) and {@code POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers}
 * with users and team slugs in one request.
 */
public final class GitHubTeams {

    private final GitHubClients clients;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public GitHubTeams(GitHubClients clients) {
        this.clients = Objects.requireNonNull(clients, "clients");
    }

    /**
     * Whether {@code login} is an active member of {@code team} ({@code org/team-slug}). A pending invitation is
     * not membership. 404 (not a member, or no such team) is false.
     *
     * @throws IOException when GitHub cannot answer (no permission, an outage): the caller decides, and fails closed
     */
    public boolean isMember(long installationId, String team, String login) throws IOException {
        int slash = team.indexOf('/');
        if (slash <= 0 || slash == team.length() - 1) {
            throw new IllegalArgumentException("a team is org/team-slug: '" + team + "'");
        }
        HttpResponse<String> r = send(installationId, "GET", "/orgs/" + enc(team.substring(0, slash)) + "/teams/"
                + enc(team.substring(slash + 1)) + "/memberships/" + enc(login), null);
        if (r.statusCode() == 404) {
            return false;
        }
        if (r.statusCode() != 200) {
            throw new IOException("team membership " + team + " / " + login + ": HTTP " + r.statusCode());
        }
        JsonNode body = Json.mapper().readTree(r.body());
        return "active".equals(body.path("state").asText());
    }

    /**
     * {@code login}'s role in {@code repository} as GitHub's collaborator permission API names it ({@code role_name}:
     * admin, maintain, write, triage, read; {@code none} for someone without access). Unlike github-api's
     * {@code getPermission}, this tells maintain and triage apart.
     */
    public String role(long installationId, String repository, String login) throws IOException {
        HttpResponse<String> r = send(installationId, "GET", "/repos/" + repository + "/collaborators/" + enc(login)
                + "/permission", null);
        if (r.statusCode() == 404) {
            return "none";
        }
        if (r.statusCode() != 200) {
            throw new IOException("permission of " + login + " on " + repository + ": HTTP " + r.statusCode());
        }
        JsonNode body = Json.mapper().readTree(r.body());
        String role = body.path("role_name").asText("");
        return role.isEmpty() ? body.path("permission").asText("none") : role;
    }

    /**
     * Asks {@code users} and {@code teamSlugs} (teams of the repository's organisation) to review pull request
     * {@code number}. GitHub answers 422 for someone who cannot be asked (the author, a non-collaborator): that is an
     * {@link IOException} with GitHub's message.
     */
    public void requestReviewers(long installationId, String repository, int number, List<String> users,
                                 List<String> teamSlugs) throws IOException {
        if (users.isEmpty() && teamSlugs.isEmpty()) {
            return;
        }
        String body = Json.write(java.util.Map.of("reviewers", users, "team_reviewers", teamSlugs));
        HttpResponse<String> r = send(installationId, "POST", "/repos/" + repository + "/pulls/" + number
                + "/requested_reviewers", body);
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw new IOException("requesting reviewers on " + repository + "#" + number + ": HTTP " + r.statusCode()
                    + " " + Json.mapper().readTree(r.body().isEmpty() ? "{}" : r.body()).path("message").asText(""));
        }
    }

    private HttpResponse<String> send(long installationId, String method, String path, String body) throws IOException {
        URI uri = URI.create(clients.apiUrl().toString().replaceAll("/+$", "") + path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28")
                .header("Authorization", "token " + clients.tokens().token(installationId).reveal());
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
