package dev.fixgate.policy;

import com.bisnode.opa.client.OpaConfiguration;
import com.bisnode.opa.client.query.OpaQueryClient;
import com.bisnode.opa.client.query.QueryForDocumentRequest;
import com.bisnode.opa.client.rest.OpaRestClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fixgate.spi.gate.GateDecision;
import dev.fixgate.spi.gate.GateLayer;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Layer 1, external: asks an OPA server for a decision through its Data API ({@code POST /v1/data/<path>} with
 * {@code {"input": <decision input>}}). The document at {@code path} must be an object with two arrays,
 * {@code deny} and {@code needs_approval}; each entry is a message, or an object
 * {@code {"policy": id, "message": text, "on_deny": "record_only"|"route_to_owner"}}. See
 * {@code policies/opa/fixgate.rego}.
 *
 * <p>Fails closed: a timeout, a connection failure, a non-2xx status, an undefined document (OPA answers
 * {@code {}}), or a document of any other shape is a denial that says so.
 */
public final class OpaPolicyEngine implements PolicyLayer {

    private static final Logger LOG = LoggerFactory.getLogger(OpaPolicyEngine.class);

    private final URI url;
    private final String path;
    private final Duration timeout;
    private final OpaQueryClient client;

    /**
     * @param url     the OPA server, e.g. {@code http://127.0.0.1:8181}
     * @param path    the decision document under {@code /v1/data}, e.g. {@code fixgate/decision}
     * @param timeout for the whole query, connection included
     */
    public OpaPolicyEngine(URI url, String path, Duration timeout) {
        this.url = Objects.requireNonNull(url, "url");
        this.path = trimSlashes(Objects.requireNonNull(path, "path"));
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (this.path.isEmpty() || !this.path.matches("[A-Za-z0-9_/.-]+")) {
            throw new IllegalArgumentException("an OPA document path looks like fixgate/decision: " + path);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.client = new OpaQueryClient(new OpaRestClient(new OpaConfiguration(url.toString()), http, new ObjectMapper()));
    }

    @Override
    public String id() {
        return "opa";
    }

    @Override
    public LayerResult evaluate(DecisionInput input) {
        Map<String, Object> document;
        try {
            document = input.toMap();
        } catch (RuntimeException e) {
            return deny("the decision input could not be built: " + e.getMessage());
        }
        Object result;
        // The client has no request timeout of its own; a virtual thread bounded by Future.get gives it one.
        try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Object> call = exec.submit(() -> client.queryForDocument(new QueryForDocumentRequest(document, path),
                    Object.class));
            try {
                result = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                call.cancel(true);
                return deny("OPA at " + url + " did not answer within " + timeout.toMillis() + " ms");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                LOG.warn("OPA query failed", cause);
                return deny("OPA query for data." + path.replace('/', '.') + " failed: " + describe(cause));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                call.cancel(true);
                return deny("interrupted while waiting for OPA");
            } finally {
                exec.shutdownNow();
            }
        } catch (RuntimeException e) {
            return deny("OPA query failed: " + describe(e));
        }
        return interpret(result);
    }

    LayerResult interpret(Object result) {
        if (!(result instanceof Map<?, ?> doc)) {
            return deny("OPA returned " + kind(result) + " for data." + path.replace('/', '.')
                    + "; expected an object with 'deny' and 'needs_approval' arrays");
        }
        if (!(doc.get("deny") instanceof List<?> deny) || !(doc.get("needs_approval") instanceof List<?> approve)) {
            return deny("OPA's decision lacks a 'deny' or 'needs_approval' array, so it cannot be trusted");
        }
        List<PolicyHit> hits = new ArrayList<>();
        try {
            for (Object d : deny) {
                hits.add(hit(d, Policy.Effect.DENY));
            }
            for (Object a : approve) {
                hits.add(hit(a, Policy.Effect.NEEDS_APPROVAL));
            }
        } catch (IllegalArgumentException e) {
            return deny("OPA's decision has an entry of an unexpected shape: " + e.getMessage());
        }
        return new LayerResult(id(), CelPolicyEngine.decisionOf(GateLayer.POLICY, hits), hits);
    }

    private static PolicyHit hit(Object entry, Policy.Effect effect) {
        if (entry instanceof String message) {
            return new PolicyHit("opa", effect, Policy.OnDeny.ROUTE_TO_OWNER, message);
        }
        if (entry instanceof Map<?, ?> m && m.get("message") instanceof String message) {
            String policy = m.get("policy") instanceof String p ? "opa:" + p : "opa";
            Policy.OnDeny onDeny = "record_only".equals(m.get("on_deny")) ? Policy.OnDeny.RECORD_ONLY
                    : Policy.OnDeny.ROUTE_TO_OWNER;
            return new PolicyHit(policy, effect, onDeny, message);
        }
        throw new IllegalArgumentException(kind(entry));
    }

    private LayerResult deny(String why) {
        PolicyHit hit = new PolicyHit("opa", Policy.Effect.DENY, Policy.OnDeny.ROUTE_TO_OWNER, why);
        return new LayerResult(id(), new GateDecision.Deny(GateLayer.POLICY, List.of(hit.reason())), List.of(hit));
    }

    private static String describe(Throwable t) {
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? message : message + " (" + root.getClass().getSimpleName() + ")";
    }

    private static String kind(Object value) {
        return switch (value) {
            case null -> "nothing";
            case Map<?, ?> m -> "an object";
            case List<?> l -> "a list";
            case String s -> "a string";
            default -> "a " + value.getClass().getSimpleName();
        };
    }

    private static String trimSlashes(String p) {
        String s = p.strip();
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}
