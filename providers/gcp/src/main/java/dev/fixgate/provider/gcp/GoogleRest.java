package dev.fixgate.provider.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.auth.Credentials;
import dev.fixgate.provider.common.evidence.Failure;
import dev.fixgate.provider.common.evidence.HttpStatusException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Three Google REST reads the Java client libraries cannot send over HTTP/JSON: Cloud Logging's
 * {@code entries.list} ({@code POST /v2/entries:list}), Personalized Service Health's {@code events.list}
 * ({@code GET /v1/projects/{p}/locations/global/events}) and Binary Authorization's {@code projects.getPolicy}
 * ({@code GET /v1/projects/{p}/policy}).
 *
 * <p>Why not the client libraries: {@code google-cloud-logging} (3.2x) has only a gRPC transport in Java, so a REST
 * stand-in cannot answer it and a private REST endpoint cannot be used; there is no Java client for Service Health
 * in the repository this project builds against, nor for Binary Authorization (its {@code
 * google-cloud-binary-authorization} client is not available to this build). Requests carry the same credentials as the client libraries (the
 * google-auth request metadata); every method only reads.
 */
final class GoogleRest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Credentials credentials;
    private final String logging;
    private final String serviceHealth;
    private final String binaryAuthorization;
    private final Duration timeout;

    GoogleRest(HttpClient http, Credentials credentials, String logging, String serviceHealth, String binaryAuthorization,
               Duration timeout) {
        this.http = http;
        this.credentials = credentials;
        this.logging = trim(logging);
        this.serviceHealth = trim(serviceHealth);
        this.binaryAuthorization = trim(binaryAuthorization);
        this.timeout = timeout;
    }

    /** One page of {@code entries.list}: entries and the next page's token (empty when none). */
    record Page(List<JsonNode> items, String nextPageToken) {
    }

    Page listLogEntries(String project, String filter, int pageSize, String pageToken) {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("resourceNames").add("projects/" + project);
        body.put("filter", filter);
        body.put("orderBy", "timestamp desc");
        body.put("pageSize", pageSize);
        if (!pageToken.isEmpty()) {
            body.put("pageToken", pageToken);
        }
        JsonNode page = send(HttpRequest.newBuilder(URI.create(logging + "/v2/entries:list"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        return new Page(items(page, "entries"), page.path("nextPageToken").asText(""));
    }

    Page listEvents(String project, String filter, String pageToken) {
        String url = serviceHealth + "/v1/projects/" + project + "/locations/global/events?filter="
                + URLEncoder.encode(filter, StandardCharsets.UTF_8)
                + (pageToken.isEmpty() ? "" : "&pageToken=" + URLEncoder.encode(pageToken, StandardCharsets.UTF_8));
        JsonNode page = send(HttpRequest.newBuilder(URI.create(url)).GET());
        return new Page(items(page, "events"), page.path("nextPageToken").asText(""));
    }

    /**
     * The project's Binary Authorization policy ({@code projects.getPolicy}); the service returns the default policy
     * (default rule {@code ALWAYS_ALLOW}) when the project never set one.
     */
    JsonNode getBinauthzPolicy(String project) {
        return send(HttpRequest.newBuilder(URI.create(binaryAuthorization + "/v1/projects/"
                + URLEncoder.encode(project, StandardCharsets.UTF_8) + "/policy")).GET());
    }

    private JsonNode send(HttpRequest.Builder request) {
        try {
            request.timeout(timeout);
            URI uri = request.copy().build().uri();
            if (!(credentials instanceof com.google.cloud.NoCredentials) && credentials.hasRequestMetadata()) {
                for (Map.Entry<String, List<String>> h : credentials.getRequestMetadata(uri).entrySet()) {
                    h.getValue().forEach(v -> request.header(h.getKey(), v));
                }
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                String code = "";
                String message = "HTTP " + response.statusCode();
                try {
                    JsonNode error = JSON.readTree(response.body()).path("error");
                    code = error.path("status").asText("");
                    message = error.path("message").asText(message);
                } catch (IOException ignored) {
                    // not JSON: keep the status
                }
                throw new HttpStatusException(response.statusCode(), code, message,
                        Failure.retryAfter(response.headers().firstValue("Retry-After").orElse(null)));
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new java.io.InterruptedIOException("interrupted"));
        }
    }

    private static List<JsonNode> items(JsonNode page, String field) {
        JsonNode items = page.path(field);
        if (items.isMissingNode() || items.isNull()) {
            return List.of();
        }
        if (!items.isArray()) {
            throw new HttpStatusException(0, "UnexpectedResponse", field + " is not a list", Optional.empty());
        }
        List<JsonNode> out = new java.util.ArrayList<>();
        items.forEach(out::add);
        return out;
    }

    private static String trim(String endpoint) {
        return endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    }
}
