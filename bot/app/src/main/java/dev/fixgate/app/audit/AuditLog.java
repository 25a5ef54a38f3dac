package dev.fixgate.app.audit;

import dev.fixgate.app.json.Json;
import dev.fixgate.app.store.Database;
import dev.fixgate.app.store.Sql;
import dev.fixgate.spi.audit.AuditEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The append-only audit log. Every entry stores the hash of the one before it, so the log is a hash chain:
 * the database refuses UPDATE and DELETE (triggers), and {@link #verify()} detects any change that got past
 * that: an edited row, a removed row, a tail cut off (the head row records the last entry). Someone able to
 * rewrite the whole table and its head can still forge a consistent log; an {@linkplain AuditAnchors anchor} — the
 * head's sequence number and hash written outside the database, signed — catches that:
 * {@link #verify(Optional)} with the anchor's {@link Checkpoint} fails when the entry it names is gone or differs.
 */
public final class AuditLog {

    static final String GENESIS = "0".repeat(64);

    /** One stored entry. */
    public record Entry(long seq, Instant at, String actor, String type, String subject, String payload,
                        String prevHash, String hash) {
    }

    /** An entry's sequence number and hash as recorded somewhere else: the log must still hold exactly that entry. */
    public record Checkpoint(long seq, String hash) {
        public Checkpoint {
            if (seq < 0) {
                throw new IllegalArgumentException("seq must be >= 0");
            }
            if (!hash.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("hash must be 64 lower-case hex digits");
            }
        }
    }

    /** The chain's head: the last entry's sequence number, hash and time (seq 0 and the genesis hash when empty). */
    public record Head(long seq, String hash, Optional<Instant> at) {
    }

    /** Result of checking the chain: entries read, the head's hash, and the first problem if any. */
    public record Verification(long entries, String headHash, Optional<String> problem) {
        public boolean intact() {
            return problem.isEmpty();
        }
    }

    private final Database db;

    public AuditLog(Database db) {
        this.db = db;
    }

    /** Appends {@code event}; safe to call from several threads and processes at once. */
    public Entry append(AuditEvent event) {
        String payload = Json.write(event);
        String subject = clip(AuditSubjects.of(event), 256);
        String actor = clip(event.actor(), 256);
        Instant at = Sql.truncate(event.at());
        return db.inTransaction(c -> {
            // Locking the head row makes writers take turns, on H2 and PostgreSQL alike.
            Entry head = Sql.queryOne(c, "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE",
                    rs -> new Entry(rs.getLong("seq"), at, "", "", "", "", "", rs.getString("hash")))
                    .orElseThrow(() -> new SQLException("the audit_head row is missing"));
            long seq = head.seq() + 1;
            String hash = hash(head.hash(), seq, at, actor, event.type(), subject, payload);
            Sql.update(c, """
                    INSERT INTO audit_log (seq, at, actor, type, subject, payload, prev_hash, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", seq, at, actor, event.type(), subject, payload, head.hash(), hash);
            Sql.update(c, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", seq, hash);
            return new Entry(seq, at, actor, event.type(), subject, payload, head.hash(), hash);
        });
    }

    /** The newest entries first, optionally only those about {@code subject}. */
    public List<Entry> recent(Optional<String> subject, int limit) {
        return db.withConnection(c -> subject.isPresent()
                ? Sql.query(c, "SELECT * FROM audit_log WHERE subject = ? ORDER BY seq DESC FETCH FIRST ? ROWS ONLY",
                        AuditLog::row, subject.get(), limit)
                : Sql.query(c, "SELECT * FROM audit_log ORDER BY seq DESC FETCH FIRST ? ROWS ONLY", AuditLog::row, limit));
    }

    /** Entries of the given types, oldest first (the evidence report cites them with their hashes). */
    public List<Entry> ofTypes(java.util.Collection<String> types) {
        if (types.isEmpty()) {
            return List.of();
        }
        return db.withConnection(c -> Sql.query(c, "SELECT * FROM audit_log WHERE type IN ("
                + Sql.placeholders(types.size()) + ") ORDER BY seq", AuditLog::row, types.toArray()));
    }

    /** The head as the head row records it, with the time of that entry. */
    public Head head() {
        return db.withConnection(c -> {
            Entry h = Sql.queryOne(c, "SELECT seq, hash FROM audit_head WHERE id = 1",
                    rs -> new Entry(rs.getLong("seq"), Instant.EPOCH, "", "", "", "", "", rs.getString("hash")))
                    .orElseThrow(() -> new SQLException("the audit_head row is missing"));
            Optional<Instant> at = Sql.queryOne(c, "SELECT at FROM audit_log WHERE seq = ?", rs -> Sql.instant(rs, "at"),
                    h.seq());
            return new Head(h.seq(), h.hash(), at);
        });
    }

    /** Walks the whole chain in order, streaming, and reports the first break. */
    public Verification verify() {
        return verify(Optional.empty());
    }

    /**
     * {@link #verify()}, and also that the entry {@code checkpoint} names is still in the log with the same hash:
     * a log rewritten after the checkpoint was taken — table and head together, so that the chain is consistent
     * again — fails here.
     */
    public Verification verify(Optional<Checkpoint> checkpoint) {
        Verification chain = walk(checkpoint);
        if (chain.intact() && checkpoint.isPresent() && checkpoint.get().seq() > chain.entries()) {
            return new Verification(chain.entries(), chain.headHash(), Optional.of("the anchor records entry "
                    + checkpoint.get().seq() + " but the log ends at entry " + chain.entries()
                    + ": it was cut back or rewritten after the anchor"));
        }
        if (chain.intact() && checkpoint.isPresent() && checkpoint.get().seq() == 0
                && !checkpoint.get().hash().equals(GENESIS)) {
            return new Verification(chain.entries(), chain.headHash(), Optional.of("the anchor's entry 0 is not the genesis"));
        }
        return chain;
    }

    private Verification walk(Optional<Checkpoint> checkpoint) {
        return db.withConnection(c -> {
            c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM audit_log ORDER BY seq")) {
                ps.setFetchSize(500);
                try (ResultSet rs = ps.executeQuery()) {
                    long expectedSeq = 1;
                    String prev = GENESIS;
                    long count = 0;
                    while (rs.next()) {
                        Entry e = row(rs);
                        if (e.seq() != expectedSeq) {
                            return new Verification(count, prev, Optional.of("entry " + expectedSeq + " is missing (next is " + e.seq() + ")"));
                        }
                        if (!e.prevHash().equals(prev)) {
                            return new Verification(count, prev, Optional.of("entry " + e.seq() + " does not follow entry " + (e.seq() - 1)));
                        }
                        String expected = hash(e.prevHash(), e.seq(), e.at(), e.actor(), e.type(), e.subject(), e.payload());
                        if (!expected.equals(e.hash())) {
                            return new Verification(count, prev, Optional.of("entry " + e.seq() + " was modified after it was written"));
                        }
                        if (checkpoint.isPresent() && checkpoint.get().seq() == e.seq()
                                && !checkpoint.get().hash().equals(e.hash())) {
                            return new Verification(count, prev, Optional.of("entry " + e.seq()
                                    + " differs from the anchor (anchored hash " + checkpoint.get().hash() + ", now "
                                    + e.hash() + "): the log was rewritten after the anchor"));
                        }
                        prev = e.hash();
                        expectedSeq++;
                        count++;
                    }
                    Optional<String> head = Sql.queryOne(c, "SELECT hash FROM audit_head WHERE id = 1", r -> r.getString(1));
                    if (head.isPresent() && !head.get().equals(prev)) {
                        return new Verification(count, prev, Optional.of("the log ends at entry " + count
                                + " but its head records a later entry: entries were removed from the end"));
                    }
                    return new Verification(count, prev, Optional.empty());
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        });
    }

    static String hash(String prev, long seq, Instant at, String actor, String type, String subject, String payload) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {prev, Long.toString(seq), at.toString(), actor, type, subject, payload}) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                // Length-prefix every field so that moving characters between fields changes the hash.
                sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
                sha.update((byte) ':');
                sha.update(bytes);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
    }

    private static Entry row(ResultSet rs) throws SQLException {
        return new Entry(rs.getLong("seq"), Sql.instant(rs, "at"), rs.getString("actor"), rs.getString("type"),
                rs.getString("subject"), rs.getString("payload"), rs.getString("prev_hash"), rs.getString("hash"));
    }

    private static String clip(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }
}
