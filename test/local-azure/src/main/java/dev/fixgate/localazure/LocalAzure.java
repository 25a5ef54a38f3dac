package dev.fixgate.localazure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.fixgate.localcloud.StandInServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A local Azure Resource Manager for the evidence collectors' tests, on loopback over HTTPS (the SDK's bearer-token
 * policy refuses plain HTTP), answering in ARM's wire format:
 * <ul>
 * <li>{@code POST /providers/Microsoft.ResourceGraph/resources} — Resource Graph queries ({@link Kql}'s subset), with
 *     {@code $skipToken} pages of {@link #graphPageSize(int)} rows;</li>
 * <li>{@code GET …/storageAccounts/{a}} and {@code …/blobServices/default/containers} (pages of
 *     {@link #containerPageSize(int)} with an absolute {@code nextLink});</li>
 * <li>{@code GET {resource}/providers/Microsoft.Insights/metrics} (the Metrics - List response, {@code $filter}
 *     {@code Dim eq 'v'} applied) and {@code …/diagnosticSettings};</li>
 * <li>{@code POST {workspace}/api/query} — Log Analytics through ARM: {@code {"tables":[…]}}.</li>
 * </ul>
 * Requests need {@code Authorization: Bearer} {@link #TOKEN} (else 401). Faults are injected per path pattern
 * ({@link #fail}, {@link #delay}); every request is in {@link #calls()}.
 */
public final class LocalAzure extends StandInServer<LocalAzure> {

    /** The bearer token the stand-in accepts; tests give the SDK a static credential returning it. */
    public static final String TOKEN = "local-azure-test-token";
    private static final char[] STORE_PASSWORD = "local-azure".toCharArray();

    private final SSLContext ssl;
    private final AzureModel model = new AzureModel();
    private volatile int graphPageSize = 1000;
    private volatile int containerPageSize = 1000;

    private LocalAzure(HttpsServer server, SSLContext ssl) {
        super(server);
        this.ssl = ssl;
    }

    public static LocalAzure start() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = LocalAzure.class.getResourceAsStream("local-azure.p12")) {
                store.load(in, STORE_PASSWORD);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, STORE_PASSWORD);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(ssl));
            return new LocalAzure(server, ssl);
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("local Azure could not start: " + e.getMessage(), e);
        }
    }

    /** The Resource Manager endpoint, e.g. {@code https://127.0.0.1:41234/}. */
    public String managementEndpoint() {
        return "https://127.0.0.1:" + port() + "/";
    }

    /** An SSL context that trusts the stand-in's certificate (and only it). */
    public SSLContext clientSslContext() {
        return ssl;
    }

    public AzureModel model() {
        return model;
    }

    public LocalAzure graphPageSize(int rows) {
        this.graphPageSize = rows;
        return this;
    }

    public LocalAzure containerPageSize(int items) {
        this.containerPageSize = items;
        return this;
    }

    // ---------------------------------------------------------------------------------------------- dispatch

    private static final Pattern STORAGE_ACCOUNT = Pattern.compile(
            "(/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.Storage/storageAccounts/[^/]+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CONTAINERS = Pattern.compile(STORAGE_ACCOUNT.pattern() + "/blobServices/default/containers",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern INSIGHTS = Pattern.compile("(/subscriptions/.+)/providers/Microsoft\\.Insights/(metrics|diagnosticSettings)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern WORKSPACE_QUERY = Pattern.compile(
            "(/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.OperationalInsights/workspaces/[^/]+)/api/query",
            Pattern.CASE_INSENSITIVE);

    @Override
    protected boolean authorize(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.equals("Bearer " + TOKEN)) {
            error(ex, 401, "AuthenticationFailed", "Authentication failed: no valid bearer token.", -1);
            return false;
        }
        return true;
    }

    @Override
    protected ObjectNode errorBody(int status, String code, String message) {
        ObjectNode out = AzureModel.JSON.createObjectNode();
        out.putObject("error").put("code", code).put("message", message);
        return out;
    }

    @Override
    protected String badRequestCode() {
        return "BadRequest";
    }

    @Override
    protected void route(HttpExchange ex, String method, String path, Map<String, String> q, String body) throws IOException {
        Matcher m;
        if (method.equals("POST") && path.equalsIgnoreCase("/providers/Microsoft.ResourceGraph/resources")) {
            resourceGraph(ex, body);
        } else if (method.equals("POST") && (m = WORKSPACE_QUERY.matcher(path)).matches()) {
            workspaceQuery(ex, m.group(1), body);
        } else if ((m = INSIGHTS.matcher(path)).matches()) {
            if (!model.known(m.group(1))) {
                notFound(ex, m.group(1));
            } else if (m.group(2).equalsIgnoreCase("metrics")) {
                metrics(ex, m.group(1), q);
            } else {
                ObjectNode out = AzureModel.JSON.createObjectNode();
                ArrayNode value = out.putArray("value");
                model.diagnostics.getOrDefault(AzureModel.key(m.group(1)), List.of()).forEach(value::add);
                send(ex, 200, out);
            }
        } else if ((m = CONTAINERS.matcher(path)).matches()) {
            containers(ex, m.group(1), q);
        } else if ((m = STORAGE_ACCOUNT.matcher(path)).matches()) {
            ObjectNode account = model.resourceJson(m.group(1));
            if (account == null) {
                notFound(ex, m.group(1));
            } else {
                send(ex, 200, account);
            }
        } else {
            error(ex, 404, "NoRoute", "local Azure has no route for " + method + " " + path, -1);
        }
    }

    private void resourceGraph(HttpExchange ex, String body) throws IOException {
        JsonNode request = AzureModel.JSON.readTree(body);
        List<String> subscriptions = new ArrayList<>();
        request.path("subscriptions").forEach(s -> subscriptions.add(s.asText().toLowerCase(Locale.ROOT)));
        List<ObjectNode> rows = Kql.run(request.path("query").asText(), table -> model.graph
                .getOrDefault(table.toLowerCase(Locale.ROOT), List.of()).stream()
                .filter(r -> subscriptions.isEmpty() || subscriptions.stream().anyMatch(s -> r.get("id").asText()
                        .toLowerCase(Locale.ROOT).startsWith("/subscriptions/" + s)))
                .toList());
        int skip = request.path("options").path("$skipToken").asText("").isEmpty() ? 0
                : Integer.parseInt(request.path("options").path("$skipToken").asText());
        int top = Math.min(graphPageSize, request.path("options").path("$top").asInt(1000));
        ObjectNode out = AzureModel.JSON.createObjectNode();
        out.put("totalRecords", rows.size());
        List<ObjectNode> page = rows.subList(Math.min(skip, rows.size()), Math.min(skip + top, rows.size()));
        out.put("count", page.size());
        out.put("resultTruncated", "false");
        if (skip + top < rows.size()) {
            out.put("$skipToken", String.valueOf(skip + top));
        }
        ArrayNode data = out.putArray("data");
        page.forEach(data::add);
        out.putArray("facets");
        send(ex, 200, out);
    }

    private void workspaceQuery(HttpExchange ex, String workspace, String body) throws IOException {
        Map<String, List<ObjectNode>> tables = model.workspaces.get(AzureModel.key(workspace));
        if (tables == null) {
            error(ex, 404, "WorkspaceNotFound", "workspace " + workspace + " not found", -1);
            return;
        }
        JsonNode request = AzureModel.JSON.readTree(body);
        String[] span = request.path("timespan").asText("").split("/");
        if (span.length != 2) {
            error(ex, 400, "BadArgumentError", "timespan must be start/end", -1);
            return;
        }
        Instant from = Instant.parse(span[0]);
        Instant to = Instant.parse(span[1]);
        List<ObjectNode> rows = Kql.run(request.path("query").asText(), table -> tables.getOrDefault(table, List.of()).stream()
                .filter(r -> {
                    Instant at = Instant.parse(r.get("TimeGenerated").asText());
                    return !at.isBefore(from) && !at.isAfter(to);
                }).toList());
        ObjectNode out = AzureModel.JSON.createObjectNode();
        ObjectNode table = out.putArray("tables").addObject();
        table.put("name", "PrimaryResult");
        ArrayNode columns = table.putArray("columns");
        ArrayNode rowsOut = table.putArray("rows");
        List<String> names = new ArrayList<>();
        if (!rows.isEmpty()) {
            rows.get(0).fieldNames().forEachRemaining(names::add);
        }
        for (String n : names) {
            ObjectNode c = columns.addObject();
            c.put("name", n);
            c.put("type", rows.get(0).get(n) != null && rows.get(0).get(n).isNumber() ? "long" : "string");
        }
        for (ObjectNode r : rows) {
            ArrayNode row = rowsOut.addArray();
            names.forEach(n -> row.add(r.get(n)));
        }
        send(ex, 200, out);
    }

    private void metrics(HttpExchange ex, String resource, Map<String, String> q) throws IOException {
        String[] span = q.getOrDefault("timespan", "").split("/");
        if (span.length != 2 || !q.containsKey("metricnames")) {
            error(ex, 400, "BadRequest", "timespan (start/end) and metricnames are required", -1);
            return;
        }
        Instant from = Instant.parse(span[0]);
        Instant to = Instant.parse(span[1]);
        Map<String, String> filter = new LinkedHashMap<>();
        String f = q.getOrDefault("$filter", "");
        Matcher fm = Pattern.compile("(\\w+) eq '([^']*)'").matcher(f);
        while (fm.find()) {
            filter.put(fm.group(1).toLowerCase(Locale.ROOT), fm.group(2));
        }
        String aggregation = q.getOrDefault("aggregation", "Total").toLowerCase(Locale.ROOT);
        ObjectNode out = AzureModel.JSON.createObjectNode();
        out.put("cost", 0);
        out.put("timespan", q.get("timespan"));
        out.put("interval", q.getOrDefault("interval", "PT1H"));
        out.put("namespace", "");
        out.put("resourceregion", "westeurope");
        ArrayNode value = out.putArray("value");
        for (String name : q.get("metricnames").split(",")) {
            ObjectNode metric = value.addObject();
            metric.put("id", resource + "/providers/Microsoft.Insights/metrics/" + name);
            metric.put("type", "Microsoft.Insights/metrics");
            metric.putObject("name").put("value", name).put("localizedValue", name);
            metric.put("unit", "Count");
            metric.put("errorCode", "Success");
            ObjectNode series = metric.putArray("timeseries").addObject();
            ArrayNode meta = series.putArray("metadatavalues");
            filter.forEach((k, v) -> {
                ObjectNode mv = meta.addObject();
                mv.putObject("name").put("value", k).put("localizedValue", k);
                mv.put("value", v);
            });
            ArrayNode data = series.putArray("data");
            for (AzureModel.MetricPoint p : model.metrics.getOrDefault(AzureModel.key(resource), List.of())) {
                boolean dims = filter.entrySet().stream().allMatch(e -> p.dimensions().entrySet().stream()
                        .anyMatch(d -> d.getKey().equalsIgnoreCase(e.getKey()) && d.getValue().equalsIgnoreCase(e.getValue())));
                if (p.metric().equalsIgnoreCase(name) && dims && !p.at().isBefore(from) && !p.at().isAfter(to)) {
                    ObjectNode d = data.addObject();
                    d.put("timeStamp", p.at().toString());
                    d.put(aggregation.equals("maximum") ? "maximum" : "total", p.value());
                }
            }
        }
        send(ex, 200, out);
    }

    private void containers(HttpExchange ex, String account, Map<String, String> q) throws IOException {
        if (model.resourceJson(account) == null) {
            notFound(ex, account);
            return;
        }
        List<Map.Entry<String, String>> all = new ArrayList<>(model.containers.getOrDefault(AzureModel.key(account), Map.of())
                .entrySet());
        all.sort(Map.Entry.comparingByKey());
        int skip = q.containsKey("$skipToken") ? Integer.parseInt(q.get("$skipToken")) : 0;
        ObjectNode out = AzureModel.JSON.createObjectNode();
        ArrayNode value = out.putArray("value");
        for (Map.Entry<String, String> c : all.subList(Math.min(skip, all.size()), Math.min(skip + containerPageSize, all.size()))) {
            ObjectNode item = value.addObject();
            item.put("id", account + "/blobServices/default/containers/" + c.getKey());
            item.put("name", c.getKey());
            item.put("type", "Microsoft.Storage/storageAccounts/blobServices/containers");
            item.putObject("properties").put("publicAccess", c.getValue());
        }
        if (skip + containerPageSize < all.size()) {
            out.put("nextLink", managementEndpoint() + account.substring(1) + "/blobServices/default/containers?api-version="
                    + q.getOrDefault("api-version", "2023-05-01") + "&$skipToken=" + (skip + containerPageSize));
        }
        send(ex, 200, out);
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private void notFound(HttpExchange ex, String id) throws IOException {
        error(ex, 404, "ResourceNotFound", "The Resource '" + id + "' was not found.", -1);
    }

}
