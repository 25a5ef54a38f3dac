package dev.fixgate.app.merge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.github.MutableClock;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which webhooks report nothing the last evaluation of a fixgate pull request had not already read. */
class MergeMemoTest {

    private static final String REPO = "acme/infra";
    private static final String HEAD = "a".repeat(40);
    private static final String REF = "fixgate/aws.s3.bucket.versioning/x";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-08T00:00:00Z"));
    private final MergeMemo memo = new MergeMemo(clock);

    private static JsonNode json(String s) {
        try {
            return Json.mapper().readTree(s.replace('\'', '"'));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode checkRun(String name, String status, String conclusion, String sha, String prSha) {
        return json("{'action':'created','check_run':{'name':'" + name + "','status':'" + status + "','conclusion':"
                + (conclusion == null ? "null" : "'" + conclusion + "'") + ",'head_sha':'" + sha + "','app':{'id':7},"
                + "'check_suite':{'head_branch':'" + REF + "'},'pull_requests':[{'number':4,'head':{'ref':'" + REF
                + "','sha':'" + prSha + "'}}]}}");
    }

    private static JsonNode suite(long app, int runs) {
        return json("{'action':'completed','check_suite':{'head_sha':'" + HEAD + "','head_branch':'" + REF
                + "','app':{'id':" + app + "},'latest_check_runs_count':" + runs + ",'pull_requests':[{'number':4,"
                + "'head':{'ref':'" + REF + "','sha':'" + HEAD + "'}}]}}");
    }

    private void seen(Map<String, String> checks, Map<Long, int[]> appRuns) {
        memo.remember(REPO, 4, REF, HEAD, checks, appRuns);
    }

    @Test
    void aCheckRunInTheStateTheLastEvaluationReadIsRedundantAnotherStateIsNot() {
        assertThat(memo.redundant(REPO, "check_run", checkRun("ci", "completed", "success", HEAD, HEAD)))
                .as("never evaluated here").isFalse();
        seen(Map.of("ci", "success", "fixgate/safety", "success"), Map.of(7L, new int[] {1, 1}));
        assertThat(memo.redundant(REPO, "check_run", checkRun("ci", "completed", "success", HEAD, HEAD))).isTrue();
        assertThat(memo.redundant(REPO, "check_run", checkRun("ci", "completed", "failure", HEAD, HEAD))).isFalse();
        assertThat(memo.redundant(REPO, "check_run", checkRun("ci", "in_progress", null, HEAD, HEAD))).isFalse();
        assertThat(memo.redundant(REPO, "check_run", checkRun("lint", "completed", "success", HEAD, HEAD)))
                .as("a check the evaluation did not see").isFalse();
        assertThat(memo.redundant("acme/other", "check_run", checkRun("ci", "completed", "success", HEAD, HEAD)))
                .isFalse();
        String other = "b".repeat(40);
        assertThat(memo.redundant(REPO, "check_run", checkRun("ci", "completed", "success", other, other)))
                .as("another head").isFalse();
    }

    @Test
    void aPullRequestOnTheHeadThatWasNotEvaluatedHereMakesTheEventCount() {
        memo.remember(REPO, 9, "fixgate/other/y", HEAD, Map.of("ci", "success"), Map.of());
        assertThat(memo.redundant(REPO, "check_run", checkRun("ci", "completed", "success", HEAD, HEAD)))
                .as("#4 (named by the payload) has not been evaluated on this head").isFalse();
    }

    @Test
    void aCompletedSuiteIsRedundantOnlyWhenEveryRunOfItsAppWasSeenCompleted() {
        seen(Map.of("ci", "success"), Map.of(7L, new int[] {1, 1}, 8L, new int[] {2, 1}));
        assertThat(memo.redundant(REPO, "check_suite", suite(7, 1))).isTrue();
        assertThat(memo.redundant(REPO, "check_suite", suite(7, 2))).as("a run not seen").isFalse();
        assertThat(memo.redundant(REPO, "check_suite", suite(8, 2))).as("a run seen pending").isFalse();
        assertThat(memo.redundant(REPO, "check_suite", suite(9, 1))).as("an app not seen").isFalse();
    }

    @Test
    void aStatusIsRedundantWhenItsContextWasReadInThatState() {
        seen(Map.of("ci/jenkins", "success"), Map.of());
        String status = "{'sha':'" + HEAD + "','context':'ci/jenkins','state':'%s','branches':[{'name':'" + REF + "'}]}";
        assertThat(memo.redundant(REPO, "status", json(status.formatted("success")))).isTrue();
        assertThat(memo.redundant(REPO, "status", json(status.formatted("failure")))).isFalse();
    }

    @Test
    void entriesExpireAndCanBeForgotten() {
        seen(Map.of("ci", "success"), Map.of());
        JsonNode event = checkRun("ci", "completed", "success", HEAD, HEAD);
        assertThat(memo.redundant(REPO, "check_run", event)).isTrue();
        clock.advance(MergeMemo.TTL.plusSeconds(1));
        assertThat(memo.redundant(REPO, "check_run", event)).isFalse();
        seen(Map.of("ci", "success"), Map.of());
        memo.forget(REPO, 4);
        assertThat(memo.redundant(REPO, "check_run", event)).isFalse();
    }

    @Test
    void aResultForAHeadThePullRequestNoLongerHasIsStale() {
        String old = "c".repeat(40);
        assertThat(MergeMemo.staleHead("check_run", checkRun("ci", "completed", "success", old, HEAD))).isTrue();
        assertThat(MergeMemo.staleHead("check_run", checkRun("ci", "completed", "success", HEAD, HEAD))).isFalse();
        assertThat(MergeMemo.staleHead("status", json("{'sha':'" + old + "'}"))).isFalse();
    }
}
