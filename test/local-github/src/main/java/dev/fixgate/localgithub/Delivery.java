package dev.fixgate.localgithub;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One webhook delivery attempt, as GitHub lists them under the app's "Advanced" settings.
 *
 * @param id          the delivery id (what {@code POST /app/hook/deliveries/{id}/attempts} takes)
 * @param guid        the {@code X-GitHub-Delivery} header (shared by a delivery and its redeliveries)
 * @param event       the {@code X-GitHub-Event} header
 * @param action      the payload's {@code action}, if it has one
 * @param payload     the exact JSON body that was sent (and signed)
 * @param headers     the request headers that were sent
 * @param statusCode  the receiver's HTTP status, 0 when it could not be reached or it is still queued
 * @param status      "OK", "queued", or what went wrong ("Invalid HTTP Response: 500", "Connection refused", ...)
 */
public record Delivery(long id, String guid, String event, Optional<String> action, long installationId,
                       Optional<Long> repositoryId, String payload, Map<String, String> headers, int statusCode,
                       String status, boolean redelivery, Instant deliveredAt, long durationMillis) {

    public boolean ok() {
        return statusCode >= 200 && statusCode < 300;
    }
}
