package dev.fixgate.provider.gcp;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.BaseServiceException;
import dev.fixgate.provider.common.evidence.Failure;
import dev.fixgate.provider.common.evidence.HttpStatusException;
import java.io.UncheckedIOException;

/** What a Google client exception means for evidence: the status, Google's error status, any Retry-After. */
final class GcpFailures {

    private GcpFailures() {
    }

    static Failure classify(Throwable e) {
        var timeout = Failure.timeoutIn(e);
        if (timeout.isPresent()) {
            return timeout.get();
        }
        if (e instanceof HttpStatusException h) {
            return Failure.of(h);
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
}
