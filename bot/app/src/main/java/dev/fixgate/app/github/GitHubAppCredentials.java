package dev.fixgate.app.github;

import dev.fixgate.app.config.Secret;
import dev.fixgate.spi.error.FixgateException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A GitHub App's identity: its id and RSA private key, and the RS256 JSON Web Token that authenticates the App
 * itself ({@code GET /app}, creating installation tokens). JDK crypto only.
 *
 * <p>The key is read from PEM in either form: PKCS#8 ({@code BEGIN PRIVATE KEY}) or PKCS#1
 * ({@code BEGIN RSA PRIVATE KEY}, what GitHub hands out), which is wrapped in a PKCS#8 envelope for the JDK's
 * {@link KeyFactory}. Neither the key nor a token appears in {@link #toString()} or in any error message.
 */
public final class GitHubAppCredentials {

    /** Backdated to allow for clocks that run ahead of GitHub's (GitHub's own advice). */
    static final Duration ISSUED_BEFORE = Duration.ofSeconds(60);
    /** GitHub refuses JWTs that expire more than 10 minutes after they were issued. */
    static final Duration LIFETIME = Duration.ofMinutes(9);

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\s*(.*?)\\s*-----END \\1-----", Pattern.DOTALL);
    /** DER of AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private final long appId;
    private final PrivateKey key;

    private GitHubAppCredentials(long appId, PrivateKey key) {
        this.appId = appId;
        this.key = key;
    }

    /** Reads the App's PEM private key; throws {@code github.private-key} (without key material) when it cannot. */
    public static GitHubAppCredentials of(long appId, Secret privateKeyPem) {
        if (appId <= 0) {
            throw new FixgateException("github.app-id", "the GitHub App id must be a positive number");
        }
        return new GitHubAppCredentials(appId, parsePrivateKey(privateKeyPem));
    }

    public long appId() {
        return appId;
    }

    /** A JWT for the App: {@code iat} one minute back, {@code exp} nine minutes ahead, {@code iss} the App id. */
    public Secret jwt(Instant now) {
        long iat = now.minus(ISSUED_BEFORE).getEpochSecond();
        long exp = now.plus(LIFETIME).getEpochSecond();
        String header = base64Url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = base64Url(("{\"iat\":" + iat + ",\"exp\":" + exp + ",\"iss\":\"" + appId + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        String signingInput = header + "." + claims;
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return Secret.of(signingInput + "." + base64Url(rs256.sign()));
        } catch (GeneralSecurityException e) {
            throw new FixgateException("github.jwt", "cannot sign the GitHub App JWT: " + e.getClass().getSimpleName(),
                    null, e);
        }
    }

    @Override
    public String toString() {
        return "GitHubAppCredentials[appId=" + appId + ", key=****]";
    }

    static PrivateKey parsePrivateKey(Secret pem) {
        if (!pem.isPresent()) {
            throw keyError("no private key is configured");
        }
        Matcher m = PEM.matcher(pem.reveal());
        if (!m.find()) {
            throw keyError("the private key is not PEM (expected -----BEGIN RSA PRIVATE KEY----- or"
                    + " -----BEGIN PRIVATE KEY-----)");
        }
        String type = m.group(1);
        String body = m.group(2);
        if (body.contains("ENCRYPTED") || type.contains("ENCRYPTED")) {
            throw keyError("the private key is encrypted; give fixgate the unencrypted PEM GitHub generated");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(body.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw keyError("the PEM body is not valid base64");
        }
        byte[] pkcs8 = switch (type) {
            case "PRIVATE KEY" -> der;
            case "RSA PRIVATE KEY" -> wrapPkcs1(der);
            default -> throw keyError("unsupported PEM type '" + type + "' (a GitHub App key is an RSA private key)");
        };
        try {
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            if (!(key instanceof RSAPrivateKey rsa) || rsa.getModulus().bitLength() < 2048) {
                throw keyError("the private key must be an RSA key of at least 2048 bits");
            }
            return key;
        } catch (GeneralSecurityException e) {
            throw keyError("the private key cannot be read as an RSA key (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** PKCS#8 PrivateKeyInfo ::= SEQUENCE { INTEGER 0, AlgorithmIdentifier rsaEncryption, OCTET STRING pkcs1 }. */
    static byte[] wrapPkcs1(byte[] pkcs1) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes(new byte[] {0x02, 0x01, 0x00});
        content.writeBytes(RSA_ALGORITHM);
        content.write(0x04);
        content.writeBytes(derLength(pkcs1.length));
        content.writeBytes(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        out.writeBytes(derLength(content.size()));
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    private static byte[] derLength(int length) {
        if (length < 0x80) {
            return new byte[] {(byte) length};
        }
        int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
        byte[] out = new byte[1 + bytes];
        out[0] = (byte) (0x80 | bytes);
        for (int i = 0; i < bytes; i++) {
            out[bytes - i] = (byte) (length >>> (8 * i));
        }
        return out;
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static FixgateException keyError(String message) {
        return new FixgateException("github.private-key", "GitHub App private key: " + message);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GitHubAppCredentials other && appId == other.appId && key.equals(other.key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(appId);
    }
}
