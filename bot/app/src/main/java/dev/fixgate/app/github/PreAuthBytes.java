package dev.fixgate.app.github;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How many bytes of webhook bodies whose signature is not verified yet may be held in memory at once, across every
 * request. A body has to be read whole before its HMAC can be compared, so without this cap unauthenticated
 * callers decide how much heap the service spends: 300 unsigned 24 MB posts took it from 340 MB to 6.3 GB. A
 * request that cannot get its bytes within {@link #WAIT} is refused with 503 and reads nothing more; authenticated
 * bytes (GitHub's) are released the moment the signature matches.
 */
public final class PreAuthBytes {

    /** How long a request waits for room before it is refused. */
    static final long WAIT_MILLIS = 2_000;

    private final Semaphore permits;
    private final int capacity;

    public PreAuthBytes(long capacity) {
        if (capacity < 1 || capacity > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("capacity must be between 1 and " + Integer.MAX_VALUE + " bytes");
        }
        this.capacity = (int) capacity;
        this.permits = new Semaphore(this.capacity, true);
    }

    /** Room for {@code bytes} more, waiting a little for it; false when there is none (or never could be). */
    boolean acquire(long bytes) {
        if (bytes <= 0) {
            return true;
        }
        if (bytes > capacity) {
            return false;
        }
        // Room now is taken at once (the untimed tryAcquire does not queue behind waiters): through the fair, timed
        // wait every request queued behind the one before it whenever any thread was parked there, a convoy in which
        // each request waited for the previous one to be scheduled — 417 parks of 30 ms (median) in a 13 s run of
        // WebhookIntakeBench with the budget nowhere near used. The fair wait remains for when the budget is full.
        if (permits.tryAcquire((int) bytes)) {
            return true;
        }
        try {
            return permits.tryAcquire((int) bytes, WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void release(long bytes) {
        if (bytes > 0) {
            permits.release((int) bytes);
        }
    }

    /** Bytes free now (for tests and metrics). */
    public long available() {
        return permits.availablePermits();
    }

    public long capacity() {
        return capacity;
    }
}
