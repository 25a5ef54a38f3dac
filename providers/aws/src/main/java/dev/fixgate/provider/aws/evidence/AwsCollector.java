package dev.fixgate.provider.aws.evidence;

import dev.fixgate.spi.evidence.EvidenceCollector;
import dev.fixgate.spi.evidence.EvidenceRequest;
import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.Provenance;
import dev.fixgate.spi.evidence.ReadAction;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * What every AWS collector shares: parsing the resource ({@link AwsTarget}), finding its region (fan-out over the
 * configured regions when the finding does not say, skipping regions not enabled for the account), one budget per
 * resource that bounds every call and every retry, and failures turned into {@link Observed#unavailable} entries
 * that name the read action that failed. Collectors never log credentials; they log nothing at all.
 */
abstract class AwsCollector implements EvidenceCollector {

    protected final AwsClients clients;

    AwsCollector(AwsClients clients) {
        this.clients = clients;
    }

    @Override
    public final Cloud cloud() {
        return Cloud.AWS;
    }

    /** The resource types it can say something about. */
    abstract Set<AwsTarget.Type> types();

    /**
     * Finds the resource in {@code ctx}'s region: {@code true} when it is there, {@code false} when the region
     * answers that it is not. Called only when the region had to be searched; the default says yes.
     */
    boolean presentIn(Ctx ctx) {
        return true;
    }

    /** The observation of one kind; throws {@link Unavailable} (or lets an SDK exception out) when it cannot say. */
    abstract Observed observe(String kind, Ctx ctx);

    @Override
    public boolean supports(CloudResource resource) {
        return resource.cloud() == Cloud.AWS && types().contains(AwsTarget.of(resource, Map.of()).type());
    }

    @Override
    public final List<Observed> collect(EvidenceRequest request) {
        Set<String> wanted = new TreeSet<>(request.kinds());
        wanted.retainAll(kinds());
        List<Observed> out = new ArrayList<>();
        if (wanted.isEmpty()) {
            return out;
        }
        AwsTarget target = AwsTarget.of(request.resource(), request.hints());
        if (target.account().isEmpty()) {
            target = target.inAccount(clients.defaultAccount());
        }
        Budget budget = new Budget(clients.settings().budget());
        Ctx ctx;
        try {
            ctx = locate(target, request, budget);
        } catch (Unavailable u) {
            for (String kind : wanted) {
                out.add(Observed.unavailable(kind, u.getMessage(), provenance(target, u.api)));
            }
            return out;
        }
        for (String kind : wanted) {
            out.add(observeSafely(kind, ctx));
        }
        return out;
    }

    private Observed observeSafely(String kind, Ctx ctx) {
        try {
            return observe(kind, ctx);
        } catch (Unavailable u) {
            return Observed.unavailable(kind, u.getMessage(), provenance(ctx.target, u.api));
        } catch (SdkException e) {
            return Observed.unavailable(kind, Failures.describe(e, "", ctx.budget), provenance(ctx.target, ""));
        }
    }

    private Ctx locate(AwsTarget target, EvidenceRequest request, Budget budget) {
        if (!target.region().isEmpty() || target.type().global() || target.type() == AwsTarget.Type.S3_BUCKET) {
            String region = !target.region().isEmpty() ? target.region() : firstRegion();
            return new Ctx(this, target.inRegion(region), request, budget);
        }
        List<String> regions = clients.settings().regions();
        if (regions.isEmpty()) {
            throw new Unavailable("the finding names no region and no regions are configured to search", "");
        }
        List<String> skipped = new ArrayList<>();
        for (String region : regions) {
            Ctx ctx = new Ctx(this, target.inRegion(region), request, budget);
            try {
                if (presentIn(ctx)) {
                    return ctx;
                }
            } catch (Unavailable u) {
                if (!u.regionDisabled) {
                    throw u;
                }
                skipped.add(region);
            }
        }
        throw new Unavailable("not found in " + String.join(", ", regions)
                + (skipped.isEmpty() ? "" : " (not enabled for the account: " + String.join(", ", skipped) + ")"), "");
    }

    private String firstRegion() {
        List<String> regions = clients.settings().regions();
        return regions.isEmpty() ? "us-east-1" : regions.get(0);
    }

    Provenance provenance(AwsTarget t, String api) {
        return new Provenance(api, t.account(), clients.roleOf(t.account()), t.region(), clients.settings().clock().instant());
    }

    static ReadAction read(String action, String operation, String why) {
        return new ReadAction(action, operation, why);
    }

    /** Evidence that cannot be read, and the action that was tried. */
    static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String api;
        final boolean regionDisabled;

        Unavailable(String reason, String api) {
            this(reason, api, false);
        }

        Unavailable(String reason, String api, boolean regionDisabled) {
            super(reason, null, false, false);
            this.api = api;
            this.regionDisabled = regionDisabled;
        }
    }

    /** How long one resource's collection may still take; every call gets what is left as its timeout. */
    static final class Budget {
        private final long deadline;
        private final Duration total;

        Budget(Duration total) {
            this.total = total;
            this.deadline = System.nanoTime() + total.toNanos();
        }

        Duration left() {
            return Duration.ofNanos(deadline - System.nanoTime());
        }

        Duration total() {
            return total;
        }

        void apply(AwsRequestOverrideConfiguration.Builder b) {
            Duration left = left();
            if (left.isNegative() || left.isZero()) {
                throw new Unavailable("the evidence budget of " + total.toSeconds() + " s is spent", "");
            }
            b.apiCallTimeout(left);
        }

        /** Waits (polling a query) unless the budget would run out first. */
        void sleep(long millis, String api) {
            if (left().toMillis() <= millis) {
                throw new Unavailable("the evidence budget of " + total.toSeconds() + " s ran out waiting for " + api, api);
            }
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unavailable("interrupted waiting for " + api, api);
            }
        }
    }

    /** One resource's collection: where, what was asked, the budget. */
    static final class Ctx {
        final AwsCollector collector;
        final AwsTarget target;
        final EvidenceRequest request;
        final Budget budget;
        private final Map<String, Object> memo;

        Ctx(AwsCollector collector, AwsTarget target, EvidenceRequest request, Budget budget) {
            this.collector = collector;
            this.target = target;
            this.request = request;
            this.budget = budget;
            this.memo = new java.util.HashMap<>();
        }

        /** One answer per key for the whole resource: two kinds from one query ask AWS once. */
        @SuppressWarnings("unchecked")
        <T> T memo(String key, Supplier<T> compute) {
            Object v = memo.get(key);
            if (v == null) {
                v = compute.get();
                memo.put(key, v);
            }
            return (T) v;
        }

        String account() {
            return target.account();
        }

        String region() {
            return target.region();
        }

        Instant now() {
            return request.now();
        }

        String hint(String name) {
            return request.hints().getOrDefault(name, "");
        }

        AwsClients clients() {
            return collector.clients;
        }

        /** The observed value, with where it was read. */
        Observed value(String kind, Object value, String api) {
            return Observed.of(kind, value, collector.provenance(target, api));
        }

        /** Calls the SDK: access denied, throttling past the retries, timeouts and transport errors are unavailable. */
        <T> T call(String action, Supplier<T> call) {
            try {
                return call.get();
            } catch (Unavailable u) {
                throw u.api.isEmpty() ? new Unavailable(u.getMessage() + " before " + action, action) : u;
            } catch (AwsServiceException e) {
                if (Failures.fatal(e)) {
                    throw new Unavailable(Failures.describe(e, action, budget), action, Failures.regionDisabled(e));
                }
                throw e;
            } catch (SdkClientException e) {
                throw new Unavailable(Failures.describe(e, action, budget), action);
            }
        }

        /** Like {@link #call}, but the given error codes (not found…) give an empty answer. */
        <T> Optional<T> optional(String action, Supplier<T> call, String... absentCodes) {
            try {
                return Optional.ofNullable(call(action, call));
            } catch (AwsServiceException e) {
                String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
                for (String c : absentCodes) {
                    if (c.equals(code) || c.equals(String.valueOf(e.statusCode()))) {
                        return Optional.empty();
                    }
                }
                throw new Unavailable(Failures.describe(e, action, budget), action);
            }
        }
    }
}
