package dev.fixgate.bench.peer;

import dev.fixgate.app.locate.RepoScan;
import dev.fixgate.app.prevent.Checker;
import dev.fixgate.patch.model.ModelResource;
import dev.fixgate.playbooks.Detector;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.playbooks.PlaybookCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;

/**
 * {@code fixgate plan} side by side with the peer users would pick instead, OpenRewrite's rewrite-terraform 2.4.1
 * (its AWS, Azure and GCP {@code *BestPractices} recipe sets), over the same Terraform: the shared corpora's KICS
 * samples (each file its own module, as the samples reuse resource names) and TerraGoat's modules, copied into one
 * input tree. Each tool runs as its own process per run (JVM start included, as a user runs it): fixgate through the
 * {@code ./fixgate} launcher, exactly as users run it (its JVM options and class-data archive included), the peer
 * with {@code java}. Each tool runs once untimed first (the launcher builds if it must and archives its classes; both
 * read the input into the page cache), then alternating, {@code rounds} times; medians are reported. Two scopes: the full catalogs, and the shared scope (the controls both
 * have: fixgate restricted to the playbooks in {@link #SHARED}, OpenRewrite to the matching recipes).
 *
 * <p>Measured per tool and scope: <b>fixed misconfigurations</b> by one common oracle — fixgate's {@code detect}
 * conditions (the catalog's, restricted to the scope), counted as (resource, playbook) pairs failing before and
 * passing after; <b>files broken</b> — outputs HashiCorp's parser rejects ({@code hclfmt}, when installed, else
 * rewrite-hcl); <b>fmt regressions</b> — outputs {@code terraform fmt} would change although the input was clean;
 * <b>lines touched outside the fixed resources</b> — changed or removed lines of the input outside the spans of the
 * resources the oracle counts as fixed (new blocks a fix adds, like companion resources and variable declarations,
 * are counted apart as added blocks); and <b>wall time</b>.
 *
 * <pre>./bench peer [ROUNDS]</pre>
 */
public final class PlanVsRewrite {

    /** fixgate playbook → the rewrite-terraform recipes for the same control (the shared scope). */
    static final Map<String, List<String>> SHARED = new LinkedHashMap<>();

    static {
        String aws = "org.openrewrite.terraform.aws.";
        SHARED.put("ebs_volume_encryption", List.of(aws + "EncryptEBSVolumes"));
        SHARED.put("kms_key_rotation", List.of(aws + "EnsureAWSCMKRotationIsEnabled"));
        SHARED.put("iam_password_policy", List.of(aws + "EnsureIAMPasswordPolicyExpiresPasswordsWithin90DaysOrLess",
                aws + "EnsureAWSIAMPasswordPolicyHasAMinimumOf14Characters",
                aws + "EnsureIAMPasswordPolicyRequiresAtLeastOneLowercaseLetter",
                aws + "EnsureIAMPasswordPolicyRequiresAtLeastOneNumber", aws + "EnsureIAMPasswordPolicyPreventsPasswordReuse",
                aws + "EnsureIAMPasswordPolicyRequiresAtLeastOneSymbol",
                aws + "EnsureIAMPasswordPolicyRequiresAtLeastOneUppercaseLetter"));
        SHARED.put("rds_cluster_storage_encryption", List.of(aws + "EncryptRDSClusters", aws + "EncryptAuroraClusters"));
        SHARED.put("rds_not_publicly_accessible", List.of(aws + "EnsureAWSRDSDatabaseInstanceIsNotPubliclyAccessible"));
        SHARED.put("s3_bucket_default_encryption", List.of(aws + "EnsureDataStoredInAnS3BucketIsSecurelyEncryptedAtRest"));
        SHARED.put("s3_bucket_versioning", List.of(aws + "EnsureAWSS3ObjectVersioningIsEnabled"));
        SHARED.put("ecr_scan_on_push", List.of(aws + "EnableECRScanOnPush"));
        SHARED.put("ecr_image_tag_immutability", List.of(aws + "ImmutableECRTags"));
        SHARED.put("cloudtrail_log_file_validation", List.of(aws + "EnsureCloudTrailLogFileValidationIsEnabled"));
        SHARED.put("ec2_imdsv2_instance", List.of(aws + "DisableInstanceMetadataServiceV1"));
        SHARED.put("rds_iam_auth", List.of(aws + "EnsureRDSDatabaseHasIAMAuthenticationEnabled"));
        String az = "org.openrewrite.terraform.azure.";
        SHARED.put("azure_storage_https_only", List.of(az + "EnableAzureStorageSecureTransferRequired"));
        SHARED.put("azure_app_service_https_only", List.of(az + "EnsureAzureAppServiceWebAppRedirectsHTTPToHTTPS"));
        SHARED.put("azure_storage_min_tls", List.of(az + "EnsureStorageAccountUsesLatestTLSVersion"));
        SHARED.put("azure_keyvault_purge_protection", List.of(az + "EnsureKeyVaultEnablesPurgeProtection"));
        String gcp = "org.openrewrite.terraform.gcp.";
        SHARED.put("gcp_bucket_uniform_access", List.of(gcp + "EnsureGCPCloudStorageBucketWithUniformBucketLevelAccessAreEnabled"));
        SHARED.put("gcp_vm_shielded_vm", List.of(gcp + "EnsureComputeInstancesLaunchWithShieldedVMEnabled"));
    }

    static final List<String> FULL_RECIPES = List.of("org.openrewrite.terraform.aws.AWSBestPractices",
            "org.openrewrite.terraform.azure.AzureBestPractices", "org.openrewrite.terraform.gcp.GCPBestPractices");

    record Tool(String name, List<String> command) {
    }

    record Scope(String name, Set<String> playbooks, List<String> recipes) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path root = Path.of("").toAbsolutePath();
        Path work = root.resolve("test/bench/target/peer-bench");
        deleteTree(work);
        Path in = work.resolve("in");
        int files = corpus(root, in);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String launcher = root.resolve("fixgate").toString();
        String peerCp = Files.readString(root.resolve("test/bench/peer/target/peer.classpath")).strip() + ":"
                + root.resolve("test/bench/peer/target/classes");
        PlaybookCatalog catalog = PlaybookCatalog.builtIn();
        Set<String> all = catalog.all().stream().filter(p -> p.variantOf().isEmpty()).map(Playbook::id)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        List<String> sharedRecipes = SHARED.values().stream().flatMap(List::stream).toList();
        List<Scope> scopes = List.of(new Scope("full catalogs", all, FULL_RECIPES),
                new Scope("shared scope", SHARED.keySet(), sharedRecipes));
        Path hclfmt = hclfmt(root);

        System.out.printf("corpus: %d Terraform files (KICS samples and TerraGoat from the shared corpora), %d rounds%n",
                files, rounds);
        System.out.printf("java: %s %s; hclfmt: %s%n", System.getProperty("java.vm.name"), System.getProperty("java.version"),
                hclfmt == null ? "not installed (rewrite-hcl decides what is broken)" : hclfmt);
        StringBuilder table = new StringBuilder("| scope | tool | fixed (oracle) | files changed | files broken | fmt regressions"
                + " | lines touched outside fixed resources | blocks added | wall time (median) | CPU time (median) | wall times |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Scope scope : scopes) {
            // as users run it: the launcher (FIXGATE_JAVA_OPTS, when set, reaches it through the environment)
            List<String> fixgateCmd = new ArrayList<>(List.of(launcher, "plan", "--repo", in.toString()));
            if (scope.playbooks() != all) {
                scope.playbooks().forEach(p -> fixgateCmd.addAll(List.of("--playbook", p)));
            }
            List<String> peerCmd = new ArrayList<>(List.of(java, "-cp", peerCp,
                    "dev.fixgate.bench.peer.RewriteTerraformRun", in.toString()));
            Tool fixgate = new Tool("fixgate plan", fixgateCmd);
            Tool peer = new Tool("rewrite-terraform 2.4.1", peerCmd);
            Map<String, List<Double>> times = new LinkedHashMap<>();
            Map<String, List<Double>> cpu = new LinkedHashMap<>();
            Map<String, Path> lastOut = new LinkedHashMap<>();
            for (int r = -1; r < rounds; r++) {
                for (Tool t : r % 2 == 0 ? List.of(fixgate, peer) : List.of(peer, fixgate)) {
                    Path out = work.resolve("out-" + scope.name().replace(' ', '-') + "-" + (t == fixgate ? "fixgate" : "peer") + "-"
                            + (r < 0 ? "warmup" : r));
                    List<String> cmd = new ArrayList<>(t.command());
                    if (t == fixgate) {
                        cmd.addAll(List.of("--out", out.toString()));
                    } else {
                        cmd.add(out.toString());
                        cmd.addAll(scope.recipes());
                    }
                    // CPU time (user + system) of the process too: on a shared machine wall time depends on the load
                    Path cpuFile = work.resolve("cpu-" + out.getFileName() + ".txt");
                    if (Files.isExecutable(Path.of("/usr/bin/time"))) {
                        cmd.addAll(0, List.of("/usr/bin/time", "-f", "%U %S", "-o", cpuFile.toString()));
                    }
                    long start = System.nanoTime();
                    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                            .redirectOutput(work.resolve("log-" + out.getFileName() + ".txt").toFile()).start();
                    if (!p.waitFor(10, TimeUnit.MINUTES)) {
                        p.destroyForcibly();
                        throw new IllegalStateException(t.name() + " did not finish in 10 minutes");
                    }
                    double secs = (System.nanoTime() - start) / 1e9;
                    if (t == fixgate && p.exitValue() > 1) {
                        // 1 is "some findings cannot be patched"; more is a failure (the launcher's build, a usage error)
                        throw new IllegalStateException(t.name() + " failed: see " + work.resolve("log-" + out.getFileName() + ".txt"));
                    }
                    if (p.exitValue() != 0 && t == peer) {
                        throw new IllegalStateException(t.name() + " failed: see " + work.resolve("log-" + out.getFileName() + ".txt"));
                    }
                    if (r < 0) {
                        System.out.printf("%s, %s: untimed first run %.2f s%n", scope.name(), t.name(), secs);
                        continue;
                    }
                    times.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(secs);
                    if (Files.exists(cpuFile)) {
                        String[] us = Files.readString(cpuFile).strip().lines().reduce((a, b) -> b).orElse("0 0").split("\\s+");
                        cpu.computeIfAbsent(t.name(), k -> new ArrayList<>())
                                .add(Double.parseDouble(us[0]) + Double.parseDouble(us[1]));
                    }
                    lastOut.put(t.name(), out);
                }
            }
            for (Tool t : List.of(fixgate, peer)) {
                Quality q = quality(catalog, scope.playbooks(), in, lastOut.get(t.name()), hclfmt);
                List<Double> ts = times.get(t.name());
                List<Double> cs = cpu.getOrDefault(t.name(), List.of());
                table.append(String.format("| %s | %s | %d of %d | %d | %d | %d | %d | %d | %.2f s | %s | %s |%n", scope.name(),
                        t.name(), q.fixed, q.failingBefore, q.changedFiles, q.broken, q.fmtRegressions, q.outsideLines,
                        q.addedBlocks, median(ts), cs.isEmpty() ? "n/a" : String.format("%.2f s", median(cs)),
                        ts.stream().map(x -> String.format("%.2f", x)).collect(Collectors.joining(" "))));
            }
        }
        System.out.println();
        System.out.print(table);
        Files.writeString(work.resolve("results.md"), table.toString());
    }

    /** Copies the corpora into {@code in}: each KICS sample in its own folder, each TerraGoat module as it is. */
    static int corpus(Path root, Path in) throws IOException {
        Path kics = root.resolve("iac-patchers/src/test/resources/corpus/kics/assets/queries/terraform");
        Path terragoat = root.resolve("iac-patchers/src/test/resources/corpus/terragoat/terraform");
        int n = 0;
        for (Path f : walk(kics).filter(p -> p.toString().endsWith(".tf")).toList()) {
            String stem = f.getFileName().toString().replace(".tf", "");
            Path dir = in.resolve("kics").resolve(kics.relativize(f.getParent()).toString().replace("/test", "")).resolve(stem);
            Files.createDirectories(dir);
            Files.copy(f, dir.resolve("main.tf"));
            n++;
        }
        for (Path f : walk(terragoat).filter(p -> p.toString().endsWith(".tf")).toList()) {
            Path target = in.resolve("terragoat").resolve(terragoat.relativize(f).toString());
            Files.createDirectories(target.getParent());
            Files.copy(f, target);
            n++;
        }
        return n;
    }

    static final class Quality {
        int failingBefore;
        int fixed;
        int changedFiles;
        int broken;
        int fmtRegressions;
        int outsideLines;
        int addedBlocks;
    }

    /** The oracle and the damage, comparing the input tree with a tool's output (changed files only). */
    static Quality quality(PlaybookCatalog catalog, Set<String> playbooks, Path in, Path out, Path hclfmt) throws Exception {
        Quality q = new Quality();
        Path after = out.resolveSibling(out.getFileName() + "-merged");
        deleteTree(after);
        copyTree(in, after);
        List<String> changed = new ArrayList<>();
        if (Files.isDirectory(out)) {
            for (Path f : walk(out).filter(p -> p.toString().endsWith(".tf")).toList()) {
                String rel = out.relativize(f).toString();
                if (!Files.exists(in.resolve(rel)) || Files.readString(in.resolve(rel)).equals(Files.readString(f))) {
                    continue;
                }
                Files.copy(f, after.resolve(rel), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                changed.add(rel);
            }
        }
        q.changedFiles = changed.size();
        Checker checker = new Checker(PlaybookCatalog.of(catalog.all().stream()
                .filter(p -> playbooks.contains(p.id())).toList()), new Detector());
        Map<String, Set<String>> failing = failures(checker, in);
        Map<String, Set<String>> stillFailing = failures(checker, after);
        Set<String> fixedResources = new HashSet<>();
        for (var e : failing.entrySet()) {
            q.failingBefore += e.getValue().size();
            for (String key : e.getValue()) {
                if (!stillFailing.getOrDefault(e.getKey(), Set.of()).contains(key)) {
                    q.fixed++;
                    fixedResources.add(e.getKey() + "|" + key.substring(key.indexOf(' ') + 1));
                }
            }
        }
        // broken files and fmt regressions, by HashiCorp's parser/formatter when installed
        for (String rel : changed) {
            Path o = after.resolve(rel);
            if (hclfmt != null) {
                String res = run(List.of(hclfmt.toString(), o.toString()));
                String inRes = run(List.of(hclfmt.toString(), in.resolve(rel).toString()));
                if (res.contains("\"error\"")) {
                    q.broken++;
                } else if (inRes.contains("\"formatted\":true") && res.contains("\"formatted\":false")) {
                    q.fmtRegressions++;
                }
            } else {
                try {
                    dev.fixgate.patch.model.IacModel.terraform(List.of(new dev.fixgate.spi.iac.SourceFile(rel,
                            Files.readString(o), dev.fixgate.spi.iac.IacFormat.TERRAFORM)));
                } catch (RuntimeException e) {
                    q.broken++;
                }
            }
        }
        // lines touched outside the resources the oracle counts as fixed
        for (String rel : changed) {
            String before = Files.readString(in.resolve(rel));
            String now = Files.readString(after.resolve(rel));
            List<int[]> spans = new ArrayList<>();
            Set<String> beforeAddresses = new HashSet<>();
            for (ModelResource m : model(rel, before)) {
                beforeAddresses.add(m.address());
                String dir = dirOf(rel);
                if (fixedResources.contains(dir + "|" + m.address())) {
                    spans.add(new int[] {m.line(), m.endLine()});
                }
            }
            for (ModelResource m : model(rel, now)) {
                if (!beforeAddresses.contains(m.address())) {
                    q.addedBlocks++;
                }
            }
            q.addedBlocks += (int) (count(now, "^variable\\s") - count(before, "^variable\\s"));
            RawText a = new RawText(before.getBytes(StandardCharsets.UTF_8));
            RawText b = new RawText(now.getBytes(StandardCharsets.UTF_8));
            for (Edit e : DiffAlgorithm.getAlgorithm(DiffAlgorithm.SupportedAlgorithm.HISTOGRAM)
                    .diff(RawTextComparator.DEFAULT, a, b)) {
                for (int line = e.getBeginA() + 1; line <= e.getEndA(); line++) {
                    if (!inside(spans, line)) {
                        q.outsideLines++;
                    }
                }
                if (e.getType() == Edit.Type.INSERT && !inside(spans, e.getBeginA())
                        && !inside(spans, e.getBeginA() + 1) && !addsWholeBlocks(b, e)) {
                    q.outsideLines += e.getLengthB();
                }
            }
        }
        return q;
    }

    /** An insertion that is one or more complete top-level blocks (a companion resource, a variable declaration). */
    static boolean addsWholeBlocks(RawText b, Edit e) {
        StringBuilder sb = new StringBuilder();
        for (int i = e.getBeginB(); i < e.getEndB(); i++) {
            sb.append(b.getString(i)).append('\n');
        }
        String s = sb.toString().strip();
        return s.isEmpty() || (s.matches("(?s)^(resource|variable|data)\\s.*\\}$") && balanced(s));
    }

    static boolean balanced(String s) {
        int depth = 0;
        for (char c : s.toCharArray()) {
            depth += c == '{' ? 1 : c == '}' ? -1 : 0;
        }
        return depth == 0;
    }

    static boolean inside(List<int[]> spans, int line) {
        return spans.stream().anyMatch(s -> s[0] <= line && line <= s[1]);
    }

    static long count(String text, String regex) {
        return java.util.regex.Pattern.compile(regex, java.util.regex.Pattern.MULTILINE).matcher(text).results().count();
    }

    static List<ModelResource> model(String path, String text) {
        try {
            return dev.fixgate.patch.model.IacModel.terraform(List.of(new dev.fixgate.spi.iac.SourceFile(path, text,
                    dev.fixgate.spi.iac.IacFormat.TERRAFORM)));
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    static String dirOf(String rel) {
        int slash = rel.lastIndexOf('/');
        return slash < 0 ? "" : rel.substring(0, slash);
    }

    /** module directory → "playbook address" of each failing result. */
    static Map<String, Set<String>> failures(Checker checker, Path repo) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (Checker.Result r : checker.check(RepoScan.of(repo), Map.of()).failures()) {
            out.computeIfAbsent(dirOf(r.file()), k -> new HashSet<>()).add(r.playbook().id() + " " + r.resource());
        }
        return out;
    }

    static double median(List<Double> xs) {
        List<Double> s = xs.stream().sorted().toList();
        return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    }

    static Path hclfmt(Path root) {
        String env = System.getenv("FIXGATE_HCLFMT");
        Path p = env != null && !env.isBlank() ? Path.of(env) : root.resolve(".validators/bin/hclfmt");
        return Files.isExecutable(p) ? p : null;
    }

    static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    static Stream<Path> walk(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        for (Path f : walk(from).toList()) {
            Path t = to.resolve(from.relativize(f).toString());
            if (Files.isDirectory(f)) {
                Files.createDirectories(t);
            } else {
                Files.copy(f, t);
            }
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
