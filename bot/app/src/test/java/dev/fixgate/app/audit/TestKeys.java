package dev.fixgate.app.audit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.EdECPrivateKey;
import java.util.Base64;

/** Ed25519 keys for tests, written as {@code ssh-keygen -t ed25519 -N ''} writes them (openssh-key-v1, unencrypted). */
final class TestKeys {

    private TestKeys() {
    }

    static KeyPair generate() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    static String openssh(KeyPair pair) {
        byte[] publicBlob = SshSignatures.publicBlob(pair.getPublic());
        byte[] pk = java.util.Arrays.copyOfRange(publicBlob, 4 + 11 + 4, 4 + 11 + 4 + 32); // after "ssh-ed25519"
        byte[] seed = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
        ByteArrayOutputStream priv = new ByteArrayOutputStream();
        int check = 0x5eed1234;
        priv.writeBytes(ByteBuffer.allocate(8).putInt(check).putInt(check).array());
        put(priv, "ssh-ed25519".getBytes(StandardCharsets.US_ASCII));
        put(priv, pk);
        byte[] sk = new byte[64];
        System.arraycopy(seed, 0, sk, 0, 32);
        System.arraycopy(pk, 0, sk, 32, 32);
        put(priv, sk);
        put(priv, "fixgate-test".getBytes(StandardCharsets.US_ASCII));
        for (int pad = 1; priv.size() % 8 != 0; pad++) {
            priv.write(pad);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII));
        put(out, "none".getBytes(StandardCharsets.US_ASCII));
        put(out, "none".getBytes(StandardCharsets.US_ASCII));
        put(out, new byte[0]);
        out.writeBytes(ByteBuffer.allocate(4).putInt(1).array());
        put(out, publicBlob);
        put(out, priv.toByteArray());
        String b64 = Base64.getEncoder().encodeToString(out.toByteArray());
        StringBuilder pem = new StringBuilder("-----BEGIN OPENSSH PRIVATE KEY-----\n");
        for (int i = 0; i < b64.length(); i += 70) {
            pem.append(b64, i, Math.min(b64.length(), i + 70)).append('\n');
        }
        return pem.append("-----END OPENSSH PRIVATE KEY-----\n").toString();
    }

    private static void put(ByteArrayOutputStream out, byte[] b) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
        out.writeBytes(b);
    }
}
