package dev.fixgate.bench.patch;

import dev.fixgate.patch.OperationRegistry;
import dev.fixgate.patch.cloudformation.CfnDocument;
import dev.fixgate.spi.iac.IacFormat;
import dev.fixgate.spi.iac.PatchContext;
import dev.fixgate.spi.iac.PatchOperation;
import dev.fixgate.spi.iac.PatchResult;
import dev.fixgate.spi.iac.ResourceSelector;
import dev.fixgate.spi.iac.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openrewrite.InMemoryExecutionContext;
import org.openrewrite.PrintOutputCapture;
import org.openrewrite.hcl.HclParser;
import org.openrewrite.hcl.internal.HclPrinter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Patching throughput against parsing alone, side by side in one run.
 *
 * <ul>
 *   <li>{@code tfCorpusParsePrint} / {@code tfCorpusPatch}: every Terraform file of the KICS samples and TerraGoat
 *       (copied under {@code iac-patchers/src/test/resources/corpus}); the baseline parses each with rewrite-hcl and
 *       prints it back (the least any lossless edit does), the patch applies {@code terraform.merge_tags} to the first
 *       resource of each file (parse, index, locate, splice, re-parse the output).</li>
 *   <li>{@code cfnCorpusCompose} / {@code cfnCorpusPatch}: the CloudFormation samples; the baseline composes each
 *       with snakeyaml-engine, the patch applies {@code cloudformation.merge_tags} to the first resource.</li>
 *   <li>{@code large10kParsePrint} / {@code large10kPatch}: a generated file of 10,000 resources; one
 *       {@code terraform.set_attribute} on the resource in the middle.</li>
 * </ul>
 * One invocation handles the whole corpus (or the one large file): files per second = files / time per invocation.
 * Run: {@code ./bench jmh PatchBenchmark -f 1 -wi 3 -i 5}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class PatchBenchmark {

    private static final Pattern RESOURCE = Pattern.compile("(?m)^resource\\s+\"([^\"]+)\"\\s+\"([^\"]+)\"");

    /** A file and where to patch it. */
    record Task(SourceFile file, ResourceSelector target, PatchOperation op) {
    }

    List<Task> tf;
    List<Task> cfn;
    SourceFile large;
    PatchOperation largeOp;
    ResourceSelector largeTarget;

    @Setup(Level.Trial)
    public void load() throws IOException {
        Path corpus = findCorpus();
        OperationRegistry reg = OperationRegistry.load();
        PatchOperation tfTags = reg.create("terraform.merge_tags", Map.of("tags", Map.of("Owner", "platform")));
        PatchOperation cfnTags = reg.create("cloudformation.merge_tags", Map.of("tags", Map.of("Owner", "platform")));
        tf = new ArrayList<>();
        cfn = new ArrayList<>();
        try (Stream<Path> s = Files.walk(corpus)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                String name = p.toString();
                String text = Files.readString(p);
                if (name.endsWith(".tf")) {
                    Matcher m = RESOURCE.matcher(text);
                    if (m.find()) {
                        tf.add(new Task(new SourceFile(name, text, IacFormat.TERRAFORM),
                                new ResourceSelector.ByAddress(m.group(1) + "." + m.group(2)), tfTags));
                    }
                } else if (name.contains("/cloudFormation/") && (name.endsWith(".yaml") || name.endsWith(".json"))) {
                    IacFormat f = name.endsWith(".json") ? IacFormat.CLOUDFORMATION_JSON : IacFormat.CLOUDFORMATION_YAML;
                    CfnDocument d = CfnDocument.parse(name, text, f == IacFormat.CLOUDFORMATION_JSON);
                    if (!d.resources().isEmpty()) {
                        cfn.add(new Task(new SourceFile(name, text, f),
                                new ResourceSelector.ByAddress(d.resources().get(0).logicalId()), cfnTags));
                    }
                }
            }
        }
        large = new SourceFile("large.tf", generate(10_000), IacFormat.TERRAFORM);
        largeOp = reg.create("terraform.set_attribute", Map.of("path", "force_destroy", "value", false));
        largeTarget = new ResourceSelector.ByAddress("aws_s3_bucket.b5000");
        System.out.printf("%nPatchBenchmark corpus: %d Terraform files, %d CloudFormation templates, large file %d bytes%n",
                tf.size(), cfn.size(), large.text().length());
    }

    @Benchmark
    public void tfCorpusParsePrint(Blackhole bh) {
        for (Task t : tf) {
            bh.consume(parsePrint(t.file().text()));
        }
    }

    @Benchmark
    public void tfCorpusPatch(Blackhole bh) {
        for (Task t : tf) {
            bh.consume(t.op().apply(t.file(), t.target(), PatchContext.none()));
        }
    }

    @Benchmark
    public void cfnCorpusCompose(Blackhole bh) {
        for (Task t : cfn) {
            bh.consume(CfnDocument.parse(t.file().path(), t.file().text(), t.file().format() == IacFormat.CLOUDFORMATION_JSON));
        }
    }

    @Benchmark
    public void cfnCorpusPatch(Blackhole bh) {
        for (Task t : cfn) {
            bh.consume(t.op().apply(t.file(), t.target(), PatchContext.none()));
        }
    }

    @Benchmark
    @Warmup(iterations = 2, time = 5)
    public String large10kParsePrint() {
        return parsePrint(large.text());
    }

    @Benchmark
    @Warmup(iterations = 2, time = 5)
    public PatchResult large10kPatch() {
        PatchResult r = largeOp.apply(large, largeTarget, PatchContext.none());
        if (!(r instanceof PatchResult.Changed)) {
            throw new IllegalStateException("the large-file patch did not apply: " + r);
        }
        return r;
    }

    static String parsePrint(String text) {
        org.openrewrite.SourceFile sf = HclParser.builder().build().parse(new InMemoryExecutionContext(), text).findFirst().orElseThrow();
        PrintOutputCapture<Integer> out = new PrintOutputCapture<>(0);
        new HclPrinter<Integer>().visit(sf, out);
        return out.getOut();
    }

    /** 10,000 S3 buckets the way people write them: aligned attributes, a tags map, a comment now and then. */
    static String generate(int n) {
        StringBuilder sb = new StringBuilder(n * 200);
        for (int i = 0; i < n; i++) {
            if (i % 10 == 0) {
                sb.append("# bucket group ").append(i / 10).append('\n');
            }
            sb.append("resource \"aws_s3_bucket\" \"b").append(i).append("\" {\n")
                    .append("  bucket        = \"bucket-").append(i).append("\" # name\n")
                    .append("  force_destroy = true\n")
                    .append("  tags = {\n    Name = \"b").append(i).append("\"\n    Team = \"t").append(i % 7).append("\"\n  }\n")
                    .append("}\n\n");
        }
        return sb.toString();
    }

    /** The corpus copied into iac-patchers' test resources: -Dfixgate.corpus, else found from the working directory up. */
    static Path findCorpus() {
        String prop = System.getProperty("fixgate.corpus");
        if (prop != null) {
            return Path.of(prop);
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path c = d.resolve("iac-patchers/src/test/resources/corpus");
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        throw new UncheckedIOException(new IOException("corpus not found; run from the repository or pass -Dfixgate.corpus=DIR"));
    }
}
