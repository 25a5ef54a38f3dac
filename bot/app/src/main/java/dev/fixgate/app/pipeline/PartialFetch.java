package dev.fixgate.app.pipeline;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.eclipse.jgit.errors.PackProtocolException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectIdRef;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.FilterSpec;
import org.eclipse.jgit.transport.PackLock;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * What locate needs of a repository, and no more, in partial fetches: the tip commit of one branch alone (depth 1,
 * {@code filter tree:0}), which names its tree; when the tree is not known already, its trees without blobs (the
 * tree wanted by id, {@code filter blob:none}); then only the blobs of the paths asked for, wanted by id, written
 * under the checkout directory. Git's documented protocol capabilities only — {@code filter} and a {@code want} of a
 * reachable object by id ({@code uploadpack.allowFilter} and
 * {@code uploadpack.allowReachableSHA1InWant} on a git server; GitHub serves both, as partial clones need them).
 * A server without them makes {@link #tree} throw {@link Unsupported}: the caller falls back to a full shallow clone.
 *
 * <p>The git directory is {@code <checkout>/.git} (a bare repository: no index, no work tree of its own); the
 * files written are regular files only — symbolic links, submodules and any path with a {@code .git}, {@code .} or
 * {@code ..} component are never written, and nothing is written outside the checkout.
 */
final class PartialFetch implements AutoCloseable {

    /** The server cannot serve a partial fetch: it does not advertise {@code filter}, or refuses a want by id. */
    static final class Unsupported extends IOException {
        Unsupported(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final String BLOB_NONE = "blob:none";
    private static final String TREE_NONE = "tree:0";

    private final Path checkout;
    private final Repository git;
    private final URIish uri;
    private final CredentialsProvider credentials;
    private final int timeoutSeconds;
    /** The branch's tip commit {@link #tree} fetched; null before. */
    private ObjectId tip;

    PartialFetch(Path checkout, URIish uri, CredentialsProvider credentials, Duration timeout) throws IOException {
        this.checkout = checkout.toAbsolutePath().normalize();
        this.uri = Objects.requireNonNull(uri, "uri");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.timeoutSeconds = (int) Math.max(1, timeout.toSeconds());
        Files.createDirectories(this.checkout);
        this.git = new FileRepositoryBuilder().setGitDir(this.checkout.resolve(Constants.DOT_GIT).toFile())
                .setBare().build();
        git.create(true);
    }

    /** The tip commit the last {@link #tree} call fetched. */
    ObjectId commit() {
        if (tip == null) {
            throw new IllegalStateException("no tip fetched yet");
        }
        return tip;
    }

    /**
     * Fetches the tip commit of {@code branch} alone (depth 1, {@code filter tree:0}: no trees, no blobs) and returns
     * its tree id. No local ref is made: a later fetch by id must not tell the server it has that commit's objects.
     */
    ObjectId tree(String branch) throws IOException {
        String ref = Constants.R_HEADS + branch;
        FetchResult result;
        try (Transport t = transport()) {
            t.setDepth(1);
            t.setFilterSpec(FilterSpec.fromFilterLine(TREE_NONE));
            result = t.fetch(NullProgressMonitor.INSTANCE, List.of(new RefSpec(ref)));
        } catch (TransportException e) {
            throw refused(e);
        }
        Ref tip = result.getAdvertisedRef(ref);
        if (tip == null) {
            throw new IOException("no branch " + branch);
        }
        try (RevWalk walk = new RevWalk(git)) {
            RevCommit commit = walk.parseCommit(tip.getObjectId());
            this.tip = commit.getId();
            return commit.getTree().getId();
        }
    }

    /**
     * Fetches the trees of {@code tree} (by id, {@code filter blob:none}), then the blobs of its regular files whose
     * paths {@code wanted} accepts, and writes those files under the checkout; returns them, path → blob id.
     */
    Map<String, ObjectId> files(ObjectId tree, Predicate<String> wanted) throws IOException {
        if (!git.getObjectDatabase().has(tree)) {
            fetch(List.of(tree), FilterSpec.fromFilterLine(BLOB_NONE));
        }
        Map<String, ObjectId> files = select(tree, wanted);
        write(files);
        return files;
    }

    /** Fetches the blobs (by id) and writes them under the checkout at their paths (path → blob id). */
    void write(Map<String, ObjectId> files) throws IOException {
        Set<ObjectId> missing = new LinkedHashSet<>();
        for (ObjectId id : files.values()) {
            if (!git.getObjectDatabase().has(id)) {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            fetch(missing, FilterSpec.NO_FILTER);
        }
        try (ObjectReader reader = git.newObjectReader()) {
            for (Map.Entry<String, ObjectId> f : files.entrySet()) {
                Path target = checkout.resolve(f.getKey()).normalize();
                if (!target.startsWith(checkout) || target.equals(checkout) || !safePath(f.getKey())) {
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (OutputStream out = Files.newOutputStream(target)) {
                    reader.open(f.getValue(), Constants.OBJ_BLOB).copyTo(out);
                }
            }
        }
    }

    /** The regular files of the tree that {@code wanted} accepts, path → blob id, in tree order. */
    private Map<String, ObjectId> select(ObjectId tree, Predicate<String> wanted) throws IOException {
        Map<String, ObjectId> out = new LinkedHashMap<>();
        try (TreeWalk walk = new TreeWalk(git)) {
            walk.addTree(tree);
            walk.setRecursive(false);
            while (walk.next()) {
                String path = walk.getPathString();
                if (!safe(walk.getNameString())) {
                    continue;
                }
                FileMode mode = walk.getFileMode(0);
                if (walk.isSubtree()) {
                    walk.enterSubtree();
                } else if ((mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) && wanted.test(path)) {
                    out.put(path, walk.getObjectId(0));
                }
            }
        }
        return out;
    }

    private static boolean safePath(String path) {
        for (String name : path.split("/", -1)) {
            if (!safe(name)) {
                return false;
            }
        }
        return true;
    }

    /** A name that may be written: never {@code .git} (in any case), {@code .} or {@code ..}. */
    private static boolean safe(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..")
                && !name.toLowerCase(Locale.ROOT).equals(Constants.DOT_GIT) && name.indexOf('\\') < 0;
    }

    /** Wants each object by id, with no haves: the server sends exactly those objects (and, for a tree, its trees). */
    private void fetch(Collection<ObjectId> ids, FilterSpec filter) throws IOException {
        List<Ref> wants = new ArrayList<>(ids.size());
        for (ObjectId id : ids) {
            wants.add(new ObjectIdRef.Unpeeled(Ref.Storage.NETWORK, id.name(), id));
        }
        try (Transport t = transport()) {
            t.setFilterSpec(filter);
            try (FetchConnection c = t.openFetch()) {
                c.fetch(NullProgressMonitor.INSTANCE, wants, Set.of());
                for (PackLock lock : c.getPackLocks()) {
                    lock.unlock();
                }
            }
        } catch (TransportException e) {
            throw refused(e);
        }
        for (ObjectId id : ids) {
            if (!git.getObjectDatabase().has(id)) {
                throw new Unsupported("the server did not send " + id.name(), null);
            }
        }
    }

    /**
     * {@link Unsupported} when the server does not serve what a partial fetch asks (JGit checks the advertised
     * {@code filter} capability before asking; a want the server will not serve is a protocol error); else as is.
     */
    private static IOException refused(TransportException e) {
        String m = String.valueOf(e.getMessage());
        if (e instanceof PackProtocolException || m.contains("advertise") || m.contains("not valid")) {
            return new Unsupported("partial fetch not served: " + m, e);
        }
        return e;
    }

    private Transport transport() throws IOException {
        Transport t = Transport.open(git, uri);
        t.setCredentialsProvider(credentials);
        t.setTimeout(timeoutSeconds);
        return t;
    }

    @Override
    public void close() {
        git.close();
    }
}
