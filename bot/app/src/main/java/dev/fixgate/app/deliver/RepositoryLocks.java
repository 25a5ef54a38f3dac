package dev.fixgate.app.deliver;

import dev.fixgate.app.jobs.WaitUntil;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Mutual exclusion per repository for work that must not interleave — counting a repository's pull requests and
 * then opening one (its caps), planning the fixes of two initiatives in one repository. The service uses locks shared
 * by every replica on the database (wiring builds them on {@code store.NamedLocks}); {@link #inProcess()} is for one
 * process alone (tests, the CLI).
 */
@FunctionalInterface
public interface RepositoryLocks {

    /** A held lock; closing it releases it. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Takes the lock {@code purpose} on {@code repository} ({@code owner/name}), waiting a while for it.
     *
     * @throws WaitUntil when it stayed held by another worker: the job waits and tries again, without using an attempt
     */
    Held hold(String purpose, String repository) throws WaitUntil, InterruptedException;

    /** Locks within this process only (a {@link ReentrantLock} per purpose and repository). */
    static RepositoryLocks inProcess() {
        Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
        return (purpose, repository) -> {
            ReentrantLock lock = locks.computeIfAbsent(purpose + ":" + repository, k -> new ReentrantLock());
            lock.lockInterruptibly();
            return lock::unlock;
        };
    }

    /** The wait a job is given when a lock stayed held: try again shortly. */
    static WaitUntil busy(String purpose, String repository, Instant now) {
        return new WaitUntil("another worker holds the " + purpose + " lock of " + repository + "; trying again shortly",
                now.plusSeconds(5));
    }
}
