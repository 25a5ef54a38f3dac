package dev.fixgate.spi.finding;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Stable identity of one misconfiguration: SHA-256 over the canonical control and the canonical resource key.
 * The same problem reported by two tools, or by one tool in two scans, has one fingerprint.
 */
public record Fingerprint(String value) {

    public Fingerprint {
        Objects.requireNonNull(value, "value");
        if (!isHex64(value)) {
            throw new IllegalArgumentException("fingerprint must be 64 lower-case hex characters");
        }
    }

    public static Fingerprint of(ControlId control, ResourceRef resource) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        digest.update(control.value().getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
        digest.update(resource.key().getBytes(StandardCharsets.UTF_8));
        return new Fingerprint(HexFormat.of().formatHex(digest.digest()));
    }

    /** A loop, not a regex: ingest builds millions of fingerprints and the regex was a tenth of its time. */
    private static boolean isHex64(String s) {
        if (s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** First 12 characters, for humans (branch names, log lines). */
    public String shortValue() {
        return value.substring(0, 12);
    }

    @Override
    public String toString() {
        return value;
    }

    /** Digests are not thread-safe and costly to look up; every thread keeps one (ingest computes millions). */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
    });

    static String sha256(String text) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
