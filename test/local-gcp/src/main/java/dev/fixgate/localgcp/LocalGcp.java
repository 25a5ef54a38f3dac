package dev.fixgate.localgcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.fixgate.localcloud.StandInServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local GCP for the evidence collectors' tests, on loopback over HTTP, answering the REST (JSON) wire format of:
 * Cloud Asset {@code searchAllResources}; Compute Engine {@code instances/disks/images/firewalls.get}; Cloud Storage
 * JSON API {@code buckets.get/getIamPolicy}, {@code bucketAccessControls.list}, {@code objects.list},
 * {@code objectAccessControls.list}; Cloud Logging {@code entries.list} ({@link LogFilter}'s subset); Service Health
 * {@code events.list}. List methods page with {@code nextPageToken} at {@link #maxPageSize(int)}. Faults are injected
 * per path pattern ({@link #fail}, {@link #delay}); every request is in {@link #calls()}.
 */
public final class LocalGcp extends StandInServer<LocalGcp> {

    private final GcpModel model = new GcpModel();
    private volatile int maxPageSize = 1000;

    private LocalGcp(HttpServer server) {
        super(server);
    }

    public static LocalGcp start() {
        try {
            return new LocalGcp(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        } catch (IOException e) {
            throw new IllegalStateException("local GCP could not start: " + e.getMessage(), e);
        }
    }

    /** The base URL every API is served at, e.g. {@code http://127.0.0.1:41234}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    public GcpModel model() {
        return model;
    }

    /** The largest page any list method returns (whatever page size the client asks for). */
    public LocalGcp maxPageSize(int size) {
        this.maxPageSize = size;
        return this;
    }

    private static final String N = "([^/]+)";
    private static final Pattern SEARCH = Pattern.compile("/v1/projects/" + N + "(?::|%3A)searchAllResources");
    private static final Pattern COMPUTE = Pattern.compile("/compute/v1/projects/" + N + "/(zones/" + N + "|global)/(instances|disks|images|firewalls)/" + N);
    private static final Pattern BUCKET = Pattern.compile("/storage/v1/b/" + N + "(/iam|/acl|/o|/o/" + N + "/acl)?");
    private static final Pattern EVENTS = Pattern.compile("/v1/projects/" + N + "/locations/global/events");
    private static final Pattern BINAUTHZ_POLICY = Pattern.compile("/v1/projects/" + N + "/policy");
    private static final Pattern SCC = Pattern.compile("/v1/projects/" + N + "/sources/-/findings");
    /** ListFindings filter clauses the stand-in evaluates: {@code event_time >= "RFC 3339"}, {@code state = "ACTIVE"}. */
    private static final Pattern SCC_CLAUSE = Pattern.compile("^(event_time|state)\\s*(>=|>|=|<=|<)\\s*\"([^\"]*)\"$");

    @Override
    protected ObjectNode errorBody(int status, String code, String message) {
        ObjectNode out = GcpModel.JSON.createObjectNode();
        ObjectNode error = out.putObject("error");
        error.put("code", status);
        error.put("message", message);
        error.put("status", code);
        ObjectNode detail = error.putArray("errors").addObject();
        detail.put("reason", code);
        detail.put("message", message);
        return out;
    }

    @Override
    protected String badRequestCode() {
        return "INVALID_ARGUMENT";
    }

    @Override
    protected void route(HttpExchange ex, String method, String path, Map<String, String> q, String body) throws IOException {
        Matcher m;
        if (method.equals("POST") && path.equals("/v2/entries:list")) {
            entries(ex, GcpModel.JSON.readTree(body));
        } else if (!method.equals("GET")) {
            error(ex, 405, "METHOD_NOT_ALLOWED", "the local GCP serves reads only", -1);
        } else if ((m = SEARCH.matcher(path)).matches()) {
            search(ex, URLDecoder.decode(m.group(1), StandardCharsets.UTF_8), q);
        } else if ((m = COMPUTE.matcher(path)).matches()) {
            String where = m.group(3) == null ? "global" : m.group(3);
            Map<String, ObjectNode> collection = switch (m.group(4)) {
                case "instances" -> model.instances;
                case "disks" -> model.disks;
                case "images" -> model.images;
                default -> model.firewalls;
            };
            ObjectNode found = collection.get(m.group(1) + "/" + where + "/" + m.group(5));
            if (found == null) {
                error(ex, 404, "NOT_FOUND", "The resource 'projects/" + m.group(1) + "/" + m.group(2) + "/" + m.group(4)
                        + "/" + m.group(5) + "' was not found", -1);
            } else {
                send(ex, 200, found);
            }
        } else if ((m = BUCKET.matcher(path)).matches()) {
            bucket(ex, URLDecoder.decode(m.group(1), StandardCharsets.UTF_8), m.group(2) == null ? "" : m.group(2),
                    m.group(3) == null ? null : URLDecoder.decode(m.group(3), StandardCharsets.UTF_8), q);
        } else if ((m = SCC.matcher(path)).matches()) {
            sccFindings(ex, m.group(1), q);
        } else if ((m = EVENTS.matcher(path)).matches()) {
            String filter = q.getOrDefault("filter", "");
            List<ObjectNode> events = model.events.getOrDefault(m.group(1), List.of()).stream()
                    .filter(e -> filter.isEmpty() || filter.equals("state=" + e.path("state").asText())).toList();
            page(ex, "events", events, q.getOrDefault("pageToken", ""), 100);
        } else if ((m = BINAUTHZ_POLICY.matcher(path)).matches()) {
            send(ex, 200, model.binauthzPolicy(URLDecoder.decode(m.group(1), StandardCharsets.UTF_8)));
        } else {
            error(ex, 404, "NOT_FOUND", "local GCP has no route for " + method + " " + path, -1);
        }
    }

    private static final Pattern NAME_QUERY = Pattern.compile("^name\\s*([:=])\\s*\"?([^\"]+)\"?$");

    private void search(HttpExchange ex, String project, Map<String, String> q) throws IOException {
        String query = q.getOrDefault("query", "");
        Matcher m = NAME_QUERY.matcher(query.strip());
        if (!query.isEmpty() && !m.matches()) {
            throw new IllegalArgumentException("the local GCP answers name:\"…\" (contains) and name=\"…\" queries only, got: "
                    + query);
        }
        List<ObjectNode> all = new ArrayList<>(model.assets.getOrDefault(project, List.of()));
        if (m.matches()) {
            String name = m.group(2);
            boolean exact = m.group(1).equals("=");
            all.removeIf(a -> exact ? !a.get("name").asText().equals(name) : !a.get("name").asText().contains(name));
        }
        int size = q.containsKey("pageSize") ? Integer.parseInt(q.get("pageSize")) : 100;
        page(ex, "results", all, q.getOrDefault("pageToken", ""), size);
    }

    private void entries(HttpExchange ex, JsonNode request) throws IOException {
        List<String> projects = new ArrayList<>();
        request.path("resourceNames").forEach(r -> {
            if (!r.asText().startsWith("projects/")) {
                throw new IllegalArgumentException("resourceNames must be projects/…, got " + r.asText());
            }
            projects.add(r.asText().substring("projects/".length()));
        });
        String filter = request.path("filter").asText("");
        LogFilter.check(filter);
        List<ObjectNode> matching = new ArrayList<>();
        for (String p : projects) {
            for (ObjectNode e : model.logs.getOrDefault(p, List.of())) {
                if (filter.isEmpty() || LogFilter.matches(filter, e)) {
                    matching.add(e);
                }
            }
        }
        matching.sort(Comparator.comparing((ObjectNode e) -> Instant.parse(e.get("timestamp").asText())).reversed());
        page(ex, "entries", matching, request.path("pageToken").asText(""), request.path("pageSize").asInt(50));
    }

    private void bucket(HttpExchange ex, String name, String sub, String object, Map<String, String> q) throws IOException {
        GcpModel.BucketState b = model.buckets.get(name);
        if (b == null) {
            error(ex, 404, "notFound", "The specified bucket does not exist.", -1);
            return;
        }
        ObjectNode out = GcpModel.JSON.createObjectNode();
        if (sub.isEmpty()) {
            out.put("kind", "storage#bucket");
            out.put("id", name);
            out.put("name", name);
            out.putObject("iamConfiguration").putObject("uniformBucketLevelAccess").put("enabled", b.uniform);
            send(ex, 200, out);
        } else if (sub.equals("/iam")) {
            out.put("kind", "storage#policy");
            out.put("resourceId", "projects/_/buckets/" + name);
            out.put("version", 1);
            out.put("etag", "CAE=");
            ArrayNode bindings = out.putArray("bindings");
            Map<String, ArrayNode> byRole = new LinkedHashMap<>();
            for (String[] binding : b.bindings) {
                byRole.computeIfAbsent(binding[0], r -> {
                    ObjectNode o = bindings.addObject();
                    o.put("role", r);
                    return o.putArray("members");
                }).add(binding[1]);
            }
            send(ex, 200, out);
        } else if (b.uniform && sub.contains("acl")) {
            error(ex, 400, "invalid", "Cannot get legacy ACL for a bucket that has uniform bucket-level access.", -1);
        } else if (sub.equals("/acl")) {
            acl(ex, "storage#bucketAccessControls", b.acl);
        } else if (sub.equals("/o")) {
            List<ObjectNode> objects = new ArrayList<>();
            for (String o : b.objects.keySet()) {
                ObjectNode item = GcpModel.JSON.createObjectNode();
                item.put("kind", "storage#object");
                item.put("name", o);
                item.put("bucket", name);
                objects.add(item);
            }
            int size = q.containsKey("maxResults") ? Integer.parseInt(q.get("maxResults")) : 1000;
            page(ex, "items", objects, q.getOrDefault("pageToken", ""), size);
        } else {
            List<String[]> entries = b.objects.get(object);
            if (entries == null) {
                error(ex, 404, "notFound", "No such object: " + name + "/" + object, -1);
            } else {
                acl(ex, "storage#objectAccessControls", entries);
            }
        }
    }

    private static void acl(HttpExchange ex, String kind, List<String[]> entries) throws IOException {
        ObjectNode out = GcpModel.JSON.createObjectNode();
        out.put("kind", kind);
        ArrayNode items = out.putArray("items");
        for (String[] e : entries) {
            ObjectNode item = items.addObject();
            item.put("kind", kind.substring(0, kind.length() - 1));
            item.put("entity", e[0]);
            item.put("role", e[1]);
        }
        send(ex, 200, out);
    }

    /** Security Command Center ListFindings: the filter subset above (clauses joined by AND), orderBy event_time, pages. */
    private void sccFindings(HttpExchange ex, String project, Map<String, String> q) throws IOException {
        String filter = q.getOrDefault("filter", "").strip();
        List<java.util.function.Predicate<ObjectNode>> clauses = new java.util.ArrayList<>();
        if (!filter.isEmpty()) {
            for (String clause : filter.split("\\s+AND\\s+")) {
                Matcher c = SCC_CLAUSE.matcher(clause.strip());
                if (!c.matches()) {
                    error(ex, 400, "INVALID_ARGUMENT", "local GCP cannot evaluate the filter clause '" + clause + "'", -1);
                    return;
                }
                String field = c.group(1);
                String op = c.group(2);
                String value = c.group(3);
                if (field.equals("state")) {
                    if (!op.equals("=")) {
                        error(ex, 400, "INVALID_ARGUMENT", "state supports = only", -1);
                        return;
                    }
                    clauses.add(r -> r.path("finding").path("state").asText().equals(value));
                } else {
                    java.time.Instant at;
                    try {
                        at = java.time.Instant.parse(value);
                    } catch (java.time.format.DateTimeParseException e) {
                        error(ex, 400, "INVALID_ARGUMENT", "event_time must be an RFC 3339 time: " + value, -1);
                        return;
                    }
                    clauses.add(r -> {
                        int cmp = java.time.Instant.parse(r.path("finding").path("eventTime").asText()).compareTo(at);
                        return switch (op) {
                            case ">=" -> cmp >= 0;
                            case ">" -> cmp > 0;
                            case "<=" -> cmp <= 0;
                            case "<" -> cmp < 0;
                            default -> cmp == 0;
                        };
                    });
                }
            }
        }
        List<ObjectNode> all = new java.util.ArrayList<>(model.sccFindings.getOrDefault(project, List.of()).stream()
                .filter(r -> clauses.stream().allMatch(c -> c.test(r))).toList());
        if (q.getOrDefault("orderBy", "").strip().startsWith("event_time")) {
            all.sort(java.util.Comparator.comparing(r -> java.time.Instant.parse(r.path("finding").path("eventTime").asText())));
        }
        int requested = q.containsKey("pageSize") ? Integer.parseInt(q.get("pageSize")) : 0;
        page(ex, "listFindingsResults", all, q.getOrDefault("pageToken", ""), requested);
    }

    private void page(HttpExchange ex, String field, List<ObjectNode> all, String token, int requested) throws IOException {
        int from = token.isEmpty() ? 0 : Integer.parseInt(token);
        int size = Math.max(1, Math.min(requested <= 0 ? maxPageSize : requested, maxPageSize));
        ObjectNode out = GcpModel.JSON.createObjectNode();
        ArrayNode items = out.putArray(field);
        all.subList(Math.min(from, all.size()), Math.min(from + size, all.size())).forEach(items::add);
        if (from + size < all.size()) {
            out.put("nextPageToken", String.valueOf(from + size));
        }
        send(ex, 200, out);
    }

}
