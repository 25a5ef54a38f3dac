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
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.eclipse.jgit.errors.PackProtocolException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.Constants;
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

/**
 * What locate needs of a repository, and no more, in partial fetches: the tip commit of one branch alone (depth 1,
 * {@code filter tree:0}), which names its tree; when the tree is not known already, its trees without blobs (the
 * tree wanted by id, {@code filter blob:none}); then only the blobs of the paths asked for, wanted by id, written
 * under the checkout directory. Git's documented protocol capabilities only — {@code filter} and a {@code want} of a
 * reachable object by id ({@code uploadpack.allowFilter} and
 * {@code uploadpack.allowReachableSHA1InWant} on a git server; GitHub serves both, as partial clones need them).
 * A server without them makes {@link #tree} throw {@link Unsupported}: the caller falls back to a full shallow clone.
 *
 * <p>With a store kept between jobs ({@link ObjectStores}), {@link #since} brings the tip commit with only the
 * trees that are not the previous tip's ({@code filter blob:none}, depth 1, the previous tip offered as a "have"),
 * and blobs already held are not fetched again.
 *
 * <p>The git directory is {@code <checkout>/.git} or the store (bare repositories: no index, no work tree); the
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

    PartialFetch(Path checkout, URIish uri, CredentialsProvider credentials, Duration timeout) throws IOException {
        this(checkout, checkout.resolve(Constants.DOT_GIT), uri, credentials, timeout);
    }

    /**
     * @param gitDir where the objects go: {@code <checkout>/.git}, or a store kept between jobs
     *               ({@link ObjectStores}), whose earlier tips' trees are then not fetched again
     */
    PartialFetch(Path checkout, Path gitDir, URIish uri, CredentialsProvider credentials, Duration timeout)
            throws IOException {
        this.checkout = checkout.toAbsolutePath().normalize();
        this.uri = Objects.requireNonNull(uri, "uri");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.timeoutSeconds = (int) Math.max(1, timeout.toSeconds());
        Files.createDirectories(this.checkout);
        Path dir = gitDir.toAbsolutePath().normalize();
        this.git = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
        if (!Files.isDirectory(dir.resolve("objects"))) {
            git.create(true);
        }
    }

    /** A branch's tip commit and its tree. */
    record Tip(ObjectId commit, ObjectId tree) {
    }

    /**
     * Fetches the tip commit of {@code branch} alone (depth 1, {@code filter tree:0}: no trees, no blobs) and returns
     * it with its tree id. No local ref is made: a later fetch by id must not tell the server it has that commit's
     * objects.
     */
    Tip tip(String branch) throws IOException {
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
        return parse(tip.getObjectId());
    }

    /**
     * Fetches the tip commit of {@code branch} with its trees (depth 1, {@code filter blob:none}), offering
     * {@code have} — a commit whose trees are all in this store — so the server sends only the trees that are not
     * {@code have}'s: after a push, the trees on the changed paths. A want of the commit at depth 1, not of its tree:
     * a git server marks a have's trees as already there when it walks from wanted commits (a shallow request marks
     * them first), not when only a tree is wanted, which would bring every tree again.
     */
    Tip since(String branch, ObjectId have) throws IOException {
        String ref = Constants.R_HEADS + branch;
        try (Transport t = transport()) {
            t.setDepth(1);
            t.setFilterSpec(FilterSpec.fromFilterLine(BLOB_NONE));
            try (FetchConnection c = t.openFetch()) {
                Ref tip = c.getRef(ref);
                if (tip == null || tip.getObjectId() == null) {
                    throw new IOException("no branch " + branch);
                }
                if (tip.getObjectId().equals(have)) { // the branch has not moved: nothing to fetch
                    return parse(have);
                }
                c.fetch(NullProgressMonitor.INSTANCE, List.of(tip), Set.of(have));
                for (PackLock lock : c.getPackLocks()) {
                    lock.unlock();
                }
                return parse(tip.getObjectId());
            }
        } catch (TransportException e) {
            throw refused(e);
        }
    }

    /** Whether {@code commit} and its tree are in the store (a recorded tip that can be offered as a have). */
    boolean has(ObjectId commit) {
        try (RevWalk walk = new RevWalk(git)) {
            return git.getObjectDatabase().has(walk.parseCommit(commit).getTree());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private Tip parse(ObjectId commit) throws IOException {
        try (RevWalk walk = new RevWalk(git)) {
            RevCommit c = walk.parseCommit(commit);
            return new Tip(c.copy(), c.getTree().copy());
        }
    }

    /**
     * Fetches the trees of {@code tree} (by id, {@code filter blob:none}) unless it is in the store already, then the
     * blobs of its regular files whose paths {@code wanted} accepts (found through {@code index}: unchanged subtrees
     * are not walked again), and writes those files under the checkout; returns them, path → blob id.
     */
    Map<String, ObjectId> files(ObjectId tree, Predicate<String> wanted, TreeIndex index) throws IOException {
        if (!git.getObjectDatabase().has(tree)) {
            fetch(List.of(tree), FilterSpec.fromFilterLine(BLOB_NONE));
        }
        Map<String, ObjectId> files;
        try (ObjectReader reader = git.newObjectReader()) {
            files = index.files(reader, tree, wanted);
        }
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

    private static boolean safePath(String path) {
        for (String name : path.split("/", -1)) {
            if (!TreeIndex.safe(name)) {
                return false;
            }
        }
        return true;
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
