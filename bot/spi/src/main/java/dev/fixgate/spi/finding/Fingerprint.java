package dev.fixgate.spi.finding;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Stable identity of one misconfiguration: SHA-256 over the canonical control and the canonical resource key.
 * The same problem reported by two tools, or by one tool in two scans, has one fingerprint.
 */
public record Fingerprint(String value) {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public Fingerprint {
        Objects.requireNonNull(value, "value");
        if (!HEX64.matcher(value).matches()) {
            throw new IllegalArgumentException("fingerprint must be 64 lower-case hex characters");
        }
    }

    public static Fingerprint of(ControlId control, ResourceRef resource) {
        return new Fingerprint(sha256(control.value() + "\n" + resource.key()));
    }

    /** First 12 characters, for humans (branch names, log lines). */
    public String shortValue() {
        return value.substring(0, 12);
    }

    @Override
    public String toString() {
        return value;
    }

    static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
    }
}
