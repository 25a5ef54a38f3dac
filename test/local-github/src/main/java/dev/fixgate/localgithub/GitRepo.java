package dev.fixgate.localgithub;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.internal.storage.file.GC;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ResolveMerger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.storage.pack.PackConfig;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.PathFilterGroup;
import org.eclipse.jgit.treewalk.filter.TreeFilter;
import org.eclipse.jgit.util.io.DisabledOutputStream;

/**
 * One bare repository on disk and the object-level operations the REST API needs. Every write goes through an
 * {@link ObjectInserter} and a {@link RefUpdate}, so what the API creates is exactly what {@code git clone} sees.
 */
final class GitRepo implements AutoCloseable {

    /** A person as git records them. */
    record Person(String name, String email, Instant when) {
        PersonIdent ident() {
            return new PersonIdent(name, email, when, ZoneOffset.UTC);
        }

        static Person of(PersonIdent p) {
            return new Person(p.getName(), p.getEmailAddress(), p.getWhenAsInstant());
        }
    }

    /** A tree entry as the Git Data API describes it. */
    record Entry(String path, String mode, String type, String sha, long size) {}

    /** A file changed between two commits (the pull request "files" list). */
    record FileChange(String filename, String status, String sha, int additions, int deletions, String patch,
                      String previousFilename) {}

    /** A commit's metadata. */
    record CommitInfo(String sha, String tree, List<String> parents, Person author, Person committer, String message) {}

    /** A new tree entry: content (a blob is written), an existing sha, or a deletion (both empty). */
    record TreeChange(String path, String mode, Optional<byte[]> content, Optional<String> sha) {}

    private final Repository repo;

    private GitRepo(Repository repo) {
        this.repo = repo;
    }

    static GitRepo create(Path dir, String defaultBranch) {
        try {
            Git git = Git.init().setBare(true).setDirectory(dir.toFile()).setInitialBranch(defaultBranch).call();
            Repository r = git.getRepository();
            r.getConfig().setBoolean("http", null, "receivepack", true);
            r.getConfig().save();
            return new GitRepo(r);
        } catch (GitAPIException | IOException e) {
            throw new IllegalStateException("cannot create bare repository in " + dir, e);
        }
    }

    Repository repository() {
        return repo;
    }

    /**
     * Packs every object into one pack with a reachability bitmap index, as GitHub keeps its repositories (a fresh
     * repository here is loose objects: one file per object, which a server reads far slower). No delta search:
     * packing is quick, and the objects served are the same.
     */
    void pack() {
        try {
            GC gc = new GC((FileRepository) repo);
            PackConfig config = new PackConfig(repo);
            config.setDeltaCompress(false);
            config.setBuildBitmaps(true);
            gc.setPackConfig(config);
            gc.setExpireAgeMillis(0);
            gc.gc().get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot pack " + repo.getDirectory(), e);
        }
    }

    @Override
    public void close() {
        repo.close();
    }

    // ---- refs

    Optional<String> resolve(String refOrSha) {
        try {
            ObjectId id = repo.resolve(refOrSha + "^{commit}");
            return Optional.ofNullable(id).map(ObjectId::name);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    Optional<String> branchSha(String branch) {
        return ref(Constants.R_HEADS + branch).map(Ref::getObjectId).map(ObjectId::name);
    }

    Optional<Ref> ref(String fullName) {
        try {
            return Optional.ofNullable(repo.exactRef(fullName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Ref> refs(String prefix) {
        try {
            List<Ref> refs = new ArrayList<>(repo.getRefDatabase().getRefsByPrefix(prefix));
            refs.removeIf(r -> r.getName().equals(Constants.HEAD) || r.isSymbolic());
            refs.sort((a, b) -> a.getName().compareTo(b.getName()));
            return refs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Updates a ref; with {@code force=false} the new commit must descend from the old one. */
    RefUpdate.Result updateRef(String fullName, String sha, boolean force) {
        try (RevWalk walk = new RevWalk(repo)) {
            RefUpdate u = repo.updateRef(fullName);
            u.setNewObjectId(ObjectId.fromString(sha));
            u.setForceUpdate(force);
            u.setRefLogMessage("local-github", false);
            return u.update(walk);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    RefUpdate.Result deleteRef(String fullName) {
        try {
            RefUpdate u = repo.updateRef(fullName);
            u.setForceUpdate(true);
            return u.delete();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean hasObject(String sha) {
        try {
            return sha != null && sha.matches("[0-9a-f]{40}") && repo.getObjectDatabase().has(ObjectId.fromString(sha));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int objectType(String sha) {
        try (ObjectReader r = repo.newObjectReader()) {
            return r.open(ObjectId.fromString(sha)).getType();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- objects

    String insertBlob(byte[] content) {
        try (ObjectInserter ins = repo.newObjectInserter()) {
            ObjectId id = ins.insert(Constants.OBJ_BLOB, content);
            ins.flush();
            return id.name();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Optional<byte[]> blob(String sha) {
        try (ObjectReader r = repo.newObjectReader()) {
            ObjectLoader l = r.open(ObjectId.fromString(sha));
            return l.getType() == Constants.OBJ_BLOB ? Optional.of(l.getBytes()) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The file at {@code path} in a commit: (blob sha, bytes). */
    Optional<Map.Entry<String, byte[]>> file(String commitSha, String path) {
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit c = walk.parseCommit(ObjectId.fromString(commitSha));
            try (TreeWalk tw = TreeWalk.forPath(repo, path, c.getTree())) {
                if (tw == null || tw.getFileMode(0).getObjectType() != Constants.OBJ_BLOB) {
                    return Optional.empty();
                }
                ObjectId id = tw.getObjectId(0);
                return Optional.of(Map.entry(id.name(), repo.open(id).getBytes()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The entries of a tree (or a commit's tree), recursively or not. */
    Optional<List<Entry>> tree(String sha, boolean recursive) {
        try (RevWalk walk = new RevWalk(repo); TreeWalk tw = new TreeWalk(repo)) {
            ObjectId id = ObjectId.fromString(sha);
            int type = repo.open(id).getType();
            ObjectId treeId = type == Constants.OBJ_COMMIT ? walk.parseCommit(id).getTree().getId()
                    : type == Constants.OBJ_TREE ? id : null;
            if (treeId == null) {
                return Optional.empty();
            }
            tw.addTree(treeId);
            tw.setRecursive(false);
            List<Entry> out = new ArrayList<>();
            while (tw.next()) {
                FileMode mode = tw.getFileMode(0);
                boolean isTree = mode == FileMode.TREE;
                ObjectId oid = tw.getObjectId(0);
                long size = isTree ? 0 : repo.open(oid).getSize();
                out.add(new Entry(tw.getPathString(), String.format("%06o", mode.getBits()),
                        isTree ? "tree" : mode == FileMode.GITLINK ? "commit" : "blob", oid.name(), size));
                if (isTree && recursive) {
                    tw.enterSubtree();
                }
            }
            return Optional.of(out);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    Optional<String> treeOf(String commitSha) {
        return commit(commitSha).map(CommitInfo::tree);
    }

    /** Writes a tree: the base tree's files (if any) with the changes applied. */
    String writeTree(Optional<String> baseTree, List<TreeChange> changes) {
        try (ObjectInserter ins = repo.newObjectInserter()) {
            Map<String, DirCacheEntry> files = new LinkedHashMap<>();
            if (baseTree.isPresent()) {
                for (Entry e : tree(baseTree.get(), true).orElseThrow()) {
                    if (!e.type().equals("tree")) {
                        files.put(e.path(), entry(e.path(), e.mode(), ObjectId.fromString(e.sha())));
                    }
                }
            }
            for (TreeChange c : changes) {
                if (c.content().isEmpty() && c.sha().isEmpty()) {
                    String prefix = c.path() + "/";
                    files.keySet().removeIf(p -> p.equals(c.path()) || p.startsWith(prefix));
                    continue;
                }
                ObjectId id = c.content().isPresent() ? ins.insert(Constants.OBJ_BLOB, c.content().get())
                        : ObjectId.fromString(c.sha().get());
                if (c.mode().equals("040000")) {
                    // A subtree by sha: expand it so the DirCache can rebuild the hierarchy.
                    String prefix = c.path() + "/";
                    files.keySet().removeIf(p -> p.startsWith(prefix));
                    for (Entry e : tree(id.name(), true).orElseThrow()) {
                        if (!e.type().equals("tree")) {
                            files.put(prefix + e.path(), entry(prefix + e.path(), e.mode(), ObjectId.fromString(e.sha())));
                        }
                    }
                } else {
                    files.put(c.path(), entry(c.path(), c.mode(), id));
                }
            }
            DirCache dc = DirCache.newInCore();
            DirCacheBuilder b = dc.builder();
            List<String> paths = new ArrayList<>(files.keySet());
            Collections.sort(paths);
            for (String p : paths) {
                b.add(files.get(p));
            }
            b.finish();
            ObjectId tree = dc.writeTree(ins);
            ins.flush();
            return tree.name();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DirCacheEntry entry(String path, String mode, ObjectId id) {
        DirCacheEntry e = new DirCacheEntry(path);
        e.setFileMode(FileMode.fromBits(Integer.parseInt(mode, 8)));
        e.setObjectId(id);
        return e;
    }

    String writeCommit(String tree, List<String> parents, Person author, Person committer, String message) {
        try (ObjectInserter ins = repo.newObjectInserter()) {
            CommitBuilder cb = new CommitBuilder();
            cb.setTreeId(ObjectId.fromString(tree));
            cb.setParentIds(parents.stream().map(ObjectId::fromString).toList());
            cb.setAuthor(author.ident());
            cb.setCommitter(committer.ident());
            cb.setMessage(message);
            ObjectId id = ins.insert(cb);
            ins.flush();
            return id.name();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Optional<CommitInfo> commit(String sha) {
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit c = walk.parseCommit(ObjectId.fromString(sha));
            List<String> parents = new ArrayList<>();
            for (RevCommit p : c.getParents()) {
                parents.add(p.name());
            }
            return Optional.of(new CommitInfo(c.name(), c.getTree().name(), parents, Person.of(c.getAuthorIdent()),
                    Person.of(c.getCommitterIdent()), c.getFullMessage()));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    // ---- history and merging

    Optional<String> mergeBase(String a, String b) {
        try (RevWalk walk = new RevWalk(repo)) {
            walk.setRevFilter(RevFilter.MERGE_BASE);
            walk.markStart(walk.parseCommit(ObjectId.fromString(a)));
            walk.markStart(walk.parseCommit(ObjectId.fromString(b)));
            RevCommit base = walk.next();
            return Optional.ofNullable(base).map(RevCommit::name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Commits reachable from {@code head} and not from {@code base}, oldest first. */
    List<String> commitsBetween(String base, String head) {
        try (RevWalk walk = new RevWalk(repo)) {
            walk.sort(RevSort.TOPO, true);
            walk.sort(RevSort.REVERSE, true);
            walk.markStart(walk.parseCommit(ObjectId.fromString(head)));
            walk.markUninteresting(walk.parseCommit(ObjectId.fromString(base)));
            List<String> out = new ArrayList<>();
            for (RevCommit c : walk) {
                out.add(c.name());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code git log}: the commits reachable from {@code head}, newest first (children before parents), only those
     * that changed {@code path} (a file or a directory) when one is given.
     */
    List<CommitInfo> log(String head, Optional<String> path) {
        try (RevWalk walk = new RevWalk(repo)) {
            walk.sort(RevSort.TOPO, true);
            walk.sort(RevSort.COMMIT_TIME_DESC, true);
            path.ifPresent(p -> walk.setTreeFilter(AndTreeFilter.create(PathFilterGroup.createFromStrings(p),
                    TreeFilter.ANY_DIFF)));
            walk.markStart(walk.parseCommit(ObjectId.fromString(head)));
            List<String> shas = new ArrayList<>();
            for (RevCommit c : walk) {
                shas.add(c.name());
            }
            // Read each again: with a path filter the walk rewrites parents to the simplified history.
            return shas.stream().map(sha -> commit(sha).orElseThrow()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean isAncestor(String ancestor, String of) {
        try (RevWalk walk = new RevWalk(repo)) {
            return walk.isMergedInto(walk.parseCommit(ObjectId.fromString(ancestor)),
                    walk.parseCommit(ObjectId.fromString(of)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tree of merging {@code theirs} into {@code ours}, or empty on a conflict. */
    Optional<String> mergeTree(String ours, String theirs) {
        return mergeTree(Optional.empty(), ours, theirs);
    }

    private Optional<String> mergeTree(Optional<String> base, String ours, String theirs) {
        try (ObjectInserter ins = repo.newObjectInserter()) {
            ResolveMerger m = (ResolveMerger) MergeStrategy.RECURSIVE.newMerger(ins, repo.getConfig());
            if (base.isPresent()) {
                m.setBase(ObjectId.fromString(base.get()));
            }
            boolean ok = m.merge(ObjectId.fromString(ours), ObjectId.fromString(theirs));
            ins.flush();
            return ok ? Optional.of(m.getResultTreeId().name()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replays the commits {@code base..head} onto {@code onto}; the new tip, or empty on a conflict. */
    Optional<String> rebase(String onto, String head, Person committer) {
        String tip = onto;
        String mb = mergeBase(onto, head).orElse(onto);
        for (String sha : commitsBetween(mb, head)) {
            CommitInfo c = commit(sha).orElseThrow();
            Optional<String> tree = mergeTree(c.parents().isEmpty() ? Optional.empty() : Optional.of(c.parents().get(0)),
                    tip, sha);
            if (tree.isEmpty()) {
                return Optional.empty();
            }
            tip = writeCommit(tree.get(), List.of(tip), c.author(), committer, c.message());
        }
        return Optional.of(tip);
    }

    /** The files changed from {@code base} to {@code head}, with unified-diff patches like GitHub's. */
    /** The changes from {@code base} to {@code head}; a null base is the empty tree (a root commit's files). */
    List<FileChange> diff(String base, String head) {
        try (RevWalk walk = new RevWalk(repo); DiffFormatter fmt = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            fmt.setRepository(repo);
            fmt.setDetectRenames(true);
            List<DiffEntry> entries = fmt.scan(base == null ? null : walk.parseCommit(ObjectId.fromString(base)).getTree(),
                    walk.parseCommit(ObjectId.fromString(head)).getTree());
            List<FileChange> out = new ArrayList<>();
            for (DiffEntry e : entries) {
                int add = 0;
                int del = 0;
                for (Edit edit : fmt.toFileHeader(e).toEditList()) {
                    add += edit.getEndB() - edit.getBeginB();
                    del += edit.getEndA() - edit.getBeginA();
                }
                String status = switch (e.getChangeType()) {
                    case ADD -> "added";
                    case DELETE -> "removed";
                    case RENAME -> "renamed";
                    case COPY -> "copied";
                    case MODIFY -> "modified";
                };
                boolean deleted = e.getChangeType() == DiffEntry.ChangeType.DELETE;
                out.add(new FileChange(deleted ? e.getOldPath() : e.getNewPath(), status,
                        (deleted ? e.getOldId() : e.getNewId()).name(), add, del, patch(e),
                        e.getChangeType() == DiffEntry.ChangeType.RENAME ? e.getOldPath() : null));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GitHub's "patch" field: the hunks only, without the diff/index/---/+++ header lines. */
    private String patch(DiffEntry e) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (DiffFormatter f = new DiffFormatter(buf)) {
            f.setRepository(repo);
            f.format(e);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        int hunk = text.indexOf("\n@@");
        return hunk < 0 ? "" : text.substring(hunk + 1).stripTrailing();
    }

    /** The paths a commit added, removed and modified relative to its first parent (the push payload). */
    Map<String, List<String>> changedPaths(String sha) {
        CommitInfo c = commit(sha).orElseThrow();
        Map<String, List<String>> out = new LinkedHashMap<>();
        out.put("added", new ArrayList<>());
        out.put("removed", new ArrayList<>());
        out.put("modified", new ArrayList<>());
        try (RevWalk walk = new RevWalk(repo); DiffFormatter fmt = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            fmt.setRepository(repo);
            RevCommit rc = walk.parseCommit(ObjectId.fromString(sha));
            List<DiffEntry> entries = c.parents().isEmpty()
                    ? fmt.scan(null, rc.getTree())
                    : fmt.scan(walk.parseCommit(ObjectId.fromString(c.parents().get(0))).getTree(), rc.getTree());
            for (DiffEntry e : entries) {
                switch (e.getChangeType()) {
                    case ADD, COPY -> out.get("added").add(e.getNewPath());
                    case DELETE -> out.get("removed").add(e.getOldPath());
                    default -> out.get("modified").add(e.getNewPath());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** True when a path exists in the commit's tree. */
    boolean exists(String commitSha, String path) {
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit c = walk.parseCommit(ObjectId.fromString(commitSha));
            try (TreeWalk tw = new TreeWalk(repo)) {
                tw.addTree(c.getTree());
                tw.setRecursive(true);
                tw.setFilter(PathFilter.create(path));
                return tw.next();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
