package dev.fixgate.app.audit;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * SSH signatures ({@code SSHSIG}, the format of {@code ssh-keygen -Y sign} and of git's {@code gpg.format=ssh})
 * with Ed25519 keys, on the JDK alone: fixgate signs its audit anchors with them, so {@code git verify-commit} (with
 * an allowed-signers file) can check an anchor without fixgate. Only unencrypted OpenSSH Ed25519 private keys are
 * read ({@code ssh-keygen -t ed25519 -N ''}); the hash is SHA-512.
 */
public final class SshSignatures {

    /** The namespace git signs commits and tags in. */
    public static final String GIT = "git";
    private static final String KEY_TYPE = "ssh-ed25519";
    private static final byte[] MAGIC = "SSHSIG".getBytes(StandardCharsets.US_ASCII);
    private static final String BEGIN = "-----BEGIN SSH SIGNATURE-----";
    private static final String END = "-----END SSH SIGNATURE-----";

    private SshSignatures() {
    }

    /** A signing key: the private key and the public key as an SSH wire blob. */
    public record SigningKey(PrivateKey privateKey, byte[] publicBlob) {
        public String publicLine() {
            return KEY_TYPE + " " + Base64.getEncoder().encodeToString(publicBlob);
        }
    }

    /** Thrown for a key or signature that cannot be read. */
    public static final class BadKeyException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        BadKeyException(String message) {
            super(message);
        }
    }

    /** Reads an unencrypted OpenSSH Ed25519 private key ({@code -----BEGIN OPENSSH PRIVATE KEY-----}). */
    public static SigningKey readPrivateKey(String pem) {
        String body = pem.strip();
        if (!body.startsWith("-----BEGIN OPENSSH PRIVATE KEY-----") || !body.endsWith("-----END OPENSSH PRIVATE KEY-----")) {
            throw new BadKeyException("not an OpenSSH private key (expected -----BEGIN OPENSSH PRIVATE KEY-----)");
        }
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(body.substring(body.indexOf('\n') + 1, body.lastIndexOf('\n')));
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw new BadKeyException("the OpenSSH private key is not valid base64");
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            byte[] magic = new byte["openssh-key-v1\0".length()];
            in.get(magic);
            if (!Arrays.equals(magic, "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII))) {
                throw new BadKeyException("not an openssh-key-v1 key");
            }
            String cipher = string(in);
            string(in); // kdf name
            bytes(in); // kdf options
            if (!cipher.equals("none")) {
                throw new BadKeyException("the key is encrypted (cipher " + cipher + "); fixgate needs an unencrypted"
                        + " key file, readable only by fixgate");
            }
            if (in.getInt() != 1) {
                throw new BadKeyException("the key file holds more than one key");
            }
            byte[] publicBlob = bytes(in);
            ByteBuffer priv = ByteBuffer.wrap(bytes(in));
            if (priv.getInt() != priv.getInt()) {
                throw new BadKeyException("the key's check values differ (a wrong passphrase or a damaged file)");
            }
            String type = string(priv);
            if (!type.equals(KEY_TYPE)) {
                throw new BadKeyException("the key is " + type + "; fixgate signs with ssh-ed25519 keys");
            }
            byte[] pk = bytes(priv);
            byte[] sk = bytes(priv);
            if (pk.length != 32 || sk.length != 64) {
                throw new BadKeyException("not an Ed25519 key");
            }
            PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(
                    new EdECPrivateKeySpec(NamedParameterSpec.ED25519, Arrays.copyOf(sk, 32)));
            return new SigningKey(key, publicBlob);
        } catch (java.nio.BufferUnderflowException | GeneralSecurityException e) {
            throw new BadKeyException("the OpenSSH private key is damaged: " + e.getClass().getSimpleName());
        }
    }

    /** The SSH wire blob of a public key line {@code ssh-ed25519 AAAA… [comment]}. */
    public static byte[] readPublicLine(String line) {
        String[] parts = line.strip().split("\\s+");
        if (parts.length < 2 || !parts[0].equals(KEY_TYPE)) {
            throw new BadKeyException("expected an ssh-ed25519 public key line");
        }
        try {
            byte[] blob = Base64.getDecoder().decode(parts[1]);
            ed25519(blob);
            return blob;
        } catch (IllegalArgumentException e) {
            throw new BadKeyException("the public key is not valid base64");
        }
    }

    /** The SSH wire blob of a JDK Ed25519 public key. */
    public static byte[] publicBlob(PublicKey key) {
        EdECPoint p = ((EdECPublicKey) key).getPoint();
        byte[] y = p.getY().toByteArray();
        byte[] le = new byte[32];
        for (int i = 0; i < 32 && i < y.length; i++) {
            le[i] = y[y.length - 1 - i];
        }
        if (p.isXOdd()) {
            le[31] |= (byte) 0x80;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        put(out, KEY_TYPE.getBytes(StandardCharsets.US_ASCII));
        put(out, le);
        return out.toByteArray();
    }

    /** Signs {@code data} in {@code namespace}; the armored signature, as git stores it in a commit. */
    public static String sign(byte[] data, SigningKey key, String namespace) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key.privateKey());
            s.update(signedData(data, namespace));
            ByteArrayOutputStream sigBlob = new ByteArrayOutputStream();
            put(sigBlob, KEY_TYPE.getBytes(StandardCharsets.US_ASCII));
            put(sigBlob, s.sign());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(MAGIC);
            out.writeBytes(ByteBuffer.allocate(4).putInt(1).array());
            put(out, key.publicBlob());
            put(out, namespace.getBytes(StandardCharsets.UTF_8));
            put(out, new byte[0]);
            put(out, "sha512".getBytes(StandardCharsets.US_ASCII));
            put(out, sigBlob.toByteArray());
            String b64 = Base64.getEncoder().encodeToString(out.toByteArray());
            StringBuilder armored = new StringBuilder(BEGIN).append('\n');
            for (int i = 0; i < b64.length(); i += 70) {
                armored.append(b64, i, Math.min(b64.length(), i + 70)).append('\n');
            }
            return armored.append(END).append('\n').toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's Ed25519 failed", e);
        }
    }

    /**
     * Checks an armored signature over {@code data} in {@code namespace}: it must be by {@code allowed} (a public key
     * blob). Returns the signer's public key line when it verifies, else empty.
     */
    public static Optional<String> verify(byte[] data, String armored, byte[] allowed, String namespace) {
        try {
            String body = armored.strip();
            if (!body.startsWith(BEGIN) || !body.endsWith(END)) {
                return Optional.empty();
            }
            ByteBuffer in = ByteBuffer.wrap(Base64.getMimeDecoder().decode(
                    body.substring(BEGIN.length(), body.length() - END.length()).strip()));
            byte[] magic = new byte[6];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC) || in.getInt() != 1) {
                return Optional.empty();
            }
            byte[] signer = bytes(in);
            String ns = string(in);
            bytes(in); // reserved
            String hash = string(in);
            ByteBuffer sig = ByteBuffer.wrap(bytes(in));
            if (!Arrays.equals(signer, allowed) || !ns.equals(namespace) || !string(sig).equals(KEY_TYPE)) {
                return Optional.empty();
            }
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(ed25519(signer));
            s.update(signedData(data, namespace, hash));
            return s.verify(bytes(sig)) ? Optional.of(KEY_TYPE + " " + Base64.getEncoder().encodeToString(signer))
                    : Optional.empty();
        } catch (RuntimeException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    private static byte[] signedData(byte[] data, String namespace) throws GeneralSecurityException {
        return signedData(data, namespace, "sha512");
    }

    private static byte[] signedData(byte[] data, String namespace, String hash) throws GeneralSecurityException {
        String algorithm = switch (hash) {
            case "sha512" -> "SHA-512";
            case "sha256" -> "SHA-256";
            default -> throw new GeneralSecurityException("unsupported hash " + hash);
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        put(out, namespace.getBytes(StandardCharsets.UTF_8));
        put(out, new byte[0]);
        put(out, hash.getBytes(StandardCharsets.US_ASCII));
        put(out, MessageDigest.getInstance(algorithm).digest(data));
        return out.toByteArray();
    }

    private static PublicKey ed25519(byte[] blob) {
        ByteBuffer in = ByteBuffer.wrap(blob);
        if (!string(in).equals(KEY_TYPE)) {
            throw new BadKeyException("not an ssh-ed25519 key");
        }
        byte[] le = bytes(in);
        if (le.length != 32) {
            throw new BadKeyException("not an Ed25519 key");
        }
        boolean xOdd = (le[31] & 0x80) != 0;
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = le[31 - i];
        }
        be[0] &= 0x7f;
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519,
                    new EdECPoint(xOdd, new BigInteger(1, be))));
        } catch (GeneralSecurityException e) {
            throw new BadKeyException("not an Ed25519 key");
        }
    }

    private static String string(ByteBuffer in) {
        return new String(bytes(in), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining()) {
            throw new BadKeyException("truncated");
        }
        byte[] b = new byte[n];
        in.get(b);
        return b;
    }

    private static void put(ByteArrayOutputStream out, byte[] b) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
        out.writeBytes(b);
    }
}
