package dev.fixgate.provider.common.evidence;

import dev.fixgate.spi.evidence.ReadAction;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a cloud read failed, classified the same way for every cloud so that the reason an {@code Observed} carries
 * reads alike: throttled, denied, not found, timed out, or another error.
 *
 * @param type       what kind of failure
 * @param status     the HTTP status (0 when there was no response)
 * @param code       the cloud's error code, e.g. {@code AuthorizationFailed}, {@code PERMISSION_DENIED}; may be empty
 * @param message    the cloud's message, shortened; never a credential (clouds do not echo them)
 * @param retryAfter how long the service asked to wait ({@code Retry-After}); empty when it did not say
 */
public record Failure(Type type, int status, String code, String message, Optional<Duration> retryAfter) {

    public enum Type {
        /** 429 (or 503 asking to retry later): retried within the budget. */
        THROTTLED,
        /** 5xx: retried within the budget like throttling. */
        TRANSIENT,
        DENIED,
        NOT_FOUND,
        TIMEOUT,
        /** Anything else: a bad request, an unexpected answer. Not retried. */
        ERROR
    }

    private static final int MAX_MESSAGE = 200;

    public Failure {
        Objects.requireNonNull(type, "type");
        code = code == null ? "" : code;
        message = message == null ? "" : shorten(message);
        Objects.requireNonNull(retryAfter, "retryAfter");
    }

    public static Failure of(Type type, int status, String code, String message) {
        return new Failure(type, status, code, message, Optional.empty());
    }

    /** The type an HTTP status stands for. */
    public static Type typeOf(int status) {
        return switch (status) {
            case 429 -> Type.THROTTLED;
            case 401, 403 -> Type.DENIED;
            case 404 -> Type.NOT_FOUND;
            case 408, 504 -> Type.TIMEOUT;
            default -> status >= 500 ? Type.TRANSIENT : Type.ERROR;
        };
    }

    /** A timeout anywhere in {@code e}'s causes (the JDK client's, a socket's, a future's); empty when there is none. */
    public static Optional<Failure> timeoutIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.http.HttpTimeoutException || t instanceof java.net.SocketTimeoutException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return Optional.of(of(Type.TIMEOUT, 0, "", t.getClass().getSimpleName()));
            }
        }
        return Optional.empty();
    }

    /** An HTTP error answer; {@code ResourceNotFound}-like codes count as not found whatever the status. */
    public static Failure of(HttpStatusException e) {
        Type type = typeOf(e.status());
        if (e.code().endsWith("NotFound")) {
            type = Type.NOT_FOUND;
        }
        return new Failure(type, e.status(), e.code(), e.getMessage(), e.retryAfter());
    }

    /** A {@code Retry-After} header: seconds, or an HTTP date; empty when absent or unreadable. */
    public static Optional<Duration> retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        try {
            long s = Long.parseLong(header.strip());
            return s < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(s));
        } catch (NumberFormatException e) {
            try {
                java.time.ZonedDateTime at = java.time.ZonedDateTime.parse(header.strip(),
                        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(java.time.ZonedDateTime.now(at.getZone()), at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (java.time.format.DateTimeParseException ignored) {
                return Optional.empty();
            }
        }
    }

    public boolean retryable() {
        return type == Type.THROTTLED || type == Type.TRANSIENT;
    }

    /**
     * The reason an unavailable observation gives, naming the read: e.g. {@code AuthorizationFailed (403) on
     * Microsoft.Insights/metrics/read (Metrics - List)}.
     */
    public String reason(ReadAction read) {
        String on = read.action() + " (" + read.operation() + ")";
        String what = code.isEmpty() ? (status > 0 ? "HTTP " + status : "") : code + (status > 0 ? " (" + status + ")" : "");
        return switch (type) {
            case THROTTLED -> "throttled beyond the budget on " + on + (what.isEmpty() ? "" : ": " + what);
            case TRANSIENT -> "service error beyond the budget on " + on + ": " + what;
            case DENIED -> (what.isEmpty() ? "access denied" : what) + " on " + on;
            case NOT_FOUND -> "not found" + (what.isEmpty() ? "" : " (" + what + ")") + " on " + on;
            case TIMEOUT -> "timed out on " + on;
            case ERROR -> "error on " + on + (what.isEmpty() ? "" : ": " + what) + (message.isEmpty() ? "" : ": " + message);
        };
    }

    private static String shorten(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= MAX_MESSAGE ? one : one.substring(0, MAX_MESSAGE) + "…";
    }
}
