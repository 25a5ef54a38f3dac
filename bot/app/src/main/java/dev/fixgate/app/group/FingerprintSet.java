package dev.fixgate.app.group;

import dev.fixgate.spi.finding.Fingerprint;
import java.util.HexFormat;

/**
 * A set of fingerprints in 16 bytes each: the first 128 bits of the SHA-256, in an open-addressing table. A run
 * over millions of findings keeps every fingerprint it has seen to count duplicates; as strings in a HashSet
 * they would cost about ten times the memory. 128 bits make an accidental collision practically impossible
 * (birthday bound ~2^64 fingerprints).
 */
final class FingerprintSet {

    private long[] table = new long[2 * 1024];
    private int size;

    /** Adds {@code fp}; true when it was not in the set. */
    boolean add(Fingerprint fp) {
        String v = fp.value();
        long hi = HexFormat.fromHexDigitsToLong(v, 0, 16);
        long lo = HexFormat.fromHexDigitsToLong(v, 16, 32);
        if (hi == 0 && lo == 0) {
            lo = 1; // (0,0) marks an empty slot; folding one value onto another is harmless at 2^-128
        }
        if ((size + 1) * 4L > (table.length / 2) * 3L) {
            grow();
        }
        if (insert(table, hi, lo)) {
            size++;
            return true;
        }
        return false;
    }

    int size() {
        return size;
    }

    private static boolean insert(long[] t, long hi, long lo) {
        int slots = t.length / 2;
        int i = (int) (hi ^ (hi >>> 32)) & (slots - 1);
        while (true) {
            long h = t[2 * i];
            long l = t[2 * i + 1];
            if (h == 0 && l == 0) {
                t[2 * i] = hi;
                t[2 * i + 1] = lo;
                return true;
            }
            if (h == hi && l == lo) {
                return false;
            }
            i = (i + 1) & (slots - 1);
        }
    }

    private void grow() {
        long[] bigger = new long[table.length * 2];
        for (int i = 0; i < table.length; i += 2) {
            if (table[i] != 0 || table[i + 1] != 0) {
                insert(bigger, table[i], table[i + 1]);
            }
        }
        table = bigger;
    }
}
