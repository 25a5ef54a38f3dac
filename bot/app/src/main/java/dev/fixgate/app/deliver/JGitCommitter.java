package dev.fixgate.app.deliver;

import dev.fixgate.app.config.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commit with JGit, for changes too large for {@link GitDataApiCommitter}: a shallow fetch (depth 1) of the
 * default branch (and of fixgate's branch when it exists) over HTTP(S) into a temporary bare repository, the new
 * tree built in memory (a {@link DirCache} read from the base tree, edited, written with an {@link ObjectInserter};
 * no work tree, no checkout), the commit, and one push of {@code refs/heads/<branch>}. Tree, message, author and
 * committer are exactly what the API path writes for the same {@link BranchCommitter.Change}.
 *
 * <p>Authentication is GitHub's for installations: user {@code x-access-token}, the installation token as the
 * password, handed to JGit as a {@link CredentialsProvider} only. The token is never put into the remote URL (any
 * user info in {@code clone_url} is dropped), never written to the repository's configuration (no remote is
 * configured; the URL is used directly) and never logged. The temporary repository is deleted in every case.
 *
 * <p>The push is one ref update, which the server applies atomically: the branch is moved to the new commit or left
 * as it was. It is also a compare-and-swap: the ref must still be absent (creating) or still at
 * {@link BranchCommitter.Change#current()} (updating, forced because the new commit is rebuilt on the current
 * default branch), so a human push that lands between the caller's check and this push is never overwritten.
 */
public final class JGitCommitter implements BranchCommitter {

    /** Where the installation token comes from ({@code InstallationTokens::token} in the service). */
    @FunctionalInterface
    public interface Tokens {
        Secret token(long installationId) throws IOException;
    }

    /** Per network operation (connect and each read): a fetch or push that stalls this long fails the attempt. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);
    private static final Logger LOG = LoggerFactory.getLogger(JGitCommitter.class);
    private static final String USER = "x-access-token";
    private static final String BASE_REF = "refs/fixgate/base";
    private static final String CURRENT_REF = "refs/fixgate/current";

    private final Tokens tokens;
    private final Path tempRoot;
    private final Duration timeout;

    /** Temporary repositories under {@code java.io.tmpdir}, {@link #DEFAULT_TIMEOUT}. */
    public JGitCommitter(Tokens tokens) {
        this(tokens, Path.of(System.getProperty("java.io.tmpdir")), DEFAULT_TIMEOUT);
    }

    /**
     * @param tempRoot where the temporary bare repositories are made (and deleted again)
     * @param timeout  the network timeout of the fetch and the push, at least one second
     */
    public JGitCommitter(Tokens tokens, Path tempRoot, Duration timeout) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.tempRoot = Objects.requireNonNull(tempRoot, "tempRoot");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.toSeconds() < 1) {
            throw new IllegalArgumentException("the timeout is at least one second");
        }
    }

    @Override
    public Result commit(Change c) throws IOException {
        URIish remote = remote(c.repository().getHttpTransportUrl());
        CredentialsProvider credentials = new UsernamePasswordCredentialsProvider(USER,
                tokens.token(c.installationId()).reveal());
        Files.createDirectories(tempRoot);
        Path dir = Files.createTempDirectory(tempRoot, "fixgate-git-");
        try {
            try (Repository repo = FileRepositoryBuilder.create(dir.toFile())) {
                repo.create(true);
                return commit(repo, remote, credentials, c);
            }
        } finally {
            delete(dir);
        }
    }

    private Result commit(Repository repo, URIish remote, CredentialsProvider credentials, Change c) throws IOException {
        String branchRef = Constants.R_HEADS + c.branch();
        List<RefSpec> specs = new ArrayList<>(List.of(new RefSpec("+" + Constants.R_HEADS + c.base() + ":" + BASE_REF)));
        c.current().ifPresent(head -> specs.add(new RefSpec("+" + branchRef + ":" + CURRENT_REF)));
        try (Transport fetch = open(repo, remote, credentials)) {
            fetch.setDepth(1);
            fetch.fetch(NullProgressMonitor.INSTANCE, specs);
        }
        ObjectId base = resolve(repo, BASE_REF, c.base());
        Optional<ObjectId> expected = c.current().map(ObjectId::fromString);
        if (expected.isPresent()) {
            ObjectId now = resolve(repo, CURRENT_REF, c.branch());
            if (!now.equals(expected.get())) {
                throw new IOException("branch " + c.branch() + " moved to " + now.name() + " while delivering (expected "
                        + expected.get().name() + "); the next attempt looks at it again");
            }
            if (!c.rebuild() && holds(repo, now, c.files())) {
                return new Result(now.name(), false);
            }
        }
        ObjectId commit = build(repo, base, c);
        // One ref, so the server applies it atomically; expected old id: create only if absent, move only from
        // the fixgate commit the caller checked (force: the new commit is not a descendant of the old one).
        RemoteRefUpdate update = new RemoteRefUpdate(repo, (String) null, commit, branchRef, true, null,
                expected.orElse(ObjectId.zeroId()));
        PushResult pushed;
        try (Transport push = open(repo, remote, credentials)) {
            pushed = push.push(NullProgressMonitor.INSTANCE, List.of(update));
        }
        RemoteRefUpdate result = pushed.getRemoteUpdate(branchRef);
        RemoteRefUpdate.Status status = result == null ? RemoteRefUpdate.Status.NOT_ATTEMPTED : result.getStatus();
        if (status != RemoteRefUpdate.Status.OK) {
            String why = result == null || result.getMessage() == null ? "" : ": " + result.getMessage();
            throw new IOException("push of " + branchRef + " was not accepted (" + status.name().toLowerCase(Locale.ROOT)
                    + why + "); the branch was not changed");
        }
        LOG.atDebug().setMessage("pushed with JGit").addKeyValue("repository", c.repository().getFullName())
                .addKeyValue("branch", c.branch()).addKeyValue("commit", commit.name())
                .addKeyValue("files", c.files().size()).log();
        return new Result(commit.name(), true);
    }

    /** The new tree (base tree + the files, mode 100644, as UTF-8) and the commit on {@code base}; not yet pushed. */
    private static ObjectId build(Repository repo, ObjectId base, Change c) throws IOException {
        try (ObjectInserter inserter = repo.newObjectInserter();
             ObjectReader reader = repo.newObjectReader();
             RevWalk walk = new RevWalk(reader)) {
            RevCommit parent = walk.parseCommit(base);
            DirCache index = DirCache.newInCore();
            DirCacheBuilder builder = index.builder();
            builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, parent.getTree());
            builder.finish();
            DirCacheEditor editor = index.editor();
            for (Map.Entry<String, String> f : new TreeMap<>(c.files()).entrySet()) {
                ObjectId blob = inserter.insert(Constants.OBJ_BLOB, f.getValue().getBytes(StandardCharsets.UTF_8));
                editor.add(new DirCacheEditor.PathEdit(f.getKey()) {
                    @Override
                    public void apply(DirCacheEntry entry) {
                        entry.setFileMode(FileMode.REGULAR_FILE);
                        entry.setObjectId(blob);
                    }
                });
            }
            editor.finish();
            ObjectId tree = index.writeTree(inserter);
            PersonIdent bot = new PersonIdent(PullRequestDelivery.BOT_NAME, PullRequestDelivery.BOT_EMAIL, c.at(),
                    ZoneOffset.UTC);
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(tree);
            commit.setParentId(parent);
            commit.setAuthor(bot);
            commit.setCommitter(bot);
            commit.setMessage(c.message());
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        }
    }

    /** Whether {@code head}'s tree holds every file with exactly the given text (blob ids compared, no reads). */
    private static boolean holds(Repository repo, ObjectId head, Map<String, String> files) throws IOException {
        try (ObjectReader reader = repo.newObjectReader(); RevWalk walk = new RevWalk(reader);
             ObjectInserter.Formatter hash = new ObjectInserter.Formatter()) {
            RevCommit commit = walk.parseCommit(head);
            for (Map.Entry<String, String> f : files.entrySet()) {
                try (TreeWalk at = TreeWalk.forPath(reader, f.getKey(), commit.getTree())) {
                    ObjectId want = hash.idFor(Constants.OBJ_BLOB, f.getValue().getBytes(StandardCharsets.UTF_8));
                    if (at == null || at.getFileMode(0).getObjectType() != Constants.OBJ_BLOB
                            || !want.equals(at.getObjectId(0))) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    private Transport open(Repository repo, URIish remote, CredentialsProvider credentials) throws IOException {
        Transport t = Transport.open(repo, remote);
        t.setCredentialsProvider(credentials);
        t.setTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
        return t;
    }

    private static ObjectId resolve(Repository repo, String ref, String branch) throws IOException {
        Ref r = repo.exactRef(ref);
        if (r == null || r.getObjectId() == null) {
            throw new IOException("the fetch did not bring branch " + branch);
        }
        return r.getObjectId();
    }

    /**
     * The repository's {@code clone_url} without any user info: credentials only ever travel through the
     * {@link CredentialsProvider}. Only {@code https} and {@code http} (a local or test GitHub) are accepted.
     */
    static URIish remote(String cloneUrl) throws IOException {
        if (cloneUrl == null || cloneUrl.isBlank()) {
            throw new IOException("the repository has no clone_url");
        }
        URIish uri;
        try {
            uri = new URIish(cloneUrl);
        } catch (java.net.URISyntaxException e) {
            throw new IOException("the repository's clone_url is not a URL", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IOException("the repository's clone_url is not an HTTP(S) URL (scheme '" + scheme + "')");
        }
        return uri.setUser(null).setPass(null);
    }

    private static void delete(Path dir) {
        try {
            FileUtils.delete(dir.toFile(), FileUtils.RECURSIVE | FileUtils.RETRY | FileUtils.SKIP_MISSING);
        } catch (IOException e) {
            LOG.atWarn().setMessage("could not delete a temporary repository").addKeyValue("path", dir)
                    .addKeyValue("error", e.getMessage()).log();
        }
    }

    @Override
    public String toString() {
        return "JGitCommitter[tempRoot=" + tempRoot + ", timeout=" + timeout + "]";
    }
}
