package dev.fixgate.app.locate;

import dev.fixgate.patch.PatchException;
import dev.fixgate.patch.terraform.Body;
import dev.fixgate.patch.terraform.HclDocument;
import dev.fixgate.patch.terraform.Value;
import dev.fixgate.spi.iac.SourceFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a Terraform module's files say beyond its resources: the {@code backend "s3"} its {@code terraform} block
 * declares (where its state lives) and its {@code module} calls (where a state address {@code module.x.…}
 * continues in code). Literal values only: Terraform itself allows no variables in a backend block, and a module
 * source must be a literal.
 *
 * @param dir         the module's directory, repository-relative ({@code .} for the root)
 * @param backends    the S3 backend blocks (normally one)
 * @param moduleCalls module call name → its call
 */
record ModuleSettings(String dir, List<Backend> backends, Map<String, ModuleCall> moduleCalls) {

    private static final Pattern MENTIONS = Pattern.compile("(?m)^\\s*(terraform|module)\\b");

    /** A {@code backend "s3"} block's settings; empty strings for what it leaves to {@code terraform init}. */
    record Backend(String declaredAt, String bucket, String key, String region, String workspaceKeyPrefix) {
        /** Terraform's default prefix of non-default workspaces' keys. */
        static final String DEFAULT_PREFIX = "env:";

        Backend with(Map<String, String> overrides) {
            return new Backend(declaredAt, overrides.getOrDefault("bucket", bucket), overrides.getOrDefault("key", key),
                    overrides.getOrDefault("region", region),
                    overrides.getOrDefault("workspace_key_prefix", workspaceKeyPrefix));
        }

        boolean complete() {
            return !bucket.isEmpty() && !key.isEmpty();
        }

        /** The object key of {@code workspace}'s state, as the S3 backend stores it. */
        String keyOf(String workspace) {
            if (workspace.equals("default")) {
                return key;
            }
            return (workspaceKeyPrefix.isEmpty() ? DEFAULT_PREFIX : workspaceKeyPrefix) + "/" + workspace + "/" + key;
        }
    }

    /**
     * @param source     the call's {@code source} as written
     * @param declaredAt {@code file:line}
     */
    record ModuleCall(String name, String source, String declaredAt) {
        /** A local source ({@code ./x}, {@code ../x}) is code in this repository; anything else is fetched. */
        boolean local() {
            return source.startsWith("./") || source.startsWith("../");
        }
    }

    /**
     * Reads the module's {@code .tf} files. A file that does not parse has already been reported by the scan; its
     * settings are simply not known.
     */
    static ModuleSettings of(RepoScan.Module module) {
        List<Backend> backends = new ArrayList<>();
        Map<String, ModuleCall> calls = new LinkedHashMap<>();
        for (SourceFile f : module.files()) {
            if (!f.path().endsWith(".tf") || !MENTIONS.matcher(f.text()).find()) {
                continue;
            }
            HclDocument doc;
            try {
                doc = HclDocument.parse(f.path(), f.text());
            } catch (PatchException e) {
                continue;
            }
            for (Body.Block b : doc.blocks()) {
                String at = f.path() + ":" + doc.lineOf(b.start());
                if (b.type().equals("terraform")) {
                    for (Body.Block backend : b.blocks("backend")) {
                        if (backend.label(0).equals("s3")) {
                            backends.add(new Backend(f.path() + ":" + doc.lineOf(backend.start()),
                                    literal(backend, "bucket"), literal(backend, "key"), literal(backend, "region"),
                                    literal(backend, "workspace_key_prefix")));
                        }
                    }
                } else if (b.type().equals("module") && !b.label(0).isEmpty()) {
                    calls.putIfAbsent(b.label(0), new ModuleCall(b.label(0), literal(b, "source"), at));
                }
            }
        }
        return new ModuleSettings(module.dir(), List.copyOf(backends), Map.copyOf(calls));
    }

    /** The attributes of a {@code -backend-config} file ({@code *.tfbackend}): {@code key = "value"} lines. */
    static Map<String, String> backendConfig(String path, String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Body.Item i : HclDocument.parse(path, text).items()) {
            if (i instanceof Body.Attribute a && a.value() instanceof Value.Literal l) {
                out.put(a.name(), l.text());
            }
        }
        return out;
    }

    private static String literal(Body.Block b, String name) {
        Optional<Body.Attribute> a = b.attribute(name);
        return a.isPresent() && a.get().value() instanceof Value.Literal l ? l.text() : "";
    }
}
