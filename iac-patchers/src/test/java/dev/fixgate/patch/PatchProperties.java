package dev.fixgate.patch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.patch.cloudformation.CfnDocument;
import dev.fixgate.patch.terraform.HclDocument;
import dev.fixgate.spi.iac.IacFormat;
import dev.fixgate.spi.iac.PatchContext;
import dev.fixgate.spi.iac.PatchOperation;
import dev.fixgate.spi.iac.PatchResult;
import dev.fixgate.spi.iac.ResourceSelector;
import dev.fixgate.spi.iac.SourceFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;
import net.jqwik.api.statistics.Statistics;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Properties every operation must have, on generated files: the diff is confined to the target resource (plus,
 * for a companion, the lines inserted right after it), lines inside it are only added or have their value
 * replaced, the output parses, and applying the operation to its own output changes nothing.
 */
public class PatchProperties {

    /**
     * Generated Terraform files with an operation applied to one resource: the outputs that changed. The validator
     * tier hands them to HashiCorp's parser as well.
     */
    public static List<String> sampleTerraformOutputs(int n) {
        // Plain java.util.Random with a fixed seed, same vocabulary as the arbitraries: jqwik's generators need
        // a jqwik thread, and the validator tier must be reproducible.
        java.util.Random random = new java.util.Random(42);
        List<PatchOperation> ops = TF_OPERATIONS.get();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Res> resources = new ArrayList<>();
            int count = 1 + random.nextInt(6);
            for (int k = 0; k < count; k++) {
                List<String[]> attrs = new ArrayList<>();
                java.util.Set<String> seen = new java.util.HashSet<>();
                for (int a = random.nextInt(6); a > 0; a--) {
                    String name = NAMES.get(random.nextInt(NAMES.size()));
                    if (seen.add(name)) {
                        String c = COMMENTS.get(random.nextInt(COMMENTS.size()));
                        String v = VALUES.get(random.nextInt(VALUES.size()));
                        attrs.add(c.isEmpty() ? new String[] {name, v} : new String[] {name, v, c});
                    }
                }
                resources.add(new Res(TYPES.get(random.nextInt(TYPES.size())), "r" + k, attrs, random.nextBoolean(),
                        random.nextBoolean(), random.nextBoolean()));
            }
            PatchOperation op = ops.get(random.nextInt(ops.size()));
            Res t = resources.get(random.nextInt(resources.size()));
            StringBuilder sb = new StringBuilder();
            resources.forEach(r -> sb.append(r.render()).append('\n'));
            PatchResult r = op.apply(new SourceFile("gen.tf", sb.toString(), IacFormat.TERRAFORM),
                    new ResourceSelector.ByAddress(t.type() + "." + t.name()), PatchContext.none());
            if (r instanceof PatchResult.Changed c) {
                out.add(c.text());
            }
        }
        return out;
    }

    static final List<String> TYPES = List.of("aws_kms_key", "aws_s3_bucket", "aws_ebs_volume");
    static final List<String> NAMES = List.of("description", "bucket", "acl", "force_destroy", "enable_key_rotation",
            "deletion_window_in_days", "encrypted", "storage_encrypted", "size", "is_enabled");
    static final List<String> VALUES = List.of("true", "false", "10", "\"text\"", "\"a # not a comment\"",
            "var.thing", "[\"a\", \"b\"]", "{ k = \"v\" }");
    static final List<String> COMMENTS = List.of("", "keep me", "revisit later", "}");
    static final java.util.function.Supplier<List<PatchOperation>> TF_OPERATIONS = () -> List.of(
            Fixtures.op("terraform.set_attribute", Map.of("path", "enable_key_rotation", "value", true)),
            Fixtures.op("terraform.set_attribute", Map.of("path", "description", "value", "managed by fixgate")),
            Fixtures.op("terraform.set_attribute", Map.of("path", "versioning.enabled", "value", true)),
            Fixtures.op("terraform.ensure_block", Map.of("block", "server_side_encryption_configuration.rule",
                    "attributes", Map.of("bucket_key_enabled", true))),
            Fixtures.op("terraform.ensure_block", Map.of("attributes", Map.of("encrypted", true, "size", 10))),
            Fixtures.op("terraform.merge_tags", Map.of("tags", Map.of("Owner", "sec"))),
            Fixtures.op("terraform.remove_list_element", Map.of("attribute", "acl", "value", "b")),
            Fixtures.op("terraform.add_companion_resource", Map.of("type", "aws_s3_bucket_versioning",
                    "body", Map.of("versioning_configuration", Map.of("status", "Enabled")))));

    /** A generated resource: type, name, attributes (some with trailing comments), aligned or not, maybe a block. */
    record Res(String type, String name, List<String[]> attrs, boolean aligned, boolean nested, boolean comment) {
        String render() {
            int w = aligned ? attrs.stream().mapToInt(a -> a[0].length()).max().orElse(0) : 0;
            StringBuilder sb = new StringBuilder();
            if (comment) {
                sb.append("# ").append(name).append(" is important\n");
            }
            sb.append("resource \"").append(type).append("\" \"").append(name).append("\" {\n");
            for (String[] a : attrs) {
                sb.append("  ").append(a[0]).append(" ".repeat(Math.max(1, w - a[0].length() + 1))).append("= ").append(a[1]);
                if (a.length > 2) {
                    sb.append(" # ").append(a[2]);
                }
                sb.append('\n');
            }
            if (nested) {
                sb.append("\n  timeouts {\n    create = \"5m\" # slow\n  }\n");
            }
            return sb.append("}\n").toString();
        }
    }

    static Arbitrary<String[]> attribute() {
        Arbitrary<String> name = Arbitraries.of(NAMES);
        Arbitrary<String> value = Arbitraries.of(VALUES);
        Arbitrary<String> comment = Arbitraries.of(COMMENTS);
        return Combinators.combine(name, value, comment).as((n, v, c) -> c.isEmpty() ? new String[] {n, v} : new String[] {n, v, c});
    }

    @Provide
    Arbitrary<List<Res>> files() {
        Arbitrary<Res> res = Combinators.combine(Arbitraries.of(TYPES),
                attribute().list().ofMinSize(0).ofMaxSize(5).uniqueElements(a -> a[0]),
                Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((t, attrs, aligned, nested, comment) -> new Res(t, "r", attrs, aligned, nested, comment));
        return res.list().ofMinSize(1).ofMaxSize(6).map(l -> {
            List<Res> out = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                Res r = l.get(i);
                out.add(new Res(r.type(), "r" + i, r.attrs(), r.aligned(), r.nested(), r.comment()));
            }
            return out;
        });
    }

    @Provide
    Arbitrary<PatchOperation> tfOperations() {
        return Arbitraries.of(TF_OPERATIONS.get());
    }

    @Property(tries = 300)
    void terraformEditsStayInsideTheTargetAndAreIdempotent(@ForAll("files") List<Res> resources,
                                                          @ForAll("tfOperations") PatchOperation op,
                                                          @ForAll int pick) {
        StringBuilder sb = new StringBuilder();
        List<int[]> spans = new ArrayList<>();
        int line = 1;
        for (Res r : resources) {
            String text = r.render() + "\n";
            int lines = (int) text.chars().filter(c -> c == '\n').count();
            spans.add(new int[] {line, line + lines - 2});
            line += lines;
            sb.append(text);
        }
        String before = sb.toString();
        int target = Math.floorMod(pick, resources.size());
        Res t = resources.get(target);
        SourceFile f = new SourceFile("gen.tf", before, IacFormat.TERRAFORM);
        PatchResult r = op.apply(f, new ResourceSelector.ByAddress(t.type() + "." + t.name()), PatchContext.none());
        Statistics.collect(r.getClass().getSimpleName());
        if (!(r instanceof PatchResult.Changed c)) {
            // refusing (a var. value, a computed tags map) or finding it compliant must not have written anything
            assertThat(r).isNotNull();
            return;
        }
        String after = c.text();
        HclDocument.parse("gen.tf", after);
        confined(before, after, spans.get(target)[0] + (t.comment() ? 1 : 0), spans.get(target)[1]);
        assertThat(op.apply(new SourceFile("gen.tf", after, IacFormat.TERRAFORM),
                new ResourceSelector.ByAddress(t.type() + "." + t.name()), PatchContext.none()))
                .as("idempotent").isInstanceOf(PatchResult.AlreadyCompliant.class);
    }

    /**
     * Lines before {@code first} and after {@code last} (1-based, of {@code before}) are byte-identical in
     * {@code after}; inside, every original line survives unchanged except those whose value was replaced.
     */
    static void confined(String before, String after, int first, int last) {
        List<String> b = before.lines().toList();
        List<String> a = after.lines().toList();
        for (int i = 0; i < first - 1; i++) {
            assertThat(a.get(i)).as("line %d before the target", i + 1).isEqualTo(b.get(i));
        }
        int tail = b.size() - last;
        int insertedAfter = 0;
        // a companion resource is inserted right after the target: skip over it when matching the tail
        while (tail > 0 && !a.subList(a.size() - tail, a.size()).equals(b.subList(b.size() - tail, b.size()))
                && insertedAfter < a.size()) {
            insertedAfter++;
            tail--;
        }
        List<String> bTail = b.subList(last, b.size());
        List<String> aTail = a.subList(a.size() - bTail.size(), a.size());
        assertThat(aTail).as("lines after the target").isEqualTo(bTail);
        List<String> bBlock = b.subList(first - 1, last);
        List<String> aBlock = a.subList(first - 1, a.size() - bTail.size());
        int missing = 0;
        int j = 0;
        for (String line : bBlock) {
            int k = aBlock.subList(j, aBlock.size()).indexOf(line);
            if (k < 0) {
                missing++;
                // a replaced value keeps everything before `=`: the attribute's line is still recognisable
                assertThat(aBlock.stream().anyMatch(l -> l.contains("=") && line.contains("=")
                        && l.substring(0, l.indexOf('=')).equals(line.substring(0, line.indexOf('=')))))
                        .as("changed line %s keeps its name and alignment", line).isTrue();
            } else {
                j += k + 1;
            }
        }
        assertThat(missing).as("original lines rewritten").isLessThanOrEqualTo(2);
    }

    @Example
    void theConfinementCheckCatchesEditsOutsideTheTarget() {
        String before = "a = 1\nresource \"x\" \"y\" {\n  b = 2\n}\nc = 3\n";
        confined(before, before.replace("  b = 2", "  b = 3"), 2, 4);
        assertThatThrownBy(() -> confined(before, before.replace("a = 1", "a = 2"), 2, 4)).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> confined(before, before.replace("c = 3", "c = 4"), 2, 4)).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> confined(before, before.replace("  b = 2", "  bb = 2"), 2, 4)).isInstanceOf(AssertionError.class);
    }

    record Cfn(String id, String type, boolean flow, boolean comment, String existing) {
        String render(String unit) {
            String i2 = unit + unit;
            StringBuilder sb = new StringBuilder();
            if (comment) {
                sb.append(unit).append("# ").append(id).append(" matters\n");
            }
            sb.append(unit).append(id).append(":\n").append(i2).append("Type: ").append(type).append('\n');
            sb.append(i2).append("Properties:\n");
            sb.append(i2).append(unit).append("Name: !Sub \"${AWS::StackName}-").append(id).append("\" # named\n");
            if (flow) {
                sb.append(i2).append(unit).append("Config: { A: 1, ").append(existing).append(" }\n");
            } else {
                sb.append(i2).append(unit).append("Config:\n").append(i2).append(unit).append(unit).append("A: 1\n")
                        .append(i2).append(unit).append(unit).append(existing).append('\n');
            }
            sb.append(i2).append(unit).append("Desc: >\n").append(i2).append(unit).append(unit).append("folded\n");
            return sb.toString();
        }
    }

    @Provide
    Arbitrary<List<Cfn>> templates() {
        Arbitrary<Cfn> c = Combinators.combine(Arbitraries.of("AWS::S3::Bucket", "AWS::KMS::Key"), Arbitraries.of(true, false),
                Arbitraries.of(true, false), Arbitraries.of("B: false", "B: true", "C: x"))
                .as((t, flow, comment, existing) -> new Cfn("R", t, flow, comment, existing));
        return c.list().ofMinSize(1).ofMaxSize(5).map(l -> {
            List<Cfn> out = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) {
                Cfn x = l.get(i);
                out.add(new Cfn("Res" + i, x.type(), x.flow(), x.comment(), x.existing()));
            }
            return out;
        });
    }

    @Property(tries = 200)
    void cloudFormationEditsStayInsideTheTargetAndAreIdempotent(@ForAll("templates") List<Cfn> resources,
                                                               @ForAll int pick, @ForAll boolean fourSpaces) {
        String unit = fourSpaces ? "    " : "  ";
        StringBuilder sb = new StringBuilder("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n");
        List<int[]> spans = new ArrayList<>();
        int line = 3;
        for (Cfn r : resources) {
            String text = r.render(unit);
            int lines = (int) text.chars().filter(ch -> ch == '\n').count();
            spans.add(new int[] {line + (r.comment() ? 1 : 0), line + lines - 1});
            line += lines;
            sb.append(text);
        }
        sb.append("Outputs:\n").append(unit).append("X:\n").append(unit).append(unit).append("Value: !Ref Res0\n");
        String before = sb.toString();
        int target = Math.floorMod(pick, resources.size());
        PatchOperation op = Fixtures.op("cloudformation.merge_properties",
                Map.of("properties", Map.of("Config", Map.of("B", true, "D", "new value: quoted"))));
        SourceFile f = new SourceFile("t.yaml", before, IacFormat.CLOUDFORMATION_YAML);
        PatchResult r = op.apply(f, new ResourceSelector.ByAddress(resources.get(target).id()), PatchContext.none());
        assertThat(r).isInstanceOf(PatchResult.Changed.class);
        String after = ((PatchResult.Changed) r).text();
        CfnDocument.parse("t.yaml", after, false);
        confined(before.replace(": ", "= "), after.replace(": ", "= "), spans.get(target)[0], spans.get(target)[1]);
        assertThat(op.apply(new SourceFile("t.yaml", after, IacFormat.CLOUDFORMATION_YAML),
                new ResourceSelector.ByAddress(resources.get(target).id()), PatchContext.none()))
                .isInstanceOf(PatchResult.AlreadyCompliant.class);
    }
}
