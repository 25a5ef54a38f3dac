package dev.fixgate.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kohsuke.github.GHCheckRun;
import org.kohsuke.github.GHIssue;
import org.kohsuke.github.GHPullRequest;

/**
 * The gate of {@code fixgate serve} as {@code fixgate.yml} in FIXGATE_HOME configures it, end to end: serve in its
 * own JVM against the local GitHub holding the demo's repository, the demo's Security Hub findings pushed to the
 * findings API. Without gate settings the S3 versioning fix (acme-logs) is SAFE and automerges after green CI, and
 * the ssl_requests_only fix (three buckets) is RISKY ({@link ServeEndToEndTest}). Here a user CEL policy, an OPA
 * server and a reasoning model each restrict those fixes, and the restriction shows in what fixgate does on GitHub,
 * in {@code gate_decisions} and in the audit log.
 */
class ServeGateConfigurationEndToEndTest {

    private static final String VERSIONING_BRANCH = "fixgate/aws.s3.bucket.versioning/";
    private static final String HTTPS_ONLY_BRANCH = "fixgate/aws.s3.bucket.ssl_requests_only/";
    private static final String VERSIONING_ISSUE = "fixgate: aws.s3.bucket.versioning needs an owner";
    private static final String LOGS_BUCKET = "arn:aws:s3:::acme-logs";
    /** How fixgate names the logs bucket once located in the repository. */
    private static final String LOGS_RESOURCE = "cloudformation/logs.yaml:LogsBucket";

    private static final String FREEZE_ID = "acme.versioning-freeze";
    private static final String FREEZE_MESSAGE = "versioning of the logs bucket is frozen until the retention review";
    private static final String TLS_ID = "acme.tls-review";
    private static final String TLS_MESSAGE = "TLS-only bucket policies need a sign-off from the platform team";
    private static final Pattern DECISION_REF = Pattern.compile("Recorded as decisions? #(\\d+)");

    @TempDir
    Path tmp;

    private ServeHarness serve;
    private HttpServer standIn;

    @AfterEach
    void stop() throws Exception {
        if (standIn != null) {
            standIn.stop(0);
        }
        if (serve != null) {
            serve.close();
        }
    }

    @Test
    void userCelPoliciesDenyOneFixAndRequireApprovalForAnother() throws Exception {
        serve = ServeHarness.start(tmp, Map.of(
                "fixgate.yml", """
                        policies:
                          directories: [policies]
                        """,
                "policies/acme.yaml", """
                        policies:
                          - id: %s
                            description: The logs bucket's retention is under review; nobody changes its versioning.
                            condition: 'input.playbook.id == "s3_bucket_versioning"'
                            effect: deny
                            message: %s
                          - id: %s
                            description: The platform team signs off every TLS-only bucket policy.
                            condition: 'input.finding.control == "aws.s3.bucket.ssl_requests_only"'
                            effect: needs_approval
                            message: %s
                        """.formatted(FREEZE_ID, FREEZE_MESSAGE, TLS_ID, TLS_MESSAGE)));
        serve.pushSecurityHubFindings();

        // denied: an issue for the code owners instead of a pull request
        GHIssue issue = serve.awaitIssue(VERSIONING_ISSUE);
        long decisionId = decisionCited(issue.getBody());
        assertThat(issue.getBody()).contains("the gate denied it", "## Gate decision: deny", "`" + FREEZE_ID + "`",
                "[" + FREEZE_ID + "] " + FREEZE_MESSAGE, LOGS_RESOURCE);
        assertThat(issue.getAssignees()).extracting(u -> u.getLogin()).contains("alice");

        // needs approval by the user policy: a pull request whose check run and body cite the policy
        GHPullRequest httpsOnly = serve.awaitPullRequest(HTTPS_ONLY_BRANCH);
        GHCheckRun check = serve.safety(httpsOnly).orElseThrow();
        assertThat(check.getConclusion()).isEqualTo(GHCheckRun.Conclusion.ACTION_REQUIRED);
        assertThat(check.getOutput().getSummary()).contains("`" + TLS_ID + "`", "[" + TLS_ID + "] " + TLS_MESSAGE);
        assertThat(httpsOnly.getBody()).contains("`" + TLS_ID + "`", "[" + TLS_ID + "] " + TLS_MESSAGE);
        serve.greenCiAndAwaitMergeDecision(httpsOnly);
        assertThat(serve.merged(httpsOnly)).as("needs approval: green CI is not enough").isFalse();

        assertThat(serve.fixgatePullRequests()).as("no pull request for the denied fix")
                .noneMatch(pr -> pr.getHead().getRef().startsWith(VERSIONING_BRANCH));
        serve.stopServe();

        Map<String, Object> denied = decisionFor("s3_bucket_versioning");
        assertThat(denied).containsEntry("id", Long.toString(decisionId)).containsEntry("decision", "deny")
                .containsEntry("action", "route_to_owner").containsEntry("rci_level", "SAFE")
                .containsEntry("resource_key", LOGS_BUCKET);
        assertThat((String) denied.get("layers")).contains(FREEZE_ID, FREEZE_MESSAGE);
        assertThat(decisionsFor("s3_bucket_https_only")).hasSize(3).allSatisfy(d -> {
            assertThat(d).containsEntry("decision", "needs_approval");
            assertThat((String) d.get("layers")).contains(TLS_ID);
        });

        List<String> decided = gateDecided(serve.auditLog());
        assertThat(decided).anySatisfy(r -> assertThat(r).contains("resource " + LOGS_BUCKET, "engine cel",
                "[" + FREEZE_ID + "] " + FREEZE_MESSAGE));
        assertThat(decided).anySatisfy(r -> assertThat(r).contains("resource " + LOGS_BUCKET,
                "final decision (#" + decisionId + "), action route_to_owner", "[" + FREEZE_ID + "] " + FREEZE_MESSAGE));
        assertThat(decided).anySatisfy(r -> assertThat(r).contains("engine cel", "[" + TLS_ID + "] " + TLS_MESSAGE));
    }

    @Test
    void anOpaDenyRoutesTheFixToAnIssueAndIsRecorded() throws Exception {
        List<String> asked = new CopyOnWriteArrayList<>();
        startStandIn("/v1/data/", body -> {
            asked.add(body);
            return body.contains("\"s3_bucket_versioning\"")
                    ? """
                      {"result": {"deny": [{"policy": "%s", "message": "%s", "on_deny": "route_to_owner"}],
                                  "needs_approval": []}}""".formatted(FREEZE_ID, FREEZE_MESSAGE)
                    : "{\"result\": {\"deny\": [], \"needs_approval\": []}}";
        });
        serve = ServeHarness.start(tmp, Map.of("fixgate.yml", """
                opa:
                  url: http://127.0.0.1:%d
                  path: fixgate/decision
                """.formatted(standIn.getAddress().getPort())));
        serve.pushSecurityHubFindings();

        String opaPolicy = "opa:" + FREEZE_ID;
        GHIssue issue = serve.awaitIssue(VERSIONING_ISSUE);
        long decisionId = decisionCited(issue.getBody());
        assertThat(issue.getBody()).contains("the gate denied it", "## Gate decision: deny", "`" + opaPolicy + "`",
                "[" + opaPolicy + "] " + FREEZE_MESSAGE);
        // OPA's empty answer for the other fix lets it through to its RISKY pull request: the stand-in was
        // understood (an unreachable or misunderstood OPA would deny that fix too)
        GHPullRequest httpsOnly = serve.awaitPullRequest(HTTPS_ONLY_BRANCH);
        assertThat(serve.safety(httpsOnly).orElseThrow().getConclusion()).isEqualTo(GHCheckRun.Conclusion.ACTION_REQUIRED);
        assertThat(serve.fixgatePullRequests()).noneMatch(pr -> pr.getHead().getRef().startsWith(VERSIONING_BRANCH));

        assertThat(requestPaths).allSatisfy(p -> assertThat(p).isEqualTo("POST /v1/data/fixgate/decision"));
        assertThat(asked).anySatisfy(b -> assertThat(b).startsWith("{\"input\":{").contains(LOGS_BUCKET,
                "\"s3_bucket_versioning\"", "\"rci\"", "\"blast_radius\""));
        assertThat(asked).anySatisfy(b -> assertThat(b).contains("arn:aws:s3:::acme-downloads"));
        serve.stopServe();

        Map<String, Object> denied = decisionFor("s3_bucket_versioning");
        assertThat(denied).containsEntry("id", Long.toString(decisionId)).containsEntry("decision", "deny")
                .containsEntry("action", "route_to_owner").containsEntry("resource_key", LOGS_BUCKET);
        assertThat((String) denied.get("layers")).contains("\"engine\":\"opa\"", opaPolicy, FREEZE_MESSAGE);
        assertThat((String) denied.get("input")).contains(LOGS_BUCKET);

        List<String> decided = gateDecided(serve.auditLog());
        assertThat(decided).anySatisfy(r -> assertThat(r).contains("resource " + LOGS_BUCKET, "engine opa",
                "[" + opaPolicy + "] " + FREEZE_MESSAGE));
        assertThat(decided).anySatisfy(r -> assertThat(r).contains("final decision (#" + decisionId + ")",
                "[" + opaPolicy + "] " + FREEZE_MESSAGE));
    }

    @Test
    void theReasoningModelTightensTheSafeFixToNeedApproval() throws Exception {
        String reason = "the logs bucket feeds the SIEM; versioning changes its storage bill, a person decides";
        List<String> asked = new CopyOnWriteArrayList<>();
        List<String> authorizations = new CopyOnWriteArrayList<>();
        startStandIn("/v1/chat/completions", body -> {
            asked.add(body);
            String content = body.contains("s3_bucket_versioning")
                    ? "{\"verdict\":\"needs_approval\",\"reasons\":[\"" + reason + "\"]}"
                    : "{\"verdict\":\"keep\",\"reasons\":[]}";
            return """
                    {"id":"chatcmpl-1","object":"chat.completion","created":1760000000,"model":"stand-in",
                     "choices":[{"index":0,"message":{"role":"assistant","content":%s},"finish_reason":"stop"}],
                     "usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}}"""
                    .formatted(jsonString(content));
        }, authorizations);
        serve = ServeHarness.start(tmp, Map.of("fixgate.yml", """
                reasoning:
                  provider: openai
                  base_url: http://127.0.0.1:%d/v1
                  model: stand-in
                  api_key: x
                """.formatted(standIn.getAddress().getPort())));
        serve.pushSecurityHubFindings();

        GHPullRequest versioning = serve.awaitPullRequest(VERSIONING_BRANCH);
        GHPullRequest httpsOnly = serve.awaitPullRequest(HTTPS_ONLY_BRANCH);
        GHCheckRun check = serve.safety(versioning).orElseThrow();
        assertThat(check.getConclusion()).as("SAFE, but the model asks for a person")
                .isEqualTo(GHCheckRun.Conclusion.ACTION_REQUIRED);
        assertThat(check.getOutput().getSummary()).contains("model: " + reason, "`llm:stand-in`", "reviewer");
        assertThat(versioning.getBody()).contains("llm:stand-in", "model: " + reason);
        assertThat(asked).anySatisfy(b -> assertThat(b).contains("BEGIN_CONTEXT", LOGS_BUCKET));
        assertThat(authorizations).isNotEmpty().allSatisfy(a -> assertThat(a).isEqualTo("Bearer x"));

        serve.greenCiAndAwaitMergeDecision(versioning);
        assertThat(serve.merged(versioning)).as("needs approval: green CI is not enough").isFalse();

        serve.gh.as("reviewer").approve("acme", "infra", versioning.getNumber(), "Versioning is fine for the logs.");
        serve.awaitMerged(versioning);
        assertThat(serve.repo().getCommit(serve.repo().getBranch("main").getSHA1()).getCommitShortInfo().getMessage())
                .contains("Fixgate-Control: aws.s3.bucket.versioning").contains("Fixgate-Approved-By: reviewer");
        assertThat(serve.merged(httpsOnly)).as("RISKY, not approved").isFalse();
        serve.stopServe();

        Map<String, Object> decision = decisionFor("s3_bucket_versioning");
        assertThat(decision).containsEntry("decision", "needs_approval").containsEntry("rci_level", "SAFE")
                .containsEntry("action", "await_approval");
        assertThat((String) decision.get("layers")).contains("llm:stand-in", reason);
    }

    // ---- helpers

    private final List<String> requestPaths = new CopyOnWriteArrayList<>();

    private void startStandIn(String context, Function<String, String> answer) throws IOException {
        startStandIn(context, answer, new CopyOnWriteArrayList<>());
    }

    /** A loopback server answering every request under {@code context} with {@code answer(body)} as JSON. */
    private void startStandIn(String context, Function<String, String> answer, List<String> authorizations)
            throws IOException {
        standIn = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        standIn.createContext(context, (HttpExchange ex) -> {
            try (ex) {
                requestPaths.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
                String auth = ex.getRequestHeaders().getFirst("Authorization");
                if (auth != null) {
                    authorizations.add(auth);
                }
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                byte[] bytes = answer.apply(body).getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(200, bytes.length);
                ex.getResponseBody().write(bytes);
            }
        });
        standIn.start();
    }

    private static String jsonString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    /** The decision number a body cites ("Recorded as decision #12"). */
    private static long decisionCited(String body) {
        Matcher m = DECISION_REF.matcher(body);
        assertThat(m.find()).as("cites a decision:\n" + body).isTrue();
        return Long.parseLong(m.group(1));
    }

    private List<Map<String, Object>> decisionsFor(String playbook) throws Exception {
        return serve.gateDecisions().stream().filter(d -> playbook.equals(d.get("playbook_id"))).toList();
    }

    /** The newest decision of the playbook's fix; exactly one resource each for versioning in the demo. */
    private Map<String, Object> decisionFor(String playbook) throws Exception {
        List<Map<String, Object>> rows = decisionsFor(playbook);
        assertThat(rows).as("gate_decisions for " + playbook).isNotEmpty();
        return rows.getLast();
    }

    /** The payloads of the audit log's {@code gate.decided} entries. */
    private static List<String> gateDecided(List<JsonNode> entries) {
        return entries.stream().filter(e -> e.path("type").asText().equals("gate.decided"))
                .map(e -> e.path("payload").asText()).toList();
    }
}
