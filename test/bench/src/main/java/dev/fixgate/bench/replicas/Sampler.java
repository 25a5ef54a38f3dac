package dev.fixgate.bench.replicas;

import dev.fixgate.localgithub.LocalGitHub;
import dev.fixgate.localgithub.LocalGitHub.PullState;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches the local GitHub every {@code periodMillis}: one snapshot of every pull request of every repository taken
 * at one instant, in which it counts fixgate's open pull requests per repository and records every repository seen
 * above its cap. It is also the repositories' CI: each new head commit of an open fixgate pull request gets a green
 * {@code ci} check run (the check branch protection requires), as the serve end-to-end tests report it.
 */
final class Sampler implements AutoCloseable {

    private final LocalGitHub gh;
    private final int cap;
    private final long periodMillis;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Set<String> checked = new HashSet<>();
    final AtomicLong samples = new AtomicLong();
    final AtomicInteger mostOpen = new AtomicInteger();
    /** repository → the most open fixgate pull requests seen in it at one instant, when above the cap */
    final Map<String, Integer> overCap = new ConcurrentHashMap<>();
    final AtomicLong violatingSamples = new AtomicLong();
    final AtomicInteger ciRuns = new AtomicInteger();
    private final Thread thread;
    private volatile List<PullState> last = List.of();

    Sampler(LocalGitHub gh, int cap, long periodMillis) {
        this.gh = gh;
        this.cap = cap;
        this.periodMillis = periodMillis;
        this.thread = Thread.ofPlatform().name("sampler").daemon().start(this::loop);
    }

    private void loop() {
        while (running.get()) {
            long t0 = System.nanoTime();
            sample();
            long left = periodMillis - (System.nanoTime() - t0) / 1_000_000;
            Balancer.sleep(Math.max(10, left));
        }
    }

    private void sample() {
        List<PullState> now = gh.pullRequests();
        last = now;
        samples.incrementAndGet();
        Map<String, Integer> open = new HashMap<>();
        for (PullState p : now) {
            if (p.open() && p.headRef().startsWith("fixgate/")) {
                open.merge(p.repository(), 1, Integer::sum);
            }
        }
        boolean violation = false;
        for (Map.Entry<String, Integer> e : open.entrySet()) {
            mostOpen.accumulateAndGet(e.getValue(), Math::max);
            if (e.getValue() > cap) {
                overCap.merge(e.getKey(), e.getValue(), Math::max);
                violation = true;
            }
        }
        if (violation) {
            violatingSamples.incrementAndGet();
        }
        for (PullState p : now) {
            if (p.open() && p.headRef().startsWith("fixgate/") && checked.add(p.repository() + "@" + p.headSha())) {
                String[] ownerName = p.repository().split("/", 2);
                try {
                    gh.ci(ownerName[0], ownerName[1]).checkRun(p.headSha(), "ci", true);
                    ciRuns.incrementAndGet();
                } catch (RuntimeException e) {
                    checked.remove(p.repository() + "@" + p.headSha()); // try again next sample
                }
            }
        }
    }

    /** The latest snapshot. */
    List<PullState> last() {
        return last;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(10_000);
    }
}
