package dev.fixgate.app.gate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.spi.gate.GateDecision;
import dev.fixgate.spi.gate.GateLayer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ApprovalCheckTest {

    private static final Instant NOW = Instant.parse("2026-11-18T10:00:00Z");
    private static final String HEAD = "a".repeat(40);
    private static final GateDecision NEED_ONE = new GateDecision.NeedsApproval(GateLayer.APPROVAL, List.of("RISKY"), 1, List.of());
    private static final RepoConfig.Reviewers TEAM = new RepoConfig.Reviewers(List.of("carol"), List.of("acme/platform"), 1,
            true, false, 14);

    private static ApprovalCheck.Facts facts(List<ApprovalCheck.Review> reviews, List<ApprovalCheck.Grant> grants) {
        return new ApprovalCheck.Facts("acme/infra#7", "aws.s3.bucket.ssl_requests_only", "dave", "fixgate", HEAD,
                reviews, grants, Map.of("acme/platform", Set.of("alice", "bob"), "acme/storage", Set.of("gina")),
                Map.of("main.tf", Set.of("@acme/storage", "@erin")),
                Set.of("alice", "bob", "carol", "dave", "erin", "frank"), NOW);
    }

    private static ApprovalCheck.Review approved(String who) {
        return new ApprovalCheck.Review(who, "APPROVED", NOW.minus(Duration.ofHours(1)), HEAD);
    }

    @Test
    void anAuthorisedApprovalOnTheHeadCommitSatisfies() {
        var s = ApprovalCheck.check(NEED_ONE, TEAM, facts(List.of(approved("alice")), List.of()));
        assertThat(s.satisfied()).isTrue();
        assertThat(s.approvers()).containsExactly("alice");
        assertThat(ApprovalCheck.check(NEED_ONE, TEAM, facts(List.of(approved("Carol")), List.of())).satisfied()).isTrue();
        assertThat(ApprovalCheck.check(NEED_ONE, TEAM, facts(List.of(approved("erin")), List.of())).satisfied())
                .as("a CODEOWNER of the touched files").isTrue();
    }

    @Test
    void authorBotAndOutsidersNeverCount() {
        for (String who : List.of("dave", "fixgate", "fixgate[bot]", "dependabot[bot]", "frank")) {
            var s = ApprovalCheck.check(NEED_ONE, TEAM, facts(List.of(approved(who)), List.of()));
            assertThat(s.satisfied()).as(who).isFalse();
        }
        var codeownersOff = new RepoConfig.Reviewers(List.of(), List.of("acme/platform"), 1, false, false, 0);
        assertThat(ApprovalCheck.check(NEED_ONE, codeownersOff, facts(List.of(approved("erin")), List.of())).satisfied()).isFalse();
    }

    @Test
    void staleExpiredSupersededAndBlockedApprovals() {
        var old = new ApprovalCheck.Review("alice", "APPROVED", NOW.minus(Duration.ofHours(1)), "b".repeat(40));
        assertThat(ApprovalCheck.check(NEED_ONE, TEAM, facts(List.of(old), List.of())).reasons())
                .anyMatch(r -> r.contains("earlier commit"));
        var expired = new ApprovalCheck.Review("alice", "APPROVED", NOW.minus(Duration.ofDays(15)), HEAD);
        assertThat(ApprovalCheck.check(NEED_ONE, TEAM, facts(List.of(expired), List.of())).satisfied()).isFalse();
        var dismissed = new ApprovalCheck.Review("alice", "DISMISSED", NOW.minus(Duration.ofMinutes(5)), HEAD);
        assertThat(ApprovalCheck.check(NEED_ONE, TEAM, facts(List.of(approved("alice"), dismissed), List.of())).satisfied())
                .isFalse();
        var comment = new ApprovalCheck.Review("alice", "COMMENTED", NOW.minus(Duration.ofMinutes(5)), HEAD);
        assertThat(ApprovalCheck.check(NEED_ONE, TEAM, facts(List.of(approved("alice"), comment), List.of())).satisfied())
                .as("a later comment does not withdraw an approval").isTrue();
        var changes = new ApprovalCheck.Review("bob", "CHANGES_REQUESTED", NOW.minus(Duration.ofMinutes(5)), HEAD);
        assertThat(ApprovalCheck.check(NEED_ONE, TEAM, facts(List.of(approved("alice"), changes), List.of())).satisfied())
                .isFalse();
        var skewed = new ApprovalCheck.Review("alice", "APPROVED", NOW.plus(Duration.ofSeconds(2)), HEAD);
        assertThat(ApprovalCheck.check(NEED_ONE, TEAM, facts(List.of(skewed), List.of())).satisfied())
                .as("GitHub's clock a little ahead of fixgate's").isTrue();
        var future = new ApprovalCheck.Review("alice", "APPROVED", NOW.plus(Duration.ofMinutes(30)), HEAD);
        assertThat(ApprovalCheck.check(NEED_ONE, TEAM, facts(List.of(future), List.of())).satisfied())
                .as("replayed at an earlier instant").isFalse();
    }

    @Test
    void requiredCountIsTheLargerOfDecisionAndConfig() {
        var needTwo = new GateDecision.NeedsApproval(GateLayer.APPROVAL, List.of("x"), 2, List.of());
        assertThat(ApprovalCheck.check(needTwo, TEAM, facts(List.of(approved("alice")), List.of())).satisfied()).isFalse();
        assertThat(ApprovalCheck.check(needTwo, TEAM, facts(List.of(approved("alice"), approved("bob")), List.of())).satisfied())
                .isTrue();
        assertThat(ApprovalCheck.check(needTwo, TEAM, facts(List.of(approved("alice"), approved("ALICE")), List.of())).satisfied())
                .as("one person counts once").isFalse();
    }

    @Test
    void grantsCountInScopeAndUntilTheyExpire() {
        Instant earlier = NOW.minus(Duration.ofDays(1));
        Instant later = NOW.plus(Duration.ofDays(1));
        var pr = new ApprovalCheck.Grant("alice", ApprovalCheck.Scope.PR, "acme/infra#7", earlier, later);
        var otherPr = new ApprovalCheck.Grant("alice", ApprovalCheck.Scope.PR, "acme/infra#8", earlier, later);
        var control = new ApprovalCheck.Grant("bob", ApprovalCheck.Scope.CONTROL, "aws.s3.bucket.ssl_requests_only", earlier, later);
        var until = new ApprovalCheck.Grant("carol", ApprovalCheck.Scope.UNTIL, "", earlier, later);
        var lapsed = new ApprovalCheck.Grant("carol", ApprovalCheck.Scope.UNTIL, "", earlier.minus(Duration.ofDays(3)), earlier);
        var byAuthor = new ApprovalCheck.Grant("dave", ApprovalCheck.Scope.UNTIL, "", earlier, later);
        for (var ok : List.of(pr, control, until)) {
            assertThat(ApprovalCheck.check(NEED_ONE, TEAM, facts(List.of(), List.of(ok))).satisfied()).as(ok.toString()).isTrue();
        }
        for (var no : List.of(otherPr, lapsed, byAuthor)) {
            assertThat(ApprovalCheck.check(NEED_ONE, TEAM, facts(List.of(), List.of(no))).satisfied()).as(no.toString()).isFalse();
        }
    }

    @Test
    void denyIsNeverSatisfiedAndAllowNeedsNothing() {
        var deny = new GateDecision.Deny(GateLayer.APPROVAL, List.of("UNSAFE"));
        assertThat(ApprovalCheck.check(deny, TEAM, facts(List.of(approved("alice"), approved("bob"), approved("carol")),
                List.of())).satisfied()).isFalse();
        assertThat(ApprovalCheck.check(new GateDecision.Allow(GateLayer.POLICY, List.of()), TEAM, facts(List.of(), List.of()))
                .satisfied()).isTrue();
    }

    @Test
    void withNobodyConfiguredWritersMayApprove() {
        var nobody = new RepoConfig.Reviewers(List.of(), List.of(), 1, true, false, 0);
        var f = new ApprovalCheck.Facts("acme/infra#7", "c", "dave", "fixgate", HEAD, List.of(approved("frank")), List.of(),
                Map.of(), Map.of(), Set.of("frank"), NOW);
        assertThat(ApprovalCheck.check(NEED_ONE, nobody, f).satisfied()).isTrue();
        var g = new ApprovalCheck.Facts("acme/infra#7", "c", "dave", "fixgate", HEAD, List.of(approved("frank")), List.of(),
                Map.of(), Map.of(), Set.of(), NOW);
        assertThat(ApprovalCheck.check(NEED_ONE, nobody, g).satisfied()).as("no writers known: nobody").isFalse();
    }

    @Test
    void aCodeOwnerMustOwnEveryChangedFileAndATeamOwnerCountsThroughMembership() {
        var codeownersOnly = new RepoConfig.Reviewers(List.of(), List.of(), 1, true, false, 0);
        var twoFiles = Map.<String, Set<String>>of("main.tf", Set.of("@erin", "@acme/storage"), "db.tf", Set.of("@acme/storage"));
        var f = new ApprovalCheck.Facts("acme/infra#7", "c", "dave", "fixgate", HEAD, List.of(approved("erin")), List.of(),
                Map.of("acme/storage", Set.of("gina")), twoFiles, Set.of(), NOW);
        assertThat(ApprovalCheck.check(NEED_ONE, codeownersOnly, f).satisfied())
                .as("erin owns main.tf but not db.tf").isFalse();
        var g = new ApprovalCheck.Facts("acme/infra#7", "c", "dave", "fixgate", HEAD, List.of(approved("gina")), List.of(),
                Map.of("acme/storage", Set.of("gina")), twoFiles, Set.of(), NOW);
        assertThat(ApprovalCheck.check(NEED_ONE, codeownersOnly, g).satisfied())
                .as("gina owns both files through @acme/storage").isTrue();
    }

    @Test
    void requiredCodeOwnerReviewNeedsAnOwnerOfEachOwnedFile() {
        var required = new RepoConfig.Reviewers(List.of("carol"), List.of("acme/platform"), 1, true, true, 0);
        var files = Map.<String, Set<String>>of("main.tf", Set.of("@erin"), "README.md", Set.of());
        var byCarol = new ApprovalCheck.Facts("acme/infra#7", "c", "dave", "fixgate", HEAD, List.of(approved("carol")),
                List.of(), Map.of(), files, Set.of(), NOW);
        var s = ApprovalCheck.check(NEED_ONE, required, byCarol);
        assertThat(s.satisfied()).as("carol is a configured reviewer but no code owner of main.tf").isFalse();
        assertThat(s.reasons()).anyMatch(r -> r.startsWith("main.tf needs an approval by one of its code owners (@erin)"));
        var byBoth = new ApprovalCheck.Facts("acme/infra#7", "c", "dave", "fixgate", HEAD,
                List.of(approved("carol"), approved("erin")), List.of(), Map.of(), files, Set.of(), NOW);
        assertThat(ApprovalCheck.check(NEED_ONE, required, byBoth).satisfied()).isTrue();
        assertThat(ApprovalCheck.whoMayApprove(required, files)).contains("@carol", "@acme/platform")
                .anyMatch(w -> w.contains("code owner"));
    }

    @Test
    void eachFileItsOwnOwnerEvenWhenNoOwnerIsAListedReviewer() {
        var required = new RepoConfig.Reviewers(List.of("bob"), List.of(), 1, false, true, 0);
        var files = Map.<String, Set<String>>of("main.tf", Set.of("@carol"), "versioning.tf", Set.of("@dave"));
        var all = new ApprovalCheck.Facts("acme/infra#7", "c", "erin", "fixgate", HEAD,
                List.of(approved("bob"), approved("Carol"), approved("dave")), List.of(), Map.of(), files, Set.of(), NOW);
        var s = ApprovalCheck.check(NEED_ONE, required, all);
        assertThat(s.satisfied()).as(s.reasons().toString()).isTrue();
        assertThat(s.approvers()).containsExactly("bob", "Carol", "dave");
        var withoutDave = new ApprovalCheck.Facts("acme/infra#7", "c", "erin", "fixgate", HEAD,
                List.of(approved("bob"), approved("carol")), List.of(), Map.of(), files, Set.of(), NOW);
        assertThat(ApprovalCheck.check(NEED_ONE, required, withoutDave).reasons())
                .contains("versioning.tf needs an approval by one of its code owners (@dave)");
        var changes = new ApprovalCheck.Review("dave", "CHANGES_REQUESTED", NOW.minus(Duration.ofMinutes(1)), HEAD);
        var blocked = new ApprovalCheck.Facts("acme/infra#7", "c", "erin", "fixgate", HEAD,
                List.of(approved("bob"), approved("carol"), approved("dave"), changes), List.of(), Map.of(), files,
                Set.of(), NOW);
        assertThat(ApprovalCheck.check(NEED_ONE, required, blocked).satisfied()).as("a code owner asked for changes")
                .isFalse();
    }

    @Property(tries = 300)
    void theAuthorAndTheBotCannotSatisfyAnything(@ForAll("selfApprovals") List<ApprovalCheck.Review> reviews) {
        assertThat(ApprovalCheck.check(NEED_ONE, TEAM, facts(reviews, List.of())).satisfied()).isFalse();
    }

    @Provide
    Arbitrary<List<ApprovalCheck.Review>> selfApprovals() {
        return Arbitraries.of("dave", "DAVE", "fixgate", "fixgate[bot]", "Fixgate[bot]", " dave ")
                .flatMap(who -> Arbitraries.of("APPROVED", "COMMENTED").map(state ->
                        new ApprovalCheck.Review(who, state, NOW.minus(Duration.ofMinutes(1)), HEAD)))
                .list().ofMaxSize(6);
    }
}
