package dev.fixgate.app.github;

import dev.fixgate.app.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * GitHub's webhook signature: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>}. Only the
 * SHA-256 header is accepted (the legacy SHA-1 {@code X-Hub-Signature} is not), the comparison runs in
 * constant time, and a missing secret fails closed: nothing verifies against it.
 */
public final class WebhookSignature {

    public static final String HEADER = "X-Hub-Signature-256";
    private static final String PREFIX = "sha256=";

    private WebhookSignature() {
    }

    public static boolean verify(Secret secret, byte[] body, String header) {
        if (!secret.isPresent() || header == null || !header.startsWith(PREFIX)) {
            return false;
        }
        byte[] expected = sign(secret, body).getBytes(StandardCharsets.US_ASCII);
        byte[] given = header.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }

    /** Whether {@code header} can be a signature at all ({@code sha256=} and 64 hex digits): nothing to read otherwise. */
    public static boolean wellFormed(String header) {
        if (header == null || header.length() != PREFIX.length() + 64 || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return false;
        }
        for (int i = PREFIX.length(); i < header.length(); i++) {
            if (Character.digit(header.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** An HMAC fed as the body streams in, so the body is read once and checked the moment it ends. */
    public static final class Streaming {
        private final Mac mac;

        private Streaming(Mac mac) {
            this.mac = mac;
        }

        public void update(byte[] bytes, int offset, int length) {
            mac.update(bytes, offset, length);
        }

        /** Whether what was fed matches {@code header}; compared in constant time. */
        public boolean matches(String header) {
            if (header == null) {
                return false;
            }
            byte[] expected = (PREFIX + HexFormat.of().formatHex(mac.doFinal())).getBytes(StandardCharsets.US_ASCII);
            return MessageDigest.isEqual(expected, header.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** A streaming check against {@code secret}, which must be present. */
    public static Streaming streaming(Secret secret) {
        return new Streaming(mac(secret));
    }

    /** An HMAC keyed once, from which each check starts ({@link #start}): for a receiver that checks many bodies. */
    public static final class Keyed {
        private final Mac prototype;

        private Keyed(Mac prototype) {
            this.prototype = prototype;
        }

        /** A fresh streaming check: a copy of the keyed HMAC, or a new one where the provider cannot copy it. */
        public Streaming start() {
            try {
                return new Streaming((Mac) prototype.clone());
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("the HmacSHA256 provider cannot copy a keyed HMAC", e);
            }
        }
    }

    /** {@code secret} (which must be present) keyed once; fails early if the provider cannot copy its HMAC. */
    public static Keyed keyed(Secret secret) {
        Keyed keyed = new Keyed(mac(secret));
        keyed.start();
        return keyed;
    }

    private static Mac mac(Secret secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** The header value GitHub would send for {@code body}. */
    public static String sign(Secret secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
