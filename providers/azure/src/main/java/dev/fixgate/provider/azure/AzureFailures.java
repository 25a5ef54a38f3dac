package dev.fixgate.provider.azure;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpResponse;
import com.azure.core.management.exception.ManagementException;
import dev.fixgate.provider.common.evidence.Failure;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/** What an Azure SDK exception means for evidence: the status, ARM's error code and any Retry-After. */
final class AzureFailures {

    private AzureFailures() {
    }

    static Failure classify(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpTimeoutException || t instanceof TimeoutException
                    || t instanceof java.net.SocketTimeoutException) {
                return Failure.of(Failure.Type.TIMEOUT, 0, "", t.getClass().getSimpleName());
            }
        }
        if (e instanceof LogAnalytics.QueryFailedException q) {
            return withRetryAfter(q.status(), q.code(), q.getMessage(), q.retryAfter());
        }
        if (e instanceof HttpResponseException h && h.getResponse() != null) {
            HttpResponse r = h.getResponse();
            String code = "";
            if (h instanceof ManagementException m && m.getValue() != null && m.getValue().getCode() != null) {
                code = m.getValue().getCode();
            }
            return withRetryAfter(r.getStatusCode(), code, h.getMessage(), retryAfter(r.getHeaderValue("Retry-After")));
        }
        if (e instanceof UncheckedIOException io) {
            return Failure.of(Failure.Type.TRANSIENT, 0, "IOException", io.getCause().getClass().getSimpleName());
        }
        return Failure.of(Failure.Type.ERROR, 0, e.getClass().getSimpleName(), e.getMessage());
    }

    private static Failure withRetryAfter(int status, String code, String message, Optional<Duration> retryAfter) {
        Failure.Type type = Failure.typeOf(status);
        if ("ResourceNotFound".equalsIgnoreCase(code) || "ResourceGroupNotFound".equalsIgnoreCase(code)
                || "SubscriptionNotFound".equalsIgnoreCase(code)) {
            type = Failure.Type.NOT_FOUND;
        }
        return new Failure(type, status, code, message, retryAfter);
    }

    /** Retry-After in seconds or as an HTTP date; empty when absent or unreadable. */
    static Optional<Duration> retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        try {
            long s = Long.parseLong(header.strip());
            return s < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(s));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (RuntimeException ignored) {
                return Optional.empty();
            }
        }
    }
}
