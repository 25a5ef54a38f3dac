package dev.fixgate.app.jobs;

import dev.fixgate.app.store.JobQueue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Collects the handlers and settings of a {@link JobWorkers} pool ({@link JobWorkers#builder(JobQueue)}); handlers
 * are registered here, by whoever owns the kind of work.
 */
public final class JobWorkersBuilder {
    final JobQueue queue;
    final Map<String, JobHandler> handlers = new LinkedHashMap<>();
    WorkerSettings settings = WorkerSettings.defaults(2);
    Clock clock = Clock.systemUTC();
    MeterRegistry metrics = new SimpleMeterRegistry();
    String workerId = defaultWorkerId();

    JobWorkersBuilder(JobQueue queue) {
        this.queue = Objects.requireNonNull(queue, "queue");
    }

    /** Registers the handler for {@code handler.kind()}; a kind has exactly one handler. */
    public JobWorkersBuilder register(JobHandler handler) {
        String kind = Objects.requireNonNull(handler.kind(), "kind");
        if (kind.isBlank() || kind.length() > 64) {
            throw new IllegalArgumentException("a job kind is 1 to 64 characters: '" + kind + "'");
        }
        JobHandler before = handlers.putIfAbsent(kind, handler);
        if (before != null) {
            throw new IllegalArgumentException("job kind '" + kind + "' already has a handler: "
                    + before.getClass().getName());
        }
        return this;
    }

    public JobWorkersBuilder settings(WorkerSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        return this;
    }

    public JobWorkersBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    public JobWorkersBuilder metrics(MeterRegistry metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        return this;
    }

    /** The name recorded as {@code locked_by} on the jobs this pool runs; unique per process by default. */
    public JobWorkersBuilder workerId(String workerId) {
        if (workerId.isBlank() || workerId.length() > 128) {
            throw new IllegalArgumentException("a worker id is 1 to 128 characters");
        }
        this.workerId = workerId;
        return this;
    }

    public JobWorkers build() {
        return new JobWorkers(this);
    }

    private static String defaultWorkerId() {
        // No DNS lookup here (it can hang for seconds): the container or machine name is enough to tell who holds a job.
        String host = Objects.requireNonNullElse(System.getenv("HOSTNAME"), "fixgate");
        byte[] nonce = new byte[3];
        ThreadLocalRandom.current().nextBytes(nonce);
        String id = host + ":" + ProcessHandle.current().pid() + ":" + HexFormat.of().formatHex(nonce);
        return id.length() <= 128 ? id : id.substring(id.length() - 128);
    }
}
