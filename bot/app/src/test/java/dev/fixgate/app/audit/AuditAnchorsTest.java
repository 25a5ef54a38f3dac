package dev.fixgate.app.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.cli.Main;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.config.ServiceConfig;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.Dialect;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.Sql;
import dev.fixgate.app.store.TestDb;
import dev.fixgate.spi.audit.AuditEvent;
import dev.fixgate.spi.finding.InitiativeId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Anchoring the audit log outside the database: a rewrite of the table and its head made after an anchor — a
 * chain consistent again, which {@code audit verify} alone accepts — is found by {@code audit verify --against}.
 */
class AuditAnchorsTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private ServiceConfig.AuditAnchor config(KeyPair key) {
        return new ServiceConfig.AuditAnchor(dir.resolve("anchors.git").toString(), "fixgate-audit-anchors",
                Duration.ofMinutes(60), key == null ? Secret.none() : Secret.of(TestKeys.openssh(key)), "", Secret.none(),
                "fixgate", "fixgate@localhost");
    }

    private static void append(AuditLog log, int n) {
        for (int i = 0; i < n; i++) {
            log.append(new AuditEvent.Delivered(T0.plusSeconds(i), "fixgate", new InitiativeId("i" + i), "acme/infra",
                    "pull_request", i + 1));
        }
    }

    /** What an operator with DDL rights can do: switch the guard off and write a consistent chain of their own. */
    static void rewrite(Database db, long changedSeq, int keep) {
        db.inTransaction(c -> {
            if (db.dialect() == Dialect.POSTGRESQL) {
                Sql.update(c, "ALTER TABLE audit_log DISABLE TRIGGER USER");
            } else {
                Sql.update(c, "DROP TRIGGER IF EXISTS audit_log_no_update");
                Sql.update(c, "DROP TRIGGER IF EXISTS audit_log_no_delete");
            }
            List<AuditLog.Entry> entries = Sql.query(c, "SELECT * FROM audit_log ORDER BY seq", rs -> new AuditLog.Entry(
                    rs.getLong("seq"), Sql.instant(rs, "at"), rs.getString("actor"), rs.getString("type"),
                    rs.getString("subject"), rs.getString("payload"), rs.getString("prev_hash"), rs.getString("hash")));
            Sql.update(c, "DELETE FROM audit_log");
            String prev = AuditLog.GENESIS;
            long seq = 0;
            for (AuditLog.Entry e : entries.subList(0, keep)) {
                String actor = e.seq() == changedSeq ? "mallory" : e.actor();
                String hash = AuditLog.hash(prev, e.seq(), e.at(), actor, e.type(), e.subject(), e.payload());
                Sql.update(c, "INSERT INTO audit_log (seq, at, actor, type, subject, payload, prev_hash, hash)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", e.seq(), e.at(), actor, e.type(), e.subject(), e.payload(),
                        prev, hash);
                prev = hash;
                seq = e.seq();
            }
            Sql.update(c, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", seq, prev);
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(TestDb.class)
    void aRewriteOfTheTableAndItsHeadAfterTheAnchorIsFound(TestDb kind) throws Exception {
        try (Database db = kind.fresh()) {
            AuditLog log = new AuditLog(db);
            append(log, 5);
            AuditAnchors anchors = new AuditAnchors(config(TestKeys.generate()), log, CLOCK);
            AuditAnchors.Outcome first = anchors.anchor();
            assertThat(first).isInstanceOf(AuditAnchors.Outcome.Anchored.class);
            assertThat(first.stored().anchor().seq()).isEqualTo(5);
            assertThat(anchors.anchor()).as("an unchanged head writes nothing").isInstanceOf(AuditAnchors.Outcome.Unchanged.class);
            append(log, 2); // the log goes on after the anchor: still consistent with it
            AuditAnchors.Check ok = anchors.verifyAgainst("latest");
            assertThat(ok.proven()).as(ok.verification().problem().orElse("")).isTrue();
            assertThat(ok.stored().signature()).isEqualTo(AuditAnchors.SignatureStatus.GOOD);

            rewrite(db, 3, 7);
            assertThat(log.verify().intact()).as("the chain alone cannot tell").isTrue();
            AuditAnchors.Check broken = anchors.verifyAgainst("latest");
            assertThat(broken.proven()).isFalse();
            assertThat(broken.verification().problem()).hasValueSatisfying(p -> assertThat(p)
                    .contains("entry 5 differs from the anchor").contains("rewritten after the anchor"));
        }
    }

    @Test
    void aLogCutBackBelowTheAnchorIsFound() throws Exception {
        try (Database db = TestDb.H2.fresh()) {
            AuditLog log = new AuditLog(db);
            append(log, 4);
            AuditAnchors anchors = new AuditAnchors(config(TestKeys.generate()), log, CLOCK);
            anchors.anchor();
            rewrite(db, -1, 2);
            assertThat(log.verify().intact()).isTrue();
            assertThat(anchors.verifyAgainst("latest").verification().problem())
                    .hasValueSatisfying(p -> assertThat(p).contains("records entry 4 but the log ends at entry 2"));
        }
    }

    @Test
    void anAnchorSignedByAnotherKeyOrNotAtAllIsNotProof() throws Exception {
        try (Database db = TestDb.H2.fresh()) {
            AuditLog log = new AuditLog(db);
            append(log, 2);
            KeyPair ours = TestKeys.generate();
            new AuditAnchors(config(TestKeys.generate()), log, CLOCK).anchor(); // someone else's key
            AuditAnchors.Check forged = new AuditAnchors(config(ours), log, CLOCK).verifyAgainst("latest");
            assertThat(forged.stored().signature()).isEqualTo(AuditAnchors.SignatureStatus.BAD);
            assertThat(forged.proven()).isFalse();

            append(log, 1);
            new AuditAnchors(config(null), log, CLOCK).anchor(); // unsigned
            AuditAnchors.Check unsigned = new AuditAnchors(config(ours), log, CLOCK).verifyAgainst("latest");
            assertThat(unsigned.stored().signature()).isEqualTo(AuditAnchors.SignatureStatus.UNSIGNED);
            assertThat(unsigned.proven()).isFalse();
            assertThat(new AuditAnchors(config(null), log, CLOCK).verifyAgainst("latest").stored().signature())
                    .isEqualTo(AuditAnchors.SignatureStatus.NOT_CHECKED);
            assertThat(new AuditAnchors(config(ours), log, CLOCK).list(10)).hasSize(2);
        }
    }

    /** The anchor commit is an ordinary SSH-signed commit: git itself verifies it with an allowed-signers file. */
    @Test
    void gitVerifiesTheAnchorsSignature() throws Exception {
        Assumptions.assumeTrue(onPath("git") && onPath("ssh-keygen"), "git and ssh-keygen are needed for this check");
        KeyPair key = TestKeys.generate();
        try (Database db = TestDb.H2.fresh()) {
            AuditLog log = new AuditLog(db);
            append(log, 3);
            AuditAnchors.Stored a = new AuditAnchors(config(key), log, CLOCK).anchor().stored();
            Path signers = dir.resolve("allowed_signers");
            Files.writeString(signers, "fixgate@localhost " + SshSignatures.readPrivateKey(TestKeys.openssh(key)).publicLine() + "\n");
            Path repo = dir.resolve("anchors.git");
            assertThat(run(repo, "git", "-c", "gpg.format=ssh", "-c", "gpg.ssh.allowedSignersFile=" + signers,
                    "verify-commit", a.commit())).isZero();
            try (Git git = Git.open(repo.toFile())) {
                assertThat(git.getRepository().exactRef(Constants.R_HEADS + "fixgate-audit-anchors").getObjectId().name())
                        .isEqualTo(a.commit());
            }
        }
    }

    /** A key made by ssh-keygen is read as it is. */
    @Test
    void readsAKeyMadeBySshKeygen() throws Exception {
        Assumptions.assumeTrue(onPath("ssh-keygen"), "ssh-keygen is needed for this check");
        Path key = dir.resolve("id_ed25519");
        assertThat(run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "anchor", "-f", key.toString())).isZero();
        SshSignatures.SigningKey k = SshSignatures.readPrivateKey(Files.readString(key));
        assertThat(k.publicLine()).isEqualTo(Files.readString(dir.resolve("id_ed25519.pub")).strip().replace(" anchor", ""));
        String sig = SshSignatures.sign("hello".getBytes(StandardCharsets.UTF_8), k, "file");
        Files.writeString(dir.resolve("msg"), "hello");
        Files.writeString(dir.resolve("msg.sig"), sig);
        Files.writeString(dir.resolve("signers"), "me " + k.publicLine() + "\n");
        assertThat(run(dir, "sh", "-c", "ssh-keygen -Y verify -f signers -I me -n file -s msg.sig < msg")).isZero();
        assertThat(SshSignatures.verify("hello".getBytes(StandardCharsets.UTF_8), sig, k.publicBlob(), "file")).isPresent();
        assertThat(SshSignatures.verify("hellO".getBytes(StandardCharsets.UTF_8), sig, k.publicBlob(), "file")).isEmpty();
    }

    @Test
    void theScheduleHasOneRunPerSlot() throws Exception {
        try (Database db = TestDb.H2.fresh()) {
            JobQueue queue = new JobQueue(db);
            Duration hour = Duration.ofHours(1);
            Instant slot = AuditAnchorJobHandler.schedule(queue, hour, Instant.parse("2026-11-22T10:17:00Z"));
            assertThat(slot).isEqualTo(Instant.parse("2026-11-22T11:00:00Z"));
            AuditAnchorJobHandler.schedule(queue, hour, Instant.parse("2026-11-22T10:59:59Z")); // a restart: the same slot
            assertThat(queue.list(Optional.of(JobQueue.Status.QUEUED), 10)).hasSize(1);

            AuditLog log = new AuditLog(db);
            append(log, 1);
            AuditAnchorJobHandler handler = new AuditAnchorJobHandler(new AuditAnchors(config(TestKeys.generate()), log,
                    Clock.fixed(Instant.parse("2026-11-22T11:00:05Z"), ZoneOffset.UTC)), queue, hour,
                    Clock.fixed(Instant.parse("2026-11-22T11:00:05Z"), ZoneOffset.UTC));
            JobQueue.Job job = queue.claim("w", Instant.parse("2026-11-22T11:00:01Z")).orElseThrow();
            handler.handle(job);
            queue.complete(job.id(), Instant.parse("2026-11-22T11:00:06Z"));
            assertThat(queue.list(Optional.of(JobQueue.Status.QUEUED), 10)).singleElement()
                    .satisfies(j -> assertThat(j.runAfter()).isEqualTo(Instant.parse("2026-11-22T12:00:00Z")));
        }
    }

    /** The commands, as an operator runs them: anchor, then verify --against after a rewrite. */
    @Test
    void theCommands() throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home);
        Files.writeString(home.resolve("anchor.key"), TestKeys.openssh(TestKeys.generate()));
        Files.writeString(home.resolve("fixgate.yml"), """
                audit:
                  anchor:
                    repository: anchors.git
                    signing_key_file: anchor.key
                """);
        try (Database db = Database.open(Database.embeddedUrl(home), "", Secret.none(), 2)) {
            append(new AuditLog(db), 3);
        }
        assertThat(cli(home, "audit", "anchor")).startsWith("0:anchored: entry 3").contains(", signed");
        assertThat(cli(home, "audit", "anchor")).startsWith("0:already anchored: entry 3");
        assertThat(cli(home, "audit", "verify", "--against", "latest")).startsWith("0:")
                .contains("anchor signature: good").contains("consistent with the anchor");
        try (Database db = Database.open(Database.embeddedUrl(home), "", Secret.none(), 2)) {
            rewrite(db, 1, 3);
        }
        assertThat(cli(home, "audit", "verify")).startsWith("0:audit log intact");
        assertThat(cli(home, "audit", "verify", "--against", "latest")).startsWith("1:")
                .contains("entry 3 differs from the anchor");
        assertThat(cli(home, "audit", "anchor", "--list")).contains("entry 3").contains("signature good");
        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        assertThat(cli(empty, "audit", "anchor")).startsWith("2:");
    }

    private static String cli(Path home, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("FIXGATE_HOME", home.toString()), home,
                Clock.systemUTC());
        return exit + ":" + out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private static int run(Path cwd, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
