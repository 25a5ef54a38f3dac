package dev.fixgate.provider.gcp;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.BaseServiceException;
import dev.fixgate.provider.common.evidence.Failure;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/** What a Google client exception means for evidence: the status, Google's error status, any Retry-After. */
final class GcpFailures {

    private GcpFailures() {
    }

    static Failure classify(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpTimeoutException || t instanceof java.net.SocketTimeoutException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return Failure.of(Failure.Type.TIMEOUT, 0, "", t.getClass().getSimpleName());
            }
        }
        if (e instanceof GoogleRest.RestFailedException r) {
            return new Failure(Failure.typeOf(r.status()), r.status(), r.code(), r.getMessage(), r.retryAfter());
        }
        if (e instanceof ApiException a) {
            StatusCode.Code code = a.getStatusCode().getCode();
            int http = a.getStatusCode().getTransportCode() instanceof Integer i ? i : code.getHttpStatusCode();
            Failure.Type type = switch (code) {
                case RESOURCE_EXHAUSTED -> Failure.Type.THROTTLED;
                case PERMISSION_DENIED, UNAUTHENTICATED -> Failure.Type.DENIED;
                case NOT_FOUND -> Failure.Type.NOT_FOUND;
                case DEADLINE_EXCEEDED -> Failure.Type.TIMEOUT;
                case UNAVAILABLE, INTERNAL, ABORTED -> Failure.Type.TRANSIENT;
                default -> Failure.Type.ERROR;
            };
            return Failure.of(type, http, code.name(), a.getMessage());
        }
        if (e instanceof BaseServiceException s) {
            String reason = s.getReason() == null ? "" : s.getReason();
            return Failure.of(Failure.typeOf(s.getCode()), s.getCode(), reason, s.getMessage());
        }
        if (e instanceof UncheckedIOException io) {
            if (io.getMessage() != null && io.getMessage().startsWith("no Application Default Credentials")) {
                return Failure.of(Failure.Type.DENIED, 0, "NoCredentials", "no Application Default Credentials");
            }
            return Failure.of(Failure.Type.TRANSIENT, 0, "IOException", io.getCause().getClass().getSimpleName());
        }
        return Failure.of(Failure.Type.ERROR, 0, e.getClass().getSimpleName(), e.getMessage());
    }

    static Optional<Duration> retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        try {
            long s = Long.parseLong(header.strip());
            return s < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
