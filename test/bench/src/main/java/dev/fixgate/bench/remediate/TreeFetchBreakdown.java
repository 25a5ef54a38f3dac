package dev.fixgate.bench.remediate;

import dev.fixgate.app.locate.RepoScan;
import dev.fixgate.localgithub.GitTraffic;
import dev.fixgate.localgithub.LocalGitHub;
import dev.fixgate.localgithub.LocalGitHubOptions;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectIdRef;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.FilterSpec;
import org.eclipse.jgit.transport.PackLock;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Where the time of obtaining a repository's IaC goes (issue 18), step by step, with JGit against the local GitHub
 * exactly as {@code PartialFetch} asks: the tip commit ({@code filter tree:0}, depth 1), the trees ({@code filter
 * blob:none}, wanted by id), the walk of every entry to choose the IaC files, the IaC blobs by id, and the scan. Per
 * step: wall time, git bytes served and the local GitHub's own time in the request (its servlet, JGit's UploadPack:
 * the rest of the wall is the client, mostly parsing and indexing the pack). Cases: "cold" (an empty object store),
 * "pushed, no have" (a push to one source file, an empty store: what the job does today), "pushed, have" (a push,
 * the store that holds the previous tip's trees, the previous tip offered as a have with the new tip commit wanted at
 * depth 1 and {@code filter blob:none}, as {@code PartialFetch.since} does: the trees come with the commit).
 *
 * <p>The local GitHub's repositories are packed with a bitmap index (as GitHub keeps them) unless the third argument
 * is {@code loose}.
 *
 * <pre>./bench run dev.fixgate.bench.remediate.TreeFetchBreakdown [ROUNDS] [BIG_FILES] [packed|loose]</pre>
 */
public final class TreeFetchBreakdown {

    private static final List<String> STEPS = List.of("tip", "trees", "walk", "blobs", "scan", "total");

    private TreeFetchBreakdown() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int bigFiles = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        boolean packed = !(args.length > 2 && args[2].equals("loose"));
        System.out.println(packed ? "packed" : "loose objects");
        Path tmp = Files.createTempDirectory("fixgate-treefetch-");
        try (LocalGitHub gh = LocalGitHub.start(LocalGitHubOptions.in(tmp.resolve("github")))) {
            gh.createOrg("acme");
            gh.createUser("alice");
            gh.createRepo("acme", "small", "main", RepoSizeBench.repository(10, "111111111111", "acme-small"));
            gh.createRepo("acme", "big", "main", RepoSizeBench.repository(bigFiles, "222222222222", "acme-big"));
            if (packed) {
                gh.pack("acme", "small");
                gh.pack("acme", "big");
            }
            gh.addCollaborator("acme", "small", "alice", "write");
            gh.addCollaborator("acme", "big", "alice", "write");
            UsernamePasswordCredentialsProvider creds = null; // public repositories: read anonymously
            Map<String, List<Map<String, double[]>>> results = new LinkedHashMap<>();
            int pushes = 0;
            for (int round = -1; round < rounds; round++) { // round -1 warms the JVM up, untimed
                for (String repo : List.of("small", "big")) {
                    URIish uri = new URIish(gh.gitUrl("acme", repo));
                    Path keep = tmp.resolve("keep-" + repo + "-" + round);
                    Map<String, double[]> cold = job(gh, uri, creds, keep, tmp.resolve("c" + round + repo), null);
                    ObjectId previous = tip(keep);
                    gh.as("alice").push("acme", repo, "main", Map.of("src/module0/pkg0/Source0.java",
                            "class Source0 { int push = " + (++pushes) + "; }\n"), "a push");
                    Map<String, double[]> noHave = job(gh, uri, creds, tmp.resolve("n" + round + repo),
                            tmp.resolve("nc" + round + repo), null);
                    Map<String, double[]> have = job(gh, uri, creds, keep, tmp.resolve("h" + round + repo), previous);
                    if (round >= 0) {
                        results.computeIfAbsent(repo + " cold", k -> new ArrayList<>()).add(cold);
                        results.computeIfAbsent(repo + " pushed, no have", k -> new ArrayList<>()).add(noHave);
                        results.computeIfAbsent(repo + " pushed, have", k -> new ArrayList<>()).add(have);
                    }
                }
            }
            System.out.println("| case | step | wall (median) | served by git | server time (median) |");
            System.out.println("|---|---|---|---|---|");
            for (Map.Entry<String, List<Map<String, double[]>>> e : results.entrySet()) {
                for (String step : STEPS) {
                    double wall = RepoSizeBench.median(e.getValue().stream().map(m -> m.get(step)[0]).toList());
                    double bytes = RepoSizeBench.median(e.getValue().stream().map(m -> m.get(step)[1]).toList());
                    double server = RepoSizeBench.median(e.getValue().stream().map(m -> m.get(step)[2]).toList());
                    System.out.printf(Locale.ROOT, "| %s | %s | %.1f ms | %,.0f | %.1f ms |%n", e.getKey(), step, wall,
                            bytes, server);
                }
            }
        } finally {
            try (Stream<Path> walk = Files.walk(tmp)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** One job's fetches into the store {@code store}, files under {@code checkout}: step → {ms, bytes, server ms}. */
    private static Map<String, double[]> job(LocalGitHub gh, URIish uri, UsernamePasswordCredentialsProvider creds,
                                             Path store, Path checkout, ObjectId have) throws Exception {
        Map<String, double[]> out = new LinkedHashMap<>();
        long begin = System.nanoTime();
        try (Repository git = open(store)) {
            ObjectId tree = step(out, "tip", gh, () -> {
                if (have != null) { // the tip commit with its trees, less those of the have's tree (depth 1)
                    try (Transport t = transport(git, uri, creds)) {
                        t.setDepth(1);
                        t.setFilterSpec(FilterSpec.fromFilterLine("blob:none"));
                        try (FetchConnection c = t.openFetch()) {
                            Ref main = c.getRef("refs/heads/main");
                            c.fetch(NullProgressMonitor.INSTANCE, List.of(main), Set.of(have));
                            for (PackLock lock : c.getPackLocks()) {
                                lock.unlock();
                            }
                            try (RevWalk w = new RevWalk(git)) {
                                return w.parseCommit(main.getObjectId()).getTree().getId();
                            }
                        }
                    }
                }
                try (Transport t = transport(git, uri, creds)) {
                    t.setDepth(1);
                    t.setFilterSpec(FilterSpec.fromFilterLine("tree:0"));
                    FetchResult r = t.fetch(NullProgressMonitor.INSTANCE, List.of(new RefSpec("refs/heads/main")));
                    try (RevWalk w = new RevWalk(git)) {
                        return w.parseCommit(r.getAdvertisedRef("refs/heads/main").getObjectId()).getTree().getId();
                    }
                }
            });
            step(out, "trees", gh, () -> {
                if (!git.getObjectDatabase().has(tree)) {
                    fetch(git, uri, creds, List.of(tree), "blob:none", have == null ? Set.of() : Set.of(have));
                }
                return null;
            });
            Map<String, ObjectId> files = step(out, "walk", gh, () -> select(git, tree));
            step(out, "blobs", gh, () -> {
                List<ObjectId> missing = files.values().stream().filter(id -> !has(git, id)).toList();
                if (!missing.isEmpty()) {
                    fetch(git, uri, creds, missing, null, Set.of());
                }
                return null;
            });
            step(out, "scan", gh, () -> {
                try (ObjectReader reader = git.newObjectReader()) {
                    for (Map.Entry<String, ObjectId> f : files.entrySet()) {
                        Path target = checkout.resolve(f.getKey());
                        Files.createDirectories(target.getParent());
                        try (OutputStream o = Files.newOutputStream(target)) {
                            reader.open(f.getValue(), Constants.OBJ_BLOB).copyTo(o);
                        }
                    }
                }
                return RepoScan.of(checkout);
            });
        }
        double total = (System.nanoTime() - begin) / 1e6;
        double bytes = out.values().stream().mapToDouble(v -> v[1]).sum();
        double server = out.values().stream().mapToDouble(v -> v[2]).sum();
        out.put("total", new double[] {total, bytes, server});
        return out;
    }

    private static ObjectId tip(Path store) throws Exception {
        try (Repository git = open(store)) {
            return git.getObjectDatabase().getShallowCommits().iterator().next();
        }
    }

    interface Step<T> {
        T run() throws Exception;
    }

    private static <T> T step(Map<String, double[]> out, String name, LocalGitHub gh, Step<T> s) throws Exception {
        gh.gitTraffic().reset();
        long t = System.nanoTime();
        T r = s.run();
        double ms = (System.nanoTime() - t) / 1e6;
        GitTraffic.Snapshot snap = gh.gitTraffic().snapshot();
        out.put(name, new double[] {ms, snap.bytesOut(), snap.serverNanos() / 1e6});
        return r;
    }

    private static boolean has(Repository git, ObjectId id) {
        try {
            return git.getObjectDatabase().has(id);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Repository open(Path store) throws Exception {
        Path dir = store.resolve(".git");
        Repository git = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
        if (!Files.exists(dir)) {
            git.create(true);
        }
        return git;
    }

    private static Transport transport(Repository git, URIish uri, UsernamePasswordCredentialsProvider creds)
            throws Exception {
        Transport t = Transport.open(git, uri);
        if (creds != null) {
            t.setCredentialsProvider(creds);
        }
        return t;
    }

    private static void fetch(Repository git, URIish uri, UsernamePasswordCredentialsProvider creds,
                              List<ObjectId> ids, String filter, Set<ObjectId> haves) throws Exception {
        List<Ref> wants = ids.stream().<Ref>map(id -> new ObjectIdRef.Unpeeled(Ref.Storage.NETWORK, id.name(), id))
                .toList();
        try (Transport t = transport(git, uri, creds)) {
            if (filter != null) {
                t.setFilterSpec(FilterSpec.fromFilterLine(filter));
            }
            try (FetchConnection c = t.openFetch()) {
                c.fetch(NullProgressMonitor.INSTANCE, wants, haves);
                for (PackLock lock : c.getPackLocks()) {
                    lock.unlock();
                }
            }
        }
    }

    private static Map<String, ObjectId> select(Repository git, ObjectId tree) throws Exception {
        Map<String, ObjectId> out = new LinkedHashMap<>();
        try (TreeWalk walk = new TreeWalk(git)) {
            walk.addTree(tree);
            walk.setRecursive(true);
            while (walk.next()) {
                FileMode mode = walk.getFileMode(0);
                if ((mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE)
                        && RepoScan.reads(walk.getPathString())) {
                    out.put(walk.getPathString(), walk.getObjectId(0));
                }
            }
        }
        return out;
    }
}
