package dev.fixgate.provider.azure;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpResponse;
import com.azure.core.management.exception.ManagementException;
import dev.fixgate.provider.common.evidence.Failure;
import dev.fixgate.provider.common.evidence.HttpStatusException;
import java.io.UncheckedIOException;

/**
 * What an Azure SDK exception means for evidence: the status, ARM's error code ({@code ResourceNotFound} and the like
 * count as not found) and any Retry-After.
 */
final class AzureFailures {

    private AzureFailures() {
    }

    static Failure classify(Throwable e) {
        var timeout = Failure.timeoutIn(e);
        if (timeout.isPresent()) {
            return timeout.get();
        }
        if (e instanceof HttpStatusException h) {
            return Failure.of(h);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof com.azure.identity.CredentialUnavailableException
                    || t instanceof com.azure.core.exception.ClientAuthenticationException) {
                // No identity could get a token: as good as denied. The message may name the identity; it is not kept.
                return Failure.of(Failure.Type.DENIED, 0, "CredentialUnavailable", "");
            }
        }
        if (e instanceof HttpResponseException h && h.getResponse() != null) {
            HttpResponse r = h.getResponse();
            String code = "";
            if (h instanceof ManagementException m && m.getValue() != null && m.getValue().getCode() != null) {
                code = m.getValue().getCode();
            }
            return Failure.of(new HttpStatusException(r.getStatusCode(), code, h.getMessage(),
                    Failure.retryAfter(r.getHeaderValue("Retry-After"))));
        }
        if (e instanceof UncheckedIOException io) {
            return Failure.of(Failure.Type.TRANSIENT, 0, "IOException", io.getCause().getClass().getSimpleName());
        }
        return Failure.of(Failure.Type.ERROR, 0, e.getClass().getSimpleName(), e.getMessage());
    }
}
