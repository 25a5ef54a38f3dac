package dev.fixgate.app.locate;

import dev.fixgate.app.PipelineStep;
import dev.fixgate.patch.model.ModelResource;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.CodeResource;
import dev.fixgate.spi.finding.Finding;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Code-to-cloud: which resource block of a checkout a finding is about.
 * <ul>
 *   <li>A code finding (Checkov, KICS, SARIF) names the file and the address or line.</li>
 *   <li>A cloud finding names a deployed resource (an ARN, an Azure id, a GCP name). In order, the first way that
 *       decides wins:
 *     <ol>
 *       <li><b>Terraform state</b>: the state instances that claim the id ({@link StateIndex}), followed from the
 *           state's root module through local module calls to their blocks;</li>
 *       <li><b>Yor tags</b> the finding (or the cloud) reports: the block whose code carries its {@code yor_trace};
 *           else, in the file {@code git_file} names (when {@code git_repo} is this repository), the block named
 *           by {@code yor_name} or by the resource's name;</li>
 *       <li><b>CloudFormation stack tags</b> ({@code aws:cloudformation:stack-name} / {@code logical-id}): the
 *           logical id in the template {@code stacks:} maps the stack to;</li>
 *       <li><b>the name</b>: a block whose name label or a literal top-level attribute ({@code bucket = "acme-data"},
 *           {@code BucketName}, {@code name}) equals the resource's name — unless a state exists that could not
 *           be read, since it might say otherwise.</li>
 *     </ol>
 *   </li>
 * </ul>
 * Only blocks of a type the playbook fixes count. More than one candidate is reported as
 * {@code ambiguous: <candidates>}, never guessed; nothing is then fixed.
 */
public final class FindingLocator {

    public static final String NOT_IN_CODE = "locate.not-in-code";
    public static final String AMBIGUOUS = "locate.ambiguous";
    public static final String NOT_FIXED_HERE = "locate.type-not-fixed";
    public static final String OTHER_REPOSITORY = "locate.other-repository";
    public static final String STATE_UNREADABLE = "locate.state-unreadable";

    static final String YOR_TRACE = "yor_trace";
    static final String STACK_NAME = "aws:cloudformation:stack-name";
    static final String LOGICAL_ID = "aws:cloudformation:logical-id";

    private static final Pattern MODULE_PREFIX = Pattern.compile("^(module\\.[A-Za-z_][\\w-]*(\\[[^\\]]*\\])?\\.)+");
    private static final Pattern INSTANCE_KEY = Pattern.compile("\\[[^\\]]*\\]$");

    /** The outcome: the one resource, or why there is none. */
    public sealed interface Result {
        /** @param via how it was found, for people: {@code terraform state …: aws_vpc.web_vpc}, {@code name acme-data} */
        record Found(RepoScan.Located located, String via) implements Result {
            public Found {
                Objects.requireNonNull(located, "located");
                Objects.requireNonNull(via, "via");
            }
        }

        record NotFound(String code, String reason) implements Result {
        }
    }

    private FindingLocator() {
    }

    /** The one block of a type {@code playbook} fixes that {@code finding} is about, or why there is none. */
    @PipelineStep
    public static Result locate(CloudMap map, Finding finding, Playbook playbook) {
        return locate(map, finding, playbook::appliesTo, String.join("/", playbook.resourceTypes().values().stream()
                .flatMap(List::stream).toList()));
    }

    /**
     * The same for any set of types: {@code fixes} says which {@code (format, type)} blocks count and
     * {@code describeTypes} names them in messages. The benchmark counts with every type.
     */
    public static Result locate(CloudMap map, Finding finding, BiPredicate<String, String> fixes, String describeTypes) {
        return switch (finding.resource()) {
            case CodeResource code -> decide(map.scan().resources().stream()
                    .filter(l -> fixes.test(l.resource().format(), l.resource().type()))
                    .filter(l -> matchesCode(l.resource(), code)).toList(), describe(finding), "", describeTypes, List.of());
            case CloudResource cloud -> new Cloud(map, cloud, fixes, describeTypes).locate();
        };
    }

    /** One cloud finding's search, in the documented order. */
    private static final class Cloud {
        private final CloudMap map;
        private final CloudResource r;
        private final BiPredicate<String, String> fixes;
        private final String types;
        private final List<String> notes = new ArrayList<>();

        Cloud(CloudMap map, CloudResource r, BiPredicate<String, String> fixes, String types) {
            this.map = map;
            this.r = r;
            this.fixes = fixes;
            this.types = types;
        }

        Result locate() {
            if (map.deployments()) {
                Map<String, String> tags = map.tags(r);
                Optional<Result> decided = byState().or(() -> byYor(tags)).or(() -> byStack(tags));
                if (decided.isPresent()) {
                    return decided.get();
                }
            }
            if (map.deployments() && map.stateBlocked()) {
                return new Result.NotFound(STATE_UNREADABLE, "not located: a Terraform state could not be read ("
                        + String.join("; ", map.problems().stream().filter(StateSources.Problem::blocking)
                        .map(Object::toString).toList()) + "), so a match by name alone is not trusted"
                        + notes());
            }
            String name = nameOf(r);
            List<RepoScan.Located> named = name.isEmpty() ? List.of() : covered(map.scan().resources()).stream()
                    .filter(l -> named(l.resource(), name)).toList();
            return decide(named, r.id(), "name " + name, types, notes);
        }

        private String notes() {
            return notes.isEmpty() ? "" : "; " + String.join("; ", notes);
        }

        /** 1. The state instances that claim the id, and their blocks; empty when no state decides. */
        private Optional<Result> byState() {
            List<StateIndex.Claim> claims = map.state().claims(r);
            if (claims.isEmpty()) {
                return Optional.empty();
            }
            Map<String, RepoScan.Located> blocks = new LinkedHashMap<>();
            Map<String, List<String>> because = new LinkedHashMap<>();
            List<String> missing = new ArrayList<>();
            for (StateIndex.Claim c : claims) {
                switch (map.block(c.entry())) {
                    case CloudMap.Block.InCode in -> {
                        String key = key(in.located());
                        blocks.putIfAbsent(key, in.located());
                        because.computeIfAbsent(key, k -> new ArrayList<>()).add(c.describe());
                    }
                    case CloudMap.Block.Missing m -> missing.add(c.describe() + ", but " + m.why());
                }
            }
            if (blocks.isEmpty()) {
                notes.add("terraform state: " + String.join("; ", missing));
                return Optional.empty();
            }
            List<RepoScan.Located> fixed = covered(List.copyOf(blocks.values()));
            if (fixed.isEmpty()) {
                RepoScan.Located first = blocks.values().iterator().next();
                return Optional.of(new Result.NotFound(NOT_FIXED_HERE, "terraform state "
                        + String.join(", ", because.get(key(first))) + " puts " + r.id() + " at " + where(first) + ", a "
                        + first.resource().type() + "; this fix applies to " + types));
            }
            if (fixed.size() > 1) {
                return Optional.of(ambiguous(r.id(), fixed.stream().map(l -> where(l) + " ("
                        + String.join(", ", because.get(key(l))) + ")").toList()));
            }
            RepoScan.Located one = fixed.getFirst();
            return Optional.of(new Result.Found(one, "terraform state " + String.join(", ", because.get(key(one)))));
        }

        /** 2. Yor's trace id; else its git_file (in this repository) with the resource's name. */
        private Optional<Result> byYor(Map<String, String> tags) {
            String repo = tags.getOrDefault("git_repo", "").toLowerCase(Locale.ROOT);
            String org = tags.getOrDefault("git_org", "").toLowerCase(Locale.ROOT);
            boolean elsewhere = !repo.isEmpty() && !map.repositoryName().isEmpty() && !repo.equals(map.repositoryName())
                    || !org.isEmpty() && !map.owner().isEmpty() && !org.equals(map.owner());
            String trace = tags.getOrDefault(YOR_TRACE, "");
            if (!trace.isEmpty()) {
                List<RepoScan.Located> carrying = covered(map.scan().resources()).stream()
                        .filter(l -> CodeTags.carries(l, YOR_TRACE, trace)).toList();
                if (!carrying.isEmpty()) {
                    return Optional.of(decide(carrying, r.id(), "yor_trace " + trace, types, notes));
                }
                notes.add("no block carries yor_trace " + trace);
            }
            if (elsewhere) {
                return Optional.of(new Result.NotFound(OTHER_REPOSITORY, r.id() + " is tagged as deployed from "
                        + (org.isEmpty() ? "" : org + "/") + repo + ", not from this repository" + notes()));
            }
            String file = tags.getOrDefault("git_file", "");
            if (file.isEmpty()) {
                return Optional.empty();
            }
            List<RepoScan.Located> inFile = covered(map.scan().resources()).stream()
                    .filter(l -> samePath(l.resource().file(), file)).toList();
            String yorName = tags.getOrDefault("yor_name", "");
            String name = nameOf(r);
            String tagName = tags.getOrDefault("Name", "");
            List<RepoScan.Located> named = inFile.stream().filter(l -> !yorName.isEmpty() && l.resource().name().equals(yorName)
                    || named(l.resource(), name) || !tagName.isEmpty() && named(l.resource(), tagName)).toList();
            if (named.isEmpty()) {
                notes.add("no block in " + file + " (its git_file tag) is named "
                        + (yorName.isEmpty() ? name : yorName + " or " + name));
                return Optional.empty();
            }
            return Optional.of(decide(named, r.id(), "git_file " + file + " and its name", types, notes));
        }

        /** 3. A stack's logical id, in the template {@code stacks:} maps the stack to. */
        private Optional<Result> byStack(Map<String, String> tags) {
            String stack = tags.getOrDefault(STACK_NAME, "");
            String logicalId = tags.getOrDefault(LOGICAL_ID, "");
            if (stack.isEmpty() || logicalId.isEmpty()) {
                return Optional.empty();
            }
            List<String> templates = map.templatesOf(stack);
            if (templates.isEmpty()) {
                notes.add("stack " + stack + " is not mapped to a template under stacks: in .github/fixgate.yml");
                return Optional.empty();
            }
            List<RepoScan.Located> found = covered(map.scan().resources()).stream()
                    .filter(l -> l.resource().format().equals("cloudformation"))
                    .filter(l -> templates.stream().anyMatch(t -> samePath(l.resource().file(), t)))
                    .filter(l -> l.resource().address().equals(logicalId)).toList();
            if (found.isEmpty()) {
                notes.add("stack " + stack + " maps to " + String.join(", ", templates) + ", which has no " + logicalId
                        + " of a type this fix applies to");
                return Optional.empty();
            }
            return Optional.of(decide(found, r.id(), "stack " + stack + " → " + logicalId, types, notes));
        }

        private List<RepoScan.Located> covered(List<RepoScan.Located> all) {
            return all.stream().filter(l -> fixes.test(l.resource().format(), l.resource().type())).toList();
        }
    }

    /** One candidate is found, several are ambiguous, none is not in code. */
    private static Result decide(List<RepoScan.Located> matches, String what, String via, String types, List<String> notes) {
        if (matches.size() == 1) {
            return new Result.Found(matches.getFirst(), via);
        }
        if (matches.isEmpty()) {
            return new Result.NotFound(NOT_IN_CODE, "no " + types + " in the repository matches " + what
                    + (notes.isEmpty() ? "" : "; " + String.join("; ", notes)));
        }
        return ambiguous(what, matches.stream().map(FindingLocator::where).toList());
    }

    /** The candidates in a stable order (files are walked in the file system's order). */
    private static Result ambiguous(String what, List<String> candidates) {
        return new Result.NotFound(AMBIGUOUS, "ambiguous: " + candidates.size() + " resources match " + what + ": "
                + String.join(", ", candidates.stream().sorted().toList()));
    }

    private static String where(RepoScan.Located l) {
        return l.resource().file() + " " + l.resource().address();
    }

    private static String key(RepoScan.Located l) {
        return l.resource().file() + "|" + l.resource().address();
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
