package dev.fixgate.provider.aws.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.fixgate.spi.evidence.EvidenceCollector;
import dev.fixgate.spi.evidence.ProviderSettings;
import dev.fixgate.spi.evidence.ReadAction;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Read-only by construction: over the bytecode of the collectors (ArchUnit), every call to an AWS SDK service client
 * is an operation whose name is a read, and is declared in some collector's {@code reads()} — so the least-privilege
 * policy fixgate prints covers exactly what the code can call. A planted class calling {@code putBucketPolicy}
 * proves the rule fires.
 */
class ReadOnlyByConstructionTest {

    /** Operation names that read (Get, List, Describe, Lookup, Head…). */
    static final Pattern READ = Pattern.compile("(Get|List|Describe|Lookup|Head|Search|Query|Filter|BatchGet|Select)[A-Z].*");

    /**
     * Reads whose names do not say so, each justified by its access level in IAM's action catalog (the Service
     * Authorization Reference): {@code logs:StartQuery} is "Read" — it schedules a Logs Insights query and changes no
     * resource; the AWS managed policy CloudWatchLogsReadOnlyAccess grants it.
     */
    static final Set<String> READ_BY_ACCESS_LEVEL = Set.of("StartQuery");

    /** SDK client methods that are not operations. */
    static final Set<String> NOT_OPERATIONS = Set.of("close", "serviceName", "serviceClientConfiguration", "utilities", "waiter",
            "builder", "create");

    static {
        // Only the collectors' own bytecode is needed; resolving the SDK's classes would take most of a minute.
        com.tngtech.archunit.ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
    }

    static List<String> violations(JavaClasses classes, Set<String> declared) {
        List<String> out = new ArrayList<>();
        for (var c : classes) {
            for (JavaMethodCall call : c.getMethodCallsFromSelf()) {
                var owner = call.getTargetOwner();
                if (!owner.getPackageName().startsWith("software.amazon.awssdk.services.")
                        || !owner.getSimpleName().endsWith("Client")) {
                    continue;
                }
                String method = call.getName();
                if (NOT_OPERATIONS.contains(method)) {
                    continue;
                }
                String op = Character.toUpperCase(method.charAt(0)) + method.substring(1).replaceFirst("Paginator$", "");
                String where = c.getSimpleName() + " calls " + owner.getSimpleName() + "." + method;
                if (!READ.matcher(op).matches() && !READ_BY_ACCESS_LEVEL.contains(op)) {
                    out.add(where + ": " + op + " is not a read");
                } else if (!declared.contains(op)) {
                    out.add(where + ": " + op + " is declared in no collector's reads()");
                }
            }
        }
        return out;
    }

    static Set<String> declared() {
        Set<String> ops = new TreeSet<>();
        for (EvidenceCollector c : new AwsEvidenceProvider().collectors(ProviderSettings.defaults(Clock.systemUTC()))) {
            c.reads().stream().map(ReadAction::operation).forEach(ops::add);
        }
        return ops;
    }

    @Test
    void collectorsCallOnlyDeclaredReads() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.fixgate.provider.aws.evidence");
        assertThat(classes).isNotEmpty();
        long sdkCalls = classes.stream().flatMap(c -> c.getMethodCallsFromSelf().stream())
                .filter(m -> m.getTargetOwner().getPackageName().startsWith("software.amazon.awssdk.services.")).count();
        assertThat(sdkCalls).as("the rule sees the SDK calls").isGreaterThan(30);
        assertThat(violations(classes, declared())).isEmpty();
    }

    @Test
    void everyDeclaredReadIsAReadAction() {
        for (EvidenceCollector c : new AwsEvidenceProvider().collectors(ProviderSettings.defaults(Clock.systemUTC()))) {
            for (ReadAction r : c.reads()) {
                String action = r.action().substring(r.action().indexOf(':') + 1);
                assertThat(READ.matcher(action).matches() || READ_BY_ACCESS_LEVEL.contains(action))
                        .as(c.id() + " declares " + r.action()).isTrue();
            }
        }
    }

    @Test
    void theRuleFiresOnAWrite() {
        JavaClasses planted = new ClassFileImporter().importPackages("dev.fixgate.provider.aws.evidence.archfixture");
        assertThat(violations(planted, declared())).containsExactlyInAnyOrder(
                "CollectorThatWrites calls S3Client.putBucketPolicy: PutBucketPolicy is not a read",
                "CollectorThatWrites calls S3Client.getBucketReplication: GetBucketReplication is declared in no collector's reads()");
    }

    @Test
    void thePermissionsAreValidLeastPrivilegeIam() throws Exception {
        var provider = new AwsEvidenceProvider();
        var settings = new ProviderSettings(Map.of(), List.of(new ProviderSettings.AccountAccess("222222222222",
                "arn:aws:iam::222222222222:role/fixgate-evidence", "x")), List.of("us-east-1"),
                java.time.Duration.ofSeconds(30), Clock.systemUTC(), Map.of());
        String json = provider.permissions(provider.collectors(settings));
        var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        assertThat(doc.path("Version").asText()).isEqualTo("2012-10-17");
        Set<String> actions = new TreeSet<>();
        Set<String> sids = new TreeSet<>();
        for (var st : doc.path("Statement")) {
            assertThat(st.path("Effect").asText()).isEqualTo("Allow");
            assertThat(sids.add(st.path("Sid").asText())).isTrue();
            assertThat(st.path("Sid").asText()).matches("[A-Za-z0-9]+");
            if (st.path("Action").isArray()) {
                String service = null;
                for (var a : st.path("Action")) {
                    String s = a.asText().substring(0, a.asText().indexOf(':'));
                    assertThat(service == null || service.equals(s)).as("one service per statement").isTrue();
                    service = s;
                    actions.add(a.asText());
                }
                assertThat(st.path("Resource").asText()).isEqualTo("*");
            } else {
                assertThat(st.path("Action").asText()).isEqualTo("sts:AssumeRole");
                assertThat(st.path("Resource").get(0).asText()).isEqualTo("arn:aws:iam::222222222222:role/fixgate-evidence");
            }
        }
        assertThat(actions).contains("s3:ListBucket", "logs:StartQuery", "cloudwatch:GetMetricData", "ec2:DescribeNetworkInterfaces",
                "cloudtrail:LookupEvents", "iam:GetLoginProfile", "kms:GetKeyPolicy", "logs:DescribeLogStreams",
                "lambda:GetFunctionConfiguration", "iam:ListAttachedRolePolicies", "iam:GetPolicyVersion", "iam:GetRolePolicy");
        assertThat(actions).allMatch(a -> READ.matcher(a.substring(a.indexOf(':') + 1)).matches()
                || READ_BY_ACCESS_LEVEL.contains(a.substring(a.indexOf(':') + 1)));
    }
}
