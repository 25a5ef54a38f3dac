package dev.fixgate.provider.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fixgate.provider.common.evidence.Failure;
import dev.fixgate.provider.common.evidence.HttpStatusException;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * Log Analytics queries through Resource Manager: {@code POST {workspace resource id}/api/query?api-version=2017-10-01}
 * with {@code {"query", "timespan"}}, answered with {@code {"tables":[{"columns":[…],"rows":[[…]]}]}}.
 *
 * <p>Why not the SDK's {@code LogsQueryClient}: {@code azure-monitor-query} (1.4–1.5.9) and
 * {@code azure-monitor-query-logs} (1.0.x) do not resolve from the repository this project builds against. This is
 * the documented REST operation sent through the same azure-core {@link HttpPipeline} (credential, request ids, the
 * JDK client) as the management SDK clients, so authentication, timeouts and the budgeted retries are the same.
 * The query is a POST that only reads.
 */
final class LogAnalytics {

    private static final String API_VERSION = "2017-10-01";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpPipeline pipeline;
    private final String endpoint;

    LogAnalytics(HttpPipeline pipeline, String endpoint) {
        this.pipeline = pipeline;
        this.endpoint = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    }

    /**
     * Runs {@code query} over {@code [from, to]} in the workspace and returns the first column of the first row of the
     * primary table as a whole number (the collectors' queries end in {@code summarize n = …}); 0 for no row.
     */
    long queryCount(String workspaceResourceId, String query, Instant from, Instant to) {
        ArmId workspace = ArmId.parse(workspaceResourceId);
        if (!workspace.type().equals("microsoft.operationalinsights/workspaces")) {
            throw new IllegalArgumentException("not a Log Analytics workspace id: " + workspaceResourceId);
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("query", query);
        body.put("timespan", from + "/" + to);
        HttpRequest request = new HttpRequest(HttpMethod.POST,
                endpoint + workspace.id() + "/api/query?api-version=" + API_VERSION)
                .setHeader(HttpHeaderName.CONTENT_TYPE, "application/json")
                .setBody(body.toString());
        try (HttpResponse response = pipeline.sendSync(request, com.azure.core.util.Context.NONE)) {
            String text = response.getBodyAsBinaryData() == null ? "" : response.getBodyAsBinaryData().toString();
            int status = response.getStatusCode();
            if (status / 100 != 2) {
                String code = "";
                String message = "HTTP " + status;
                try {
                    JsonNode error = JSON.readTree(text).path("error");
                    code = error.path("code").asText("");
                    message = error.path("message").asText(message);
                } catch (IOException ignored) {
                    // not JSON: keep the status
                }
                throw new HttpStatusException(status, code, message,
                        Failure.retryAfter(response.getHeaderValue(HttpHeaderName.RETRY_AFTER)));
            }
            JsonNode tables = JSON.readTree(text).path("tables");
            if (!tables.isArray() || tables.isEmpty()) {
                throw new HttpStatusException(0, "UnexpectedResponse", "no tables in the query response", Optional.empty());
            }
            JsonNode rows = tables.get(0).path("rows");
            if (!rows.isArray() || rows.isEmpty()) {
                return 0;
            }
            JsonNode cell = rows.get(0).get(0);
            if (cell == null || cell.isNull()) {
                return 0;
            }
            if (!cell.isNumber() || cell.asLong() < 0) {
                throw new HttpStatusException(0, "UnexpectedResponse", "the count is not a whole number: " + cell, Optional.empty());
            }
            return cell.asLong();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
