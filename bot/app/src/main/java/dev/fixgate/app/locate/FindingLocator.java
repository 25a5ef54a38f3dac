package dev.fixgate.app.locate;

import dev.fixgate.app.PipelineStep;
import dev.fixgate.patch.model.ModelResource;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.CodeResource;
import dev.fixgate.spi.finding.Finding;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Code-to-cloud: which resource block of a scanned repository a finding is about.
 * <ul>
 *   <li>A code finding (Checkov, KICS, SARIF) names the file and the address or line.</li>
 *   <li>A cloud finding names a deployed resource (an ARN, an Azure id, a GCP name): the block of a type the
 *       playbook covers whose name label or a literal top-level attribute ({@code bucket = "acme-data"},
 *       {@code BucketName}, {@code name}) equals the resource's name.</li>
 * </ul>
 * More than one match is ambiguous and reported as such, never guessed.
 */
public final class FindingLocator {

    private static final Pattern MODULE_PREFIX = Pattern.compile("^(module\\.[A-Za-z_][\\w-]*(\\[[^\\]]*\\])?\\.)+");
    private static final Pattern INSTANCE_KEY = Pattern.compile("\\[[^\\]]*\\]$");

    /** The outcome: the one resource, or why there is none. */
    public sealed interface Result {
        record Found(RepoScan.Located located) implements Result {
        }

        record NotFound(String code, String reason) implements Result {
        }
    }

    private FindingLocator() {
    }

    @PipelineStep
    public static Result locate(RepoScan scan, Finding finding, Playbook playbook) {
        List<RepoScan.Located> candidates = scan.resources().stream()
                .filter(l -> playbook.appliesTo(l.resource().format(), l.resource().type())).toList();
        List<RepoScan.Located> matches = switch (finding.resource()) {
            case CodeResource code -> candidates.stream().filter(l -> matchesCode(l.resource(), code)).toList();
            case CloudResource cloud -> {
                String name = nameOf(cloud);
                yield name.isEmpty() ? List.of() : candidates.stream().filter(l -> named(l.resource(), name)).toList();
            }
        };
        if (matches.size() == 1) {
            return new Result.Found(matches.get(0));
        }
        if (matches.isEmpty()) {
            return new Result.NotFound("locate.not-in-code", "no " + String.join("/", playbook.resourceTypes().values()
                    .stream().flatMap(List::stream).toList()) + " in the repository matches " + describe(finding));
        }
        return new Result.NotFound("locate.ambiguous", matches.size() + " resources match " + describe(finding) + ": "
                + String.join(", ", matches.stream().map(l -> l.resource().file() + " " + l.resource().address()).toList()));
    }

    private static String describe(Finding f) {
        return switch (f.resource()) {
            case CodeResource c -> c.path() + (c.address().isEmpty() ? ":" + c.line() : " " + c.address());
            case CloudResource c -> c.id();
        };
    }

    private static boolean matchesCode(ModelResource r, CodeResource code) {
        if (!samePath(r.file(), code.path())) {
            return false;
        }
        if (!code.address().isEmpty()) {
            String a = INSTANCE_KEY.matcher(MODULE_PREFIX.matcher(code.address()).replaceFirst("")).replaceFirst("");
            return a.equals(r.address());
        }
        return code.line() > 0 && code.line() >= r.line() && code.line() <= r.endLine();
    }

    static boolean samePath(String repoPath, String findingPath) {
        String f = findingPath.replace('\\', '/');
        while (f.startsWith("./")) {
            f = f.substring(2);
        }
        if (f.startsWith("file://")) {
            f = f.substring("file://".length());
        }
        return f.equals(repoPath) || f.endsWith("/" + repoPath);
    }

    /** The resource's own name from its id: {@code arn:aws:s3:::acme-data} → {@code acme-data}. */
    static String nameOf(CloudResource c) {
        String id = c.id();
        if (id.startsWith("arn:")) {
            String[] parts = id.split(":", 6);
            String rest = parts.length == 6 ? parts[5] : id;
            Matcher m = Pattern.compile("[/:]([^/:]+)$").matcher(rest);
            return m.find() ? m.group(1) : rest;
        }
        int slash = id.lastIndexOf('/');
        return slash >= 0 ? id.substring(slash + 1) : id;
    }

    private static boolean named(ModelResource r, String name) {
        if (r.name().equals(name)) {
            return true;
        }
        for (Map.Entry<String, Object> e : r.body().entrySet()) {
            if (e.getValue() instanceof String s && s.equals(name)) {
                return true;
            }
        }
        return false;
    }
}
