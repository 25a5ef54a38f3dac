package dev.fixgate.localgithub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The system git CLI over smart HTTP, and failed webhook deliveries listed and redelivered through the REST API. */
class GitCliAndWebhooksTest extends LocalGitHubTestBase {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private String git(Path cwd, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("HOME", cwd.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        if (p.exitValue() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    private static boolean gitInstalled() {
        try {
            return new ProcessBuilder("git", "--version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void theGitCliClonesAndPushesWithAnInstallationTokenLikeOnGitHub() throws Exception {
        Assumptions.assumeTrue(gitInstalled(), "git is not installed");
        gh.createOrg("acme");
        gh.createRepo("acme", "infra", "main", Map.of("main.tf", "a = 1\n"));
        String token = gh.installationToken(gh.installApp(APP_ID, "acme"));
        String header = "http.extraHeader=Authorization: Basic "
                + Base64.getEncoder().encodeToString(("x-access-token:" + token).getBytes(StandardCharsets.UTF_8));
        Path home = Files.createDirectories(dir.resolve("cli"));
        git(home, "-c", header, "clone", gh.gitUrl("acme", "infra"), "infra");
        Path work = home.resolve("infra");
        assertThat(Files.readString(work.resolve("main.tf"))).isEqualTo("a = 1\n");
        Files.writeString(work.resolve("main.tf"), "a = 2\n");
        git(work, "-c", "user.name=cli", "-c", "user.email=cli@example.com", "commit", "-qam", "Bump a");
        git(work, "-c", header, "push", "-q", "origin", "HEAD:refs/heads/bump");
        assertThat(gh.file("acme", "infra", "bump", "main.tf")).contains("a = 2\n");

        // Without credentials, or with a bad token, the push is refused.
        gh.createPrivateRepo("acme", "secret", "main", Map.of("x", "y\n"));
        // git answers the 401 challenge by asking for a username, which it may not do here.
        assertThat(catchFailure(() -> git(home, "clone", "-q", gh.gitUrl("acme", "secret"), "s1")))
                .contains("could not read Username");
        String bad = "http.extraHeader=Authorization: Basic "
                + Base64.getEncoder().encodeToString("x-access-token:ghs_nope".getBytes(StandardCharsets.UTF_8));
        assertThat(catchFailure(() -> git(work, "-c", bad, "push", "-q", "origin", "HEAD:refs/heads/nope")))
                .containsAnyOf("401", "could not read Username", "Authentication failed");
        assertThat(gh.branchSha("acme", "infra", "nope")).isEmpty();
        git(home, "-c", header, "clone", "-q", gh.gitUrl("acme", "secret"), "s2");

        gh.awaitDeliveries();
        Delivery push = gh.deliveries().stream().filter(d -> d.event().equals("push")).findFirst().orElseThrow();
        JsonNode payload = MAPPER.readTree(push.payload());
        assertThat(payload.get("ref").asString()).isEqualTo("refs/heads/bump");
        assertThat(payload.get("created").asBoolean()).isTrue();
        assertThat(payload.get("head_commit").get("message").asString()).isEqualTo("Bump a\n");
        assertThat(payload.get("head_commit").get("modified").get(0).asString()).isEqualTo("main.tf");
    }

    private interface Step {
        Object run() throws Exception;
    }

    private static String catchFailure(Step s) {
        try {
            s.run();
            return "no failure";
        } catch (Exception e) {
            return e.getMessage();
        }
    }

    @Test
    void failedDeliveriesAreListedAndCanBeRedelivered() throws Exception {
        gh.createOrg("acme");
        gh.createUser("alice");
        gh.createRepo("acme", "infra", "main", Map.of("main.tf", "a = 1\n"));
        gh.addCollaborator("acme", "infra", "alice", "write");
        gh.installApp(APP_ID, "acme");
        failNext.set(1);
        gh.as("alice").push("acme", "infra", "main", Map.of("main.tf", "a = 2\n"), "Bump");
        gh.awaitDeliveries();

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(gh.apiUrl() + "/app/hook/deliveries"))
                .header("Authorization", "Bearer " + jwt()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode items = MAPPER.readTree(list.body());
        JsonNode failed = null;
        for (JsonNode d : items) {
            if (d.get("status_code").asInt() == 500) {
                failed = d;
            }
        }
        assertThat(failed).as("a failed delivery in %s", list.body()).isNotNull();
        assertThat(failed.get("event").asString()).isEqualTo("installation");
        assertThat(failed.get("status").asString()).isEqualTo("Invalid HTTP Response: 500");

        HttpResponse<String> redeliver = http.send(HttpRequest.newBuilder(URI.create(gh.apiUrl()
                        + "/app/hook/deliveries/" + failed.get("id").asLong() + "/attempts"))
                .header("Authorization", "Bearer " + jwt()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(redeliver.statusCode()).isEqualTo(202);
        gh.awaitDeliveries();
        String guid = failed.get("guid").asString();
        List<Received> sameGuid = received.stream().filter(r -> r.delivery().equals(guid)).toList();
        assertThat(sameGuid).hasSize(2).allSatisfy(r -> assertThat(r.signatureValid()).isTrue());
        Delivery retry = gh.deliveries().get(gh.deliveries().size() - 1);
        assertThat(retry.redelivery()).isTrue();
        assertThat(retry.ok()).isTrue();

        HttpResponse<String> one = http.send(HttpRequest.newBuilder(URI.create(gh.apiUrl() + "/app/hook/deliveries/"
                + retry.id())).header("Authorization", "Bearer " + jwt()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(MAPPER.readTree(one.body()).get("request").get("headers").get("X-GitHub-Event").asString())
                .isEqualTo("installation");
    }
}
