package dev.fixgate.app.github;

import dev.fixgate.app.config.Secret;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/** RSA keys for tests, generated with the JDK, as the two PEM forms a GitHub App key comes in. */
final class TestKeys {

    static final KeyPair RSA_2048 = generate(2048);

    private TestKeys() {
    }

    static KeyPair generate(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Secret pkcs8Pem(KeyPair keys) {
        return Secret.of(pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    }

    /** The PKCS#1 RSAPrivateKey taken out of the JDK's PKCS#8 encoding: what GitHub's download looks like. */
    static Secret pkcs1Pem(KeyPair keys) {
        return Secret.of(pem("RSA PRIVATE KEY", pkcs1(keys.getPrivate().getEncoded())));
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** PrivateKeyInfo ::= SEQUENCE { INTEGER, AlgorithmIdentifier, OCTET STRING privateKey }: the OCTET STRING's content. */
    static byte[] pkcs1(byte[] pkcs8) {
        Der outer = new Der(pkcs8, 0);
        check(outer.tag == 0x30, "PrivateKeyInfo is a SEQUENCE");
        Der version = new Der(pkcs8, outer.contentStart);
        check(version.tag == 0x02, "version is an INTEGER");
        Der algorithm = new Der(pkcs8, version.end());
        check(algorithm.tag == 0x30, "algorithm is a SEQUENCE");
        Der key = new Der(pkcs8, algorithm.end());
        check(key.tag == 0x04, "privateKey is an OCTET STRING");
        return Arrays.copyOfRange(pkcs8, key.contentStart, key.end());
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("unexpected DER: " + what);
        }
    }

    /** One DER TLV: tag, definite length (short or long form), content bounds. */
    private static final class Der {
        final int tag;
        final int length;
        final int contentStart;

        Der(byte[] b, int at) {
            tag = b[at] & 0xff;
            int first = b[at + 1] & 0xff;
            if (first < 0x80) {
                length = first;
                contentStart = at + 2;
            } else {
                int n = first & 0x7f;
                int len = 0;
                for (int i = 0; i < n; i++) {
                    len = (len << 8) | (b[at + 2 + i] & 0xff);
                }
                length = len;
                contentStart = at + 2 + n;
            }
        }

        int end() {
            return contentStart + length;
        }
    }
}
