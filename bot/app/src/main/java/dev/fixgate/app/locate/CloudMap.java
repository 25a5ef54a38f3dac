package dev.fixgate.app.locate;

import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.patch.model.ModelResource;
import dev.fixgate.spi.finding.CloudResource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One checkout as locate sees it: its code ({@link RepoScan}) and what says which cloud resource each block
 * deployed — the Terraform states its root modules point at (read on first need, once), the tags the code carries,
 * and the CloudFormation stacks {@code .github/fixgate.yml} maps to templates. Built once per checkout by the
 * pipeline; not thread-safe (one job uses it).
 */
public final class CloudMap {

    private final RepoScan scan;
    private final String repository;
    private final List<RepoConfig.Stack> stacks;
    private final List<String> workspaces;
    private final Optional<StateSources> sources;
    private final Function<CloudResource, Map<String, String>> observedTags;
    private StateSources.Result loaded;
    private StateIndex index;
    private final Map<String, Optional<ModuleSettings>> settings = new HashMap<>();

    private CloudMap(RepoScan scan, String repository, List<RepoConfig.Stack> stacks, List<String> workspaces,
                     Optional<StateSources> sources, Function<CloudResource, Map<String, String>> observedTags) {
        this.scan = Objects.requireNonNull(scan, "scan");
        this.repository = Objects.requireNonNull(repository, "repository");
        this.stacks = List.copyOf(stacks);
        this.workspaces = List.copyOf(workspaces);
        this.sources = sources;
        this.observedTags = observedTags;
    }

    /**
     * The checkout with everything that maps cloud to code.
     *
     * @param repository {@code owner/name} (or a directory name offline): Yor's {@code git_repo} tag is compared
     *                   with its name
     * @param config     its {@code stacks:} and Terraform workspaces
     */
    public static CloudMap of(RepoScan scan, String repository, RepoConfig config, StateSources sources) {
        return new CloudMap(scan, repository, config.stacks(), config.terraform().workspaces(), Optional.of(sources),
                r -> Map.of());
    }

    /** The code alone: cloud findings are matched by name only (what locate did before code-to-cloud). */
    public static CloudMap namesOnly(RepoScan scan) {
        return new CloudMap(scan, "", List.of(), List.of("default"), Optional.empty(), r -> Map.of());
    }

    /**
     * The same map, with tags observed in the cloud (enrich's {@code tags} evidence, when a collector has read them)
     * added to those the finding reports; the finding's own win where both have a key.
     */
    public CloudMap withObservedTags(Function<CloudResource, Map<String, String>> tags) {
        return new CloudMap(scan, repository, stacks, workspaces, sources, Objects.requireNonNull(tags, "tags"));
    }

    public RepoScan scan() {
        return scan;
    }

    /** Why a state was not read; loads the states when they have not been. */
    public List<StateSources.Problem> problems() {
        load();
        return loaded.problems();
    }

    /** How many state instances the map knows (loads the states). */
    public int stateInstances() {
        load();
        return index.size();
    }

    /** Whether the states have been read (a run that located only code findings never reads them). */
    public boolean stateRead() {
        return loaded != null;
    }

    /** Whether this map knows more than the code's names: state, tags, stacks (false for {@link #namesOnly}). */
    boolean deployments() {
        return sources.isPresent();
    }

    StateIndex state() {
        load();
        return index;
    }

    /** A state exists that could not be read: a match by name alone cannot be trusted. */
    boolean stateBlocked() {
        load();
        return loaded.blocked();
    }

    private void load() {
        if (loaded == null) {
            loaded = sources.map(s -> s.load(scan, workspaces)).orElse(new StateSources.Result(List.of(), List.of()));
            index = new StateIndex(loaded.states());
        }
    }

    /** The tags of a cloud resource: the finding's, then those observed in the cloud. */
    Map<String, String> tags(CloudResource r) {
        Map<String, String> out = new LinkedHashMap<>(observedTags.apply(r));
        out.putAll(r.tags());
        return out;
    }

    /** This repository's name without its owner ({@code infra} for {@code acme/infra}), lower case; empty offline. */
    String repositoryName() {
        int slash = repository.lastIndexOf('/');
        return (slash < 0 ? repository : repository.substring(slash + 1)).toLowerCase(Locale.ROOT);
    }

    String owner() {
        int slash = repository.indexOf('/');
        return slash < 0 ? "" : repository.substring(0, slash).toLowerCase(Locale.ROOT);
    }

    /** The templates {@code stackName} is mapped to by {@code stacks:}, each once, in file order. */
    List<String> templatesOf(String stackName) {
        return stacks.stream().filter(s -> s.matches(stackName)).map(RepoConfig.Stack::template).distinct().toList();
    }

    /** A state instance's block: the code, or why there is none. */
    sealed interface Block {
        record InCode(RepoScan.Located located) implements Block {
        }

        record Missing(String why) implements Block {
        }
    }

    /**
     * Where a state address is in code: module calls followed from the state's root module through their local
     * {@code source} directories, then the resource block in that module.
     */
    Block block(StateIndex.Entry e) {
        String dir = e.dir();
        String path = "";
        for (String call : e.instance().moduleCalls()) {
            path = path.isEmpty() ? "module." + call : path + ".module." + call;
            Optional<ModuleSettings> here = settings(dir);
            ModuleSettings.ModuleCall c = here.map(s -> s.moduleCalls().get(call)).orElse(null);
            if (c == null) {
                return new Block.Missing(path + " is not called in " + dir + " any more");
            }
            if (!c.local()) {
                return new Block.Missing(path + " comes from " + (c.source().isEmpty() ? "a source that is not a"
                        + " literal" : c.source()) + " (" + c.declaredAt() + "), not from this repository");
            }
            Optional<String> next = join(dir, c.source());
            if (next.isEmpty()) {
                return new Block.Missing(path + "'s source " + c.source() + " (" + c.declaredAt() + ") leaves the repository");
            }
            dir = next.get();
        }
        String moduleDir = dir;
        String address = e.instance().resourceAddress();
        for (RepoScan.Module m : scan.modules()) {
            if (m.dir().equals(moduleDir)) {
                for (ModelResource r : m.resources()) {
                    if (r.address().equals(address)) {
                        return new Block.InCode(new RepoScan.Located(r, m.resources(), m.files()));
                    }
                }
            }
        }
        return new Block.Missing(address + " is not in " + moduleDir + " any more (removed from code, not yet applied?)");
    }

    private Optional<ModuleSettings> settings(String dir) {
        return settings.computeIfAbsent(dir, d -> scan.modules().stream().filter(m -> m.dir().equals(d)).findFirst()
                .map(ModuleSettings::of));
    }

    /** {@code terraform/aws} + {@code ./modules/vpc} → {@code terraform/aws/modules/vpc}; empty when it leaves the root. */
    static Optional<String> join(String dir, String relative) {
        List<String> parts = new ArrayList<>();
        if (!dir.equals(".")) {
            parts.addAll(List.of(dir.split("/")));
        }
        for (String segment : relative.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (parts.isEmpty()) {
                    return Optional.empty();
                }
                parts.removeLast();
            } else {
                parts.add(segment);
            }
        }
        return Optional.of(parts.isEmpty() ? "." : String.join("/", parts));
    }
}
