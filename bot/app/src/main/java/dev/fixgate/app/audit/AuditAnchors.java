package dev.fixgate.app.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.config.ConfigException;
import dev.fixgate.app.config.ConfigProblem;
import dev.fixgate.app.config.ServiceConfig;
import dev.fixgate.app.json.Json;
import dev.fixgate.spi.error.FixgateException;
import dev.fixgate.spi.error.SourceLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.GpgSignature;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Anchors the audit log outside the database: the chain's head (sequence number, hash, the time of that entry) as
 * one commit on a branch of a git repository the operator chooses ({@code audit.anchor} in fixgate.yml), signed
 * with an SSH signature (Ed25519) that {@code git verify-commit} checks. Later, {@link #verifyAgainst} proves that
 * the log still holds the anchored entry unchanged: a rewrite of the table and its head made after the anchor —
 * consistent again as a chain — no longer matches it.
 *
 * <p>The repository is reached like a remote (a local path or a URL): fetched into a temporary bare repository,
 * the commit built in memory, pushed as a fast-forward. HTTPS credentials go to JGit as a credentials provider only,
 * never into a URL or a log line. Anchoring an unchanged head writes nothing; anchoring a broken chain is refused.
 */
public final class AuditAnchors {

    /** The file each anchor commit holds. */
    public static final String FILE = "audit-anchor.json";
    static final String FORMAT = "fixgate-audit-anchor/1";

    /** What an anchor records. */
    public record Anchor(long seq, String hash, Instant headAt, Instant anchoredAt) {
        String toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("format", FORMAT);
            m.put("seq", seq);
            m.put("hash", hash);
            m.put("head_at", headAt == null ? null : headAt.toString());
            m.put("anchored_at", anchoredAt.toString());
            return Json.prettyInOrder(m) + "\n";
        }

        static Anchor fromJson(String text) throws IOException {
            JsonNode n = Json.mapper().readTree(text);
            if (!FORMAT.equals(n.path("format").asText())) {
                throw new IOException("not a fixgate audit anchor (format " + n.path("format").asText() + ")");
            }
            return new Anchor(n.path("seq").asLong(), n.path("hash").asText(),
                    n.path("head_at").isTextual() ? Instant.parse(n.path("head_at").asText()) : null,
                    Instant.parse(n.path("anchored_at").asText()));
        }
    }

    /** Whether an anchor commit carries a good signature by the configured key. */
    public enum SignatureStatus {
        /** Signed by the configured key, and the signature verifies. */
        GOOD,
        /** Signed, but not by the configured key or not over this commit. */
        BAD,
        /** Not signed, while a key is configured. */
        UNSIGNED,
        /** No key is configured: nothing to check against. */
        NOT_CHECKED
    }

    /** An anchor as read back from the repository. */
    public record Stored(Anchor anchor, String commit, SignatureStatus signature) {
    }

    /** What {@link #anchor()} did. */
    public sealed interface Outcome {
        Stored stored();

        /** A new anchor commit was pushed. */
        record Anchored(Stored stored) implements Outcome {
        }

        /** The head is the one anchored last: nothing written. */
        record Unchanged(Stored stored) implements Outcome {
        }
    }

    /** The anchor, and the log checked against it. */
    public record Check(Stored stored, AuditLog.Verification verification) {
        public boolean proven() {
            return verification.intact() && stored.signature() != SignatureStatus.BAD
                    && stored.signature() != SignatureStatus.UNSIGNED;
        }
    }

    private final ServiceConfig.AuditAnchor config;
    private final AuditLog log;
    private final Clock clock;
    private final Optional<SshSignatures.SigningKey> signingKey;
    private final Optional<byte[]> publicKey;

    public AuditAnchors(ServiceConfig.AuditAnchor config, AuditLog log, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.log = Objects.requireNonNull(log, "log");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (!config.configured()) {
            throw new ConfigException(java.util.List.of(new ConfigProblem("config.missing-key", SourceLocation.of("fixgate.yml"),
                    "/audit/anchor/repository", "no anchor repository is configured (audit.anchor.repository)")));
        }
        try {
            this.signingKey = config.signingKey().isPresent()
                    ? Optional.of(SshSignatures.readPrivateKey(config.signingKey().reveal())) : Optional.empty();
            this.publicKey = !config.publicKey().isEmpty() ? Optional.of(SshSignatures.readPublicLine(config.publicKey()))
                    : signingKey.map(SshSignatures.SigningKey::publicBlob);
        } catch (SshSignatures.BadKeyException e) {
            throw new ConfigException(java.util.List.of(new ConfigProblem("config.invalid-value", SourceLocation.of("fixgate.yml"),
                    "/audit/anchor", "audit.anchor's key: " + e.getMessage())));
        }
    }

    /** Where anchors go, for messages (a URL's user information removed). */
    public String location() {
        return config.repository().replaceAll("//[^/@]*@", "//") + " (branch " + config.branch() + ")";
    }

    /** Writes the current head as a new anchor, unless it is the one anchored last. */
    public Outcome anchor() {
        AuditLog.Verification chain = log.verify();
        if (!chain.intact()) {
            throw new FixgateException("audit.broken", "the audit log is broken, so it is not anchored: "
                    + chain.problem().orElseThrow());
        }
        AuditLog.Head head = log.head();
        return withRepository(repo -> {
            Optional<Stored> last = latest(repo);
            if (last.isPresent() && last.get().anchor().seq() == head.seq() && last.get().anchor().hash().equals(head.hash())) {
                return new Outcome.Unchanged(last.get());
            }
            Anchor anchor = new Anchor(head.seq(), head.hash(), head.at().orElse(null), clock.instant());
            ObjectId commit = commit(repo, anchor, last.map(s -> ObjectId.fromString(s.commit())));
            push(repo, commit, last.map(Stored::commit));
            return new Outcome.Anchored(new Stored(anchor, commit.name(), signingKey.isPresent()
                    ? SignatureStatus.GOOD : SignatureStatus.NOT_CHECKED));
        });
    }

    /** Reads an anchor: {@code latest} (the branch's head), another ref, or a commit id. */
    public Stored read(String ref) {
        return withRepository(repo -> {
            ObjectId id = "latest".equals(ref) ? Optional.ofNullable(repo.exactRef(Constants.R_HEADS + config.branch()))
                    .map(Ref::getObjectId).orElse(null) : repo.resolve(ref);
            if (id == null) {
                throw new FixgateException("audit.anchor-not-found", "no anchor " + ref + " in " + location());
            }
            return stored(repo, id);
        });
    }

    /** Every anchor, newest first. */
    public List<Stored> list(int limit) {
        return withRepository(repo -> {
            List<Stored> out = new ArrayList<>();
            Ref branch = repo.exactRef(Constants.R_HEADS + config.branch());
            if (branch == null) {
                return out;
            }
            try (RevWalk walk = new RevWalk(repo)) {
                walk.markStart(walk.parseCommit(branch.getObjectId()));
                for (RevCommit c : walk) {
                    if (out.size() >= limit) {
                        break;
                    }
                    out.add(stored(repo, c));
                }
            }
            return out;
        });
    }

    /** The anchor {@code ref}, and the log checked against it. */
    public Check verifyAgainst(String ref) {
        Stored stored = read(ref);
        return new Check(stored, log.verify(Optional.of(new AuditLog.Checkpoint(stored.anchor().seq(),
                stored.anchor().hash()))));
    }

    private Optional<Stored> latest(Repository repo) throws IOException {
        Ref branch = repo.exactRef(Constants.R_HEADS + config.branch());
        return branch == null ? Optional.empty() : Optional.of(stored(repo, branch.getObjectId()));
    }

    private Stored stored(Repository repo, ObjectId id) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            return stored(repo, walk.parseCommit(id));
        }
    }

    private Stored stored(Repository repo, RevCommit c) throws IOException {
        try (TreeWalk tw = TreeWalk.forPath(repo, FILE, c.getTree())) {
            if (tw == null) {
                throw new FixgateException("audit.anchor-not-found", "commit " + c.name() + " holds no " + FILE);
            }
            String text = new String(repo.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
            return new Stored(Anchor.fromJson(text), c.name(), signature(c.getRawBuffer()));
        }
    }

    /** Checks the commit's {@code gpgsig} header (an SSH signature over the commit without that header). */
    SignatureStatus signature(byte[] raw) {
        SignedCommit split = SignedCommit.split(raw);
        if (publicKey.isEmpty()) {
            return SignatureStatus.NOT_CHECKED;
        }
        if (split.signature().isEmpty()) {
            return SignatureStatus.UNSIGNED;
        }
        return SshSignatures.verify(split.payload(), split.signature().get(), publicKey.get(), SshSignatures.GIT).isPresent()
                ? SignatureStatus.GOOD : SignatureStatus.BAD;
    }

    private ObjectId commit(Repository repo, Anchor anchor, Optional<ObjectId> parent) throws IOException {
        try (ObjectInserter ins = repo.newObjectInserter()) {
            ObjectId blob = ins.insert(Constants.OBJ_BLOB, anchor.toJson().getBytes(StandardCharsets.UTF_8));
            TreeFormatter tree = new TreeFormatter();
            tree.append(FILE, FileMode.REGULAR_FILE, blob);
            ObjectId treeId = ins.insert(tree);
            PersonIdent who = new PersonIdent(config.committerName(), config.committerEmail(), anchor.anchoredAt(),
                    java.time.ZoneOffset.UTC);
            CommitBuilder cb = new CommitBuilder();
            cb.setTreeId(treeId);
            parent.ifPresent(cb::setParentId);
            cb.setAuthor(who);
            cb.setCommitter(who);
            cb.setMessage("fixgate audit anchor: entry " + anchor.seq() + "\n\nhash " + anchor.hash() + "\nentry time "
                    + (anchor.headAt() == null ? "(empty log)" : anchor.headAt()) + "\n");
            if (signingKey.isPresent()) {
                String sig = SshSignatures.sign(cb.build(), signingKey.get(), SshSignatures.GIT);
                cb.setGpgSignature(new GpgSignature(sig.getBytes(StandardCharsets.US_ASCII)));
            }
            ObjectId id = ins.insert(cb);
            ins.flush();
            return id;
        }
    }

    private void push(Repository repo, ObjectId commit, Optional<String> expected) throws GitAPIException {
        String ref = Constants.R_HEADS + config.branch();
        RemoteRefUpdate.Status status;
        try (Git git = new Git(repo)) {
            Iterable<PushResult> results = git.push().setRemote(config.repository())
                    .setRefSpecs(new RefSpec(commit.name() + ":" + ref)).setCredentialsProvider(credentials()).call();
            status = RemoteRefUpdate.Status.NOT_ATTEMPTED;
            for (PushResult r : results) {
                RemoteRefUpdate u = r.getRemoteUpdate(ref);
                if (u != null) {
                    status = u.getStatus();
                }
            }
        }
        if (status != RemoteRefUpdate.Status.OK && status != RemoteRefUpdate.Status.UP_TO_DATE) {
            throw new FixgateException("audit.anchor-push-failed", "the anchor was not accepted by " + location() + " ("
                    + status + (expected.isPresent() ? "; someone else anchored meanwhile?" : "") + ")");
        }
    }

    private CredentialsProvider credentials() {
        return config.token().isPresent()
                ? new UsernamePasswordCredentialsProvider("x-access-token", config.token().reveal()) : null;
    }

    @FunctionalInterface
    private interface RepoWork<T> {
        T run(Repository repo) throws IOException, GitAPIException;
    }

    /** A temporary bare repository with the anchor branch fetched (a local path is created when missing). */
    private <T> T withRepository(RepoWork<T> work) {
        Path tmp = null;
        try {
            if (!config.repository().contains("://")) {
                Path dir = Path.of(config.repository());
                if (!Files.exists(dir)) {
                    Files.createDirectories(dir);
                    Git.init().setBare(true).setDirectory(dir.toFile()).call().close();
                }
            }
            tmp = Files.createTempDirectory("fixgate-anchor-");
            try (Git git = Git.init().setBare(true).setDirectory(tmp.toFile()).call()) {
                String ref = Constants.R_HEADS + config.branch();
                boolean exists = Git.lsRemoteRepository().setRemote(config.repository()).setHeads(true)
                        .setCredentialsProvider(credentials()).call().stream().anyMatch(r -> r.getName().equals(ref));
                if (exists) {
                    git.fetch().setRemote(config.repository()).setRefSpecs(new RefSpec("+" + ref + ":" + ref))
                            .setCredentialsProvider(credentials()).call();
                }
                return work.run(git.getRepository());
            }
        } catch (GitAPIException e) {
            throw new FixgateException("audit.anchor-unreachable", "cannot reach the anchor repository " + location()
                    + ": " + e.getMessage(), null, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (tmp != null) {
                deleteTree(tmp);
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a temporary directory left behind holds no secret (credentials never reach it)
        }
    }

    /** A raw commit split into the signature ({@code gpgsig} header) and the bytes it signs. */
    record SignedCommit(byte[] payload, Optional<String> signature) {
        static SignedCommit split(byte[] raw) {
            String text = new String(raw, StandardCharsets.UTF_8);
            int end = text.indexOf("\n\n");
            String headers = end < 0 ? text : text.substring(0, end + 1);
            StringBuilder kept = new StringBuilder();
            StringBuilder sig = null;
            boolean inSig = false;
            for (String line : headers.split("\n", -1)) {
                if (inSig && line.startsWith(" ")) {
                    sig.append(line.substring(1)).append('\n');
                    continue;
                }
                inSig = false;
                if (line.startsWith("gpgsig ")) {
                    inSig = true;
                    sig = new StringBuilder(line.substring("gpgsig ".length())).append('\n');
                } else if (!line.isEmpty()) {
                    kept.append(line).append('\n');
                }
            }
            String payload = kept + (end < 0 ? "" : text.substring(end + 1));
            return new SignedCommit(payload.getBytes(StandardCharsets.UTF_8),
                    sig == null ? Optional.empty() : Optional.of(sig.toString()));
        }
    }
}
