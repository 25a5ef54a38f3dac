package dev.fixgate.app.prevent.guardrail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScpPackerTest {

    private static ScpStatement stmt(String playbook, String sid, Object action, Map<String, Object> condition) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("Sid", sid);
        raw.put("Effect", "Deny");
        raw.put("Action", action);
        raw.put("Resource", "*");
        if (condition != null) {
            raw.put("Condition", condition);
        }
        return ScpStatement.of(playbook, raw, "catalog/aws/" + playbook + "/playbook.yaml");
    }

    private static final Map<String, Object> BREAK_GLASS = Map.of("StringNotLike",
            Map.of("aws:PrincipalArn", "arn:aws:iam::*:role/break-glass"));

    @Test
    void statementsThatDifferOnlyInTheirActionsBecomeOne() {
        List<ScpStatement> merged = ScpPacker.merge(List.of(
                stmt("a", "DenyA", List.of("s3:PutBucketVersioning"), BREAK_GLASS),
                stmt("b", "DenyB", "kms:DisableKeyRotation", BREAK_GLASS),
                // same key and value, written as a one-element list: the same condition
                stmt("c", "DenyC", "ecr:PutImageTagMutability",
                        Map.of("StringNotLike", Map.of("aws:PrincipalArn", List.of("arn:aws:iam::*:role/break-glass")))),
                stmt("d", "DenyD", "rds:DeleteDBCluster", Map.of("StringNotLike",
                        Map.of("aws:PrincipalArn", List.of("arn:aws:iam::*:role/break-glass", "arn:aws:iam::*:role/x"))))));
        assertThat(merged).hasSize(2);
        assertThat(merged.getFirst().actions()).containsExactly("ecr:PutImageTagMutability", "kms:DisableKeyRotation",
                "s3:PutBucketVersioning");
        assertThat(merged.getFirst().sources()).containsExactly("a", "b", "c");
        assertThat(merged.getFirst().sid()).isEqualTo("DenyADenyBDenyC");
        assertThat(merged.get(1).actions()).containsExactly("rds:DeleteDBCluster");
        assertThat(merged.get(1).sources()).containsExactly("d");
    }

    @Test
    void identicalStatementsFromTwoPlaybooksAreOneStatementCarryingBoth() {
        List<ScpStatement> merged = ScpPacker.merge(List.of(stmt("x", "Same", "ec2:DisableEbsEncryptionByDefault", null),
                stmt("y", "Same", "ec2:DisableEbsEncryptionByDefault", null)));
        assertThat(merged).singleElement().satisfies(s -> {
            assertThat(s.sid()).isEqualTo("Same");
            assertThat(s.sources()).containsExactly("x", "y");
        });
    }

    @Test
    void anActionAWildcardAlreadyCoversIsDropped() {
        List<ScpStatement> merged = ScpPacker.merge(List.of(stmt("a", "A", "s3:*", null), stmt("b", "B", "s3:PutObject", null),
                stmt("c", "C", "S3:Get?bject", null)));
        assertThat(merged.getFirst().actions()).containsExactly("s3:*");
    }

    @Test
    void notActionListsAreNeverUnited() {
        Map<String, Object> a = new LinkedHashMap<>(Map.of("Effect", "Deny", "NotAction", "iam:*", "Resource", "*"));
        Map<String, Object> b = new LinkedHashMap<>(Map.of("Effect", "Deny", "NotAction", "sts:*", "Resource", "*"));
        assertThat(ScpPacker.merge(List.of(ScpStatement.of("a", a, "x"), ScpStatement.of("b", b, "y")))).hasSize(2);
    }

    @Test
    void aLongJoinedSidSaysHowManyWereMerged() {
        List<ScpStatement> many = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            many.add(stmt("p" + i, "DenySomethingRatherLong" + i, "s3:PutBucketPolicy" + i, BREAK_GLASS));
        }
        assertThat(ScpPacker.merge(many).getFirst().sid()).isEqualTo("DenySomethingRatherLong0And5More");
    }

    @Test
    void policiesAreFilledToTheQuotaAndNoFurther() {
        List<ScpStatement> statements = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            // distinct conditions, so nothing merges: each statement is about 190 characters
            statements.add(stmt("p" + i, "Deny" + i, List.of("s3:PutBucketPolicy", "s3:DeleteBucketPolicy"),
                    Map.of("StringNotLike", Map.of("aws:PrincipalArn", "arn:aws:iam::*:role/team-" + i + "-admin-role"))));
        }
        List<ScpPolicy> packed = ScpPacker.pack(statements, "fixgate-guardrails-ou-ab12-cdef3456", 4);
        assertThat(packed).hasSizeGreaterThan(1).hasSizeLessThanOrEqualTo(4);
        assertThat(packed).allSatisfy(p -> {
            assertThat(p.size()).isLessThanOrEqualTo(ScpPolicy.MAX_CHARACTERS).isEqualTo(p.minified().length());
            assertThat(p.room()).isEqualTo(ScpPolicy.MAX_CHARACTERS - p.size());
        });
        // first-fit: every policy but the last is too full to take another statement
        for (ScpPolicy p : packed.subList(0, packed.size() - 1)) {
            assertThat(p.room()).isLessThan(220);
        }
        assertThat(packed.stream().mapToInt(p -> p.statements().size()).sum()).isEqualTo(60);
        assertThat(packed.getFirst().name()).isEqualTo("fixgate-guardrails-ou-ab12-cdef3456-1");
        // the same statements in another order pack the same
        List<ScpStatement> reversed = new ArrayList<>(statements);
        java.util.Collections.reverse(reversed);
        assertThat(ScpPacker.pack(reversed, "fixgate-guardrails-ou-ab12-cdef3456", 4)).isEqualTo(packed);
    }

    @Test
    void moreThanTheQuotaOfPoliciesIsRefusedWithTheSizes() {
        List<ScpStatement> statements = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            statements.add(stmt("p" + i, "Deny" + i, List.of("s3:PutBucketPolicy", "s3:DeleteBucketPolicy"),
                    Map.of("StringNotLike", Map.of("aws:PrincipalArn", "arn:aws:iam::*:role/team-" + i + "-admin-role"))));
        }
        assertThatThrownBy(() -> ScpPacker.pack(statements, "p", 1)).isInstanceOf(GuardrailException.class)
                .hasMessageContaining("need 3 policies").hasMessageContaining("1 may be attached")
                .extracting(e -> ((GuardrailException) e).code()).isEqualTo("guardrail.too-many-policies");
    }

    @Test
    void aStatementLargerThanAPolicyIsRefused() {
        List<String> actions = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            actions.add("s3:PutSomethingNumber" + i);
        }
        assertThatThrownBy(() -> ScpPacker.pack(List.of(stmt("big", "Big", actions, null)), "p", 4))
                .isInstanceOf(GuardrailException.class).hasMessageContaining("statement Big (from [big])")
                .hasMessageContaining("5120");
    }

    @Test
    void sizeCountsWhatTerraformsJsonencodeSends() {
        // jsonencode writes <, > and & as six-character \\u003c escapes
        assertThat(ScpPolicy.size("{\"a\":\"<&>\"}")).isEqualTo(11 + 3 * 5);
        assertThat(ScpPolicy.size("{\"a\":\"é\"}")).isEqualTo(9);
    }

    @Test
    void badStatementDataIsNamedByFileAndPointer() {
        Map<String, Object> raw = new LinkedHashMap<>(Map.of("Effect", "Deny", "Action", "s3:*", "Principal", "*"));
        assertThatThrownBy(() -> ScpStatement.of("p", raw, "catalog/aws/p/playbook.yaml"))
                .isInstanceOf(GuardrailException.class)
                .hasMessageContaining("'Principal' is not an SCP statement element")
                .satisfies(e -> assertThat(((GuardrailException) e).location().orElseThrow().toString())
                        .contains("catalog/aws/p/playbook.yaml").contains("/guardrail/aws_scp/Principal"));
        Map<String, Object> badAction = new LinkedHashMap<>(Map.of("Effect", "Deny", "Action", "PutObject"));
        assertThatThrownBy(() -> ScpStatement.of("p", badAction, "f")).hasMessageContaining("not service:Action");
        Map<String, Object> both = new LinkedHashMap<>(Map.of("Effect", "Deny", "Action", "s3:*", "NotAction", "s3:Get*"));
        assertThatThrownBy(() -> ScpStatement.of("p", both, "f")).hasMessageContaining("exactly one of Action and NotAction");
    }
}
