package dev.fixgate.bench.peer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.openrewrite.ExecutionContext;
import org.openrewrite.InMemoryExecutionContext;
import org.openrewrite.Recipe;
import org.openrewrite.Result;
import org.openrewrite.SourceFile;
import org.openrewrite.config.Environment;
import org.openrewrite.hcl.HclParser;
import org.openrewrite.internal.InMemoryLargeSourceSet;

/**
 * What a user of OpenRewrite's rewrite-terraform would run: parse every {@code .tf} file under a directory with
 * rewrite-hcl and run recipes (by default the AWS, Azure and GCP best-practice sets) over them, writing each changed
 * file to the output directory (same relative path). One process per run, like {@code fixgate plan}.
 *
 * <pre>java -cp $(cat target/peer.classpath):target/classes dev.fixgate.bench.peer.RewriteTerraformRun IN OUT [RECIPE...]</pre>
 * Prints {@code files=N changed=M parseErrors=K}.
 */
public final class RewriteTerraformRun {

    static final List<String> DEFAULT = List.of("org.openrewrite.terraform.aws.AWSBestPractices",
            "org.openrewrite.terraform.azure.AzureBestPractices", "org.openrewrite.terraform.gcp.GCPBestPractices");

    public static void main(String[] args) throws Exception {
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        List<String> recipes = args.length > 2 ? List.of(args).subList(2, args.length) : DEFAULT;
        List<Path> files;
        try (Stream<Path> s = Files.walk(in)) {
            files = s.filter(p -> p.toString().endsWith(".tf")).sorted().toList();
        }
        ExecutionContext ctx = new InMemoryExecutionContext(Throwable::printStackTrace);
        List<SourceFile> sources = new ArrayList<>();
        int[] parseErrors = {0};
        HclParser.builder().build().parse(files, in, ctx).forEach(sf -> {
            if (sf instanceof org.openrewrite.tree.ParseError) {
                parseErrors[0]++;
            }
            sources.add(sf);
        });
        Environment env = Environment.builder().scanRuntimeClasspath().build();
        Recipe recipe = env.activateRecipes(recipes);
        List<Result> results = recipe.run(new InMemoryLargeSourceSet(sources), ctx).getChangeset().getAllResults();
        int changed = 0;
        for (Result r : results) {
            if (r.getAfter() == null || r.getBefore() == null) {
                continue;
            }
            Path target = out.resolve(r.getAfter().getSourcePath());
            Files.createDirectories(target.getParent());
            Files.writeString(target, r.getAfter().printAll(), StandardCharsets.UTF_8);
            changed++;
        }
        System.out.println("files=" + files.size() + " changed=" + changed + " parseErrors=" + parseErrors[0]);
    }
}
