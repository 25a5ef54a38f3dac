package dev.fixgate.localgithub;

import dev.fixgate.localgithub.Model.Principal;
import io.javalin.http.Context;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The REST front: a router keyed by the same path templates as GitHub's OpenAPI description (so a recorded exchange
 * names its operation exactly), authentication, and the cross-cutting behaviour every GitHub response has —
 * pagination with {@code Link}, rate-limit headers, ETags and {@code 304}, error bodies, and 404 for anything not
 * implemented (logged, and kept for {@link LocalGitHub#unsupportedRequests()}).
 */
final class Rest {

    private static final Logger LOG = LoggerFactory.getLogger(Rest.class);

    /** Who may call a route: anyone (authorisation is the handler's), or only an app with its JWT. */
    enum Auth { ANY, APP_JWT }

    /** A request, already routed and authenticated. */
    record Req(String method, String template, Map<String, String> params, Map<String, List<String>> query,
               String body, Principal principal) {

        String p(String name) {
            return params.get(name);
        }

        int number(String name) {
            try {
                return Integer.parseInt(params.get(name));
            } catch (NumberFormatException e) {
                throw ApiException.notFound();
            }
        }

        long id(String name) {
            try {
                return Long.parseLong(params.get(name));
            } catch (NumberFormatException e) {
                throw ApiException.notFound();
            }
        }

        Optional<String> q(String name) {
            List<String> v = query.get(name);
            return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
        }

        /** The JSON body; 400 "Problems parsing JSON" when it is not JSON. An empty body is an empty object. */
        JsonNode json() {
            if (body == null || body.isBlank()) {
                return Json.obj();
            }
            try {
                JsonNode n = Json.read(body);
                if (n == null || !n.isObject()) {
                    throw ApiException.badJson();
                }
                return n;
            } catch (ApiException e) {
                throw e;
            } catch (RuntimeException e) {
                throw ApiException.badJson();
            }
        }
    }

    /** A response: a body (or none), or a list the dispatcher paginates (optionally wrapped in an object). */
    record Res(int status, JsonNode body, List<JsonNode> items, Optional<String> wrapKey) {
        static Res ok(JsonNode body) {
            return new Res(200, body, null, Optional.empty());
        }

        static Res created(JsonNode body) {
            return new Res(201, body, null, Optional.empty());
        }

        static Res status(int status, JsonNode body) {
            return new Res(status, body, null, Optional.empty());
        }

        static Res noContent() {
            return new Res(204, null, null, Optional.empty());
        }

        static Res page(List<? extends JsonNode> items) {
            return new Res(200, null, List.copyOf(items), Optional.empty());
        }

        /** GitHub's {@code {"total_count": n, "<key>": [page]}} lists (check runs, installations of a user...). */
        static Res wrappedPage(String key, List<? extends JsonNode> items) {
            return new Res(200, null, List.copyOf(items), Optional.of(key));
        }
    }

    interface Handler {
        Res handle(Req req);
    }

    /** {@code template} is what the request matched; {@code documented} the OpenAPI path it is validated against. */
    private record Route(String method, String template, String documented, Pattern regex, List<String> names,
                         int literals, Auth auth, Handler handler) {}

    private final List<Route> routes = new ArrayList<>();
    private final Hub hub;
    private final String apiUrl;
    private final Consumer<Exchange> listener;
    private final List<String> unsupported = new CopyOnWriteArrayList<>();
    private final RateLimits rateLimits;

    Rest(Hub hub, String apiUrl, Consumer<Exchange> listener) {
        this.hub = hub;
        this.apiUrl = apiUrl;
        this.listener = listener;
        this.rateLimits = new RateLimits(hub);
    }

    /** The primary rate limit every authenticated call spends (and {@code GET /rate_limit} reports). */
    RateLimits rateLimits() {
        return rateLimits;
    }

    /** "METHOD /template" of every route, for the tests that check each is exercised. */
    List<String> routeKeys() {
        return routes.stream().map(r -> r.method() + " " + r.template()).toList();
    }

    List<String> unsupported() {
        return List.copyOf(unsupported);
    }

    /**
     * Path parameters that may contain slashes (a branch "feature/x", a ref "heads/main", a file path, a comparison
     * "main...fixgate/x").
     */
    private static final List<String> GREEDY = List.of("path", "ref", "branch", "basehead");

    void add(String method, String template, Auth auth, Handler h) {
        add(method, template, template, auth, h);
    }

    /**
     * A route GitHub answers but no longer documents under this path (hub4j still calls it); its responses are
     * validated against the documented operation that has the same response.
     */
    void add(String method, String template, String documented, Auth auth, Handler h) {
        List<String> names = new ArrayList<>();
        StringBuilder re = new StringBuilder("^");
        int literals = 0;
        for (String seg : template.substring(1).split("/")) {
            re.append('/');
            if (seg.startsWith("{") && seg.endsWith("}")) {
                String name = seg.substring(1, seg.length() - 1);
                names.add(name);
                re.append(GREEDY.contains(name) ? "(.+)" : "([^/]+)");
            } else {
                literals++;
                re.append(Pattern.quote(seg));
            }
        }
        re.append("$");
        routes.add(new Route(method, template, documented, Pattern.compile(re.toString()), names, literals, auth, h));
    }

    void get(String t, Handler h) {
        add("GET", t, Auth.ANY, h);
    }

    void post(String t, Handler h) {
        add("POST", t, Auth.ANY, h);
    }

    void patch(String t, Handler h) {
        add("PATCH", t, Auth.ANY, h);
    }

    void put(String t, Handler h) {
        add("PUT", t, Auth.ANY, h);
    }

    void delete(String t, Handler h) {
        add("DELETE", t, Auth.ANY, h);
    }

    private static String actor(Principal p) {
        return switch (p) {
            case Principal.AsApp a -> "app:" + a.app().id;
            case Principal.AsInstallation i -> "installation:" + i.installation().id;
            case Principal.User u -> "user:" + u.account().login;
            case Principal.Anonymous a -> "anonymous";
        };
    }

    /** The Javalin handler for every method and path outside {@code /git/}. */
    void handle(Context ctx) {
        String method = ctx.method().name();
        String path = ctx.path();
        String rawBody = method.equals("GET") || method.equals("DELETE") && ctx.contentLength() <= 0 ? "" : ctx.body();
        Route best = null;
        Matcher bestMatch = null;
        for (Route r : routes) {
            if (!r.method().equals(method)) {
                continue;
            }
            Matcher m = r.regex().matcher(path);
            if (m.matches() && (best == null || r.literals() > best.literals())) {
                best = r;
                bestMatch = m;
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put("X-GitHub-Media-Type", "github.v3; format=json");
        headers.put("X-GitHub-Api-Version-Selected", "2022-11-28");
        headers.put("X-GitHub-Request-Id", UUID.randomUUID().toString().toUpperCase());
        headers.put("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP");
        String authHeader = ctx.header("Authorization");
        int status;
        String body;
        String actor = "anonymous";
        try {
            Principal principal;
            RateLimits.Quota quota;
            synchronized (hub) {
                principal = authenticate(authHeader, best == null ? Auth.ANY : best.auth());
                quota = rateLimits.quota(principal);
            }
            actor = actor(principal);
            rateLimit(quota, best != null && best.template().equals("/rate_limit"), headers);
            if (best == null) {
                unsupported.add(method + " " + path);
                LOG.warn("unsupported endpoint, answering 404: method={} path={}", method, path);
                throw ApiException.notFound();
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int k = 0; k < best.names().size(); k++) {
                params.put(best.names().get(k), decode(bestMatch.group(k + 1)));
            }
            Req req = new Req(method, best.template(), params, ctx.queryParamMap(), rawBody, principal);
            Res res;
            synchronized (hub) {
                res = best.handler().handle(req);
            }
            status = res.status();
            body = render(ctx, res, headers);
            if (method.equals("GET") && status == 200 && body != null) {
                String etag = "\"" + sha256(body) + "\"";
                headers.put("ETag", etag);
                headers.put("Cache-Control", "private, max-age=60, s-maxage=60");
                String inm = ctx.header("If-None-Match");
                if (inm != null && (inm.equals(etag) || inm.equals("W/" + etag))) {
                    status = 304;
                    body = null;
                    if (!(principal instanceof Principal.Anonymous) && !best.template().equals("/rate_limit")) {
                        // "does not count against your primary rate limit" when made with credentials
                        putRateLimit(rateLimits.refund(quota), headers);
                    }
                }
            }
        } catch (ApiException e) {
            status = e.status();
            body = Json.write(e.body());
        } catch (RuntimeException e) {
            LOG.error("local GitHub failed on {} {}", method, path, e);
            status = 500;
            body = Json.write(new ApiException(500, "Server Error", ApiException.DOCS, List.of()).body());
        }
        ctx.status(status);
        headers.forEach(ctx::header);
        if (body != null) {
            ctx.result(body);
        } else {
            headers.remove("Content-Type");
        }
        if (listener != null) {
            listener.accept(new Exchange(method, path, ctx.queryString() == null ? "" : ctx.queryString(),
                    Optional.ofNullable(best).map(Route::documented), rawBody, status, Map.copyOf(headers),
                    Optional.ofNullable(body), actor));
        }
    }

    private String render(Context ctx, Res res, Map<String, String> headers) {
        if (res.items() == null) {
            return res.body() == null ? null : Json.write(res.body());
        }
        int perPage = clamp(ctx.queryParam("per_page"), 30, 1, 100);
        int page = clamp(ctx.queryParam("page"), 1, 1, Integer.MAX_VALUE);
        List<JsonNode> all = res.items();
        int last = Math.max(1, (all.size() + perPage - 1) / perPage);
        int from = Math.min(all.size(), (page - 1) * perPage);
        int to = Math.min(all.size(), from + perPage);
        ArrayNode arr = Json.arr();
        all.subList(from, to).forEach(arr::add);
        List<String> links = new ArrayList<>();
        if (page < last) {
            links.add("<" + pageUrl(ctx, perPage, page + 1) + ">; rel=\"next\"");
            links.add("<" + pageUrl(ctx, perPage, last) + ">; rel=\"last\"");
        }
        if (page > 1) {
            links.add("<" + pageUrl(ctx, perPage, 1) + ">; rel=\"first\"");
            links.add("<" + pageUrl(ctx, perPage, Math.min(page - 1, last)) + ">; rel=\"prev\"");
        }
        if (!links.isEmpty()) {
            headers.put("Link", String.join(", ", links));
        }
        if (res.wrapKey().isPresent()) {
            ObjectNode o = Json.obj();
            o.put("total_count", all.size());
            o.set(res.wrapKey().get(), arr);
            return Json.write(o);
        }
        return Json.write(arr);
    }

    private String pageUrl(Context ctx, int perPage, int page) {
        StringBuilder q = new StringBuilder();
        ctx.queryParamMap().forEach((k, vs) -> {
            if (!k.equals("page") && !k.equals("per_page")) {
                for (String v : vs) {
                    q.append(q.isEmpty() ? "" : "&").append(enc(k)).append('=').append(enc(v));
                }
            }
        });
        q.append(q.isEmpty() ? "" : "&").append("per_page=").append(perPage).append("&page=").append(page);
        return apiUrl + ctx.path() + "?" + q;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static int clamp(String v, int dflt, int min, int max) {
        try {
            return v == null ? dflt : Math.max(min, Math.min(max, Integer.parseInt(v)));
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private Principal authenticate(String header, Auth auth) {
        if (header == null || header.isBlank()) {
            if (auth == Auth.APP_JWT) {
                throw ApiException.unauthorized("You must authenticate with an access token authorized to a GitHub "
                        + "App in order to list installations");
            }
            return new Principal.Anonymous();
        }
        String token;
        String lower = header.toLowerCase();
        if (lower.startsWith("bearer ") || lower.startsWith("token ")) {
            token = header.substring(header.indexOf(' ') + 1).strip();
        } else if (lower.startsWith("basic ")) {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
            token = decoded.substring(decoded.indexOf(':') + 1);
        } else {
            throw ApiException.badCredentials();
        }
        if (Jwt.looksLikeJwt(token)) {
            Model.App app = Jwt.verify(token, hub.apps, hub.now());
            if (auth != Auth.APP_JWT) {
                throw ApiException.forbidden("Resource not accessible by integration");
            }
            return new Principal.AsApp(app);
        }
        Principal p = hub.principalForToken(token).orElseThrow(ApiException::badCredentials);
        if (auth == Auth.APP_JWT) {
            throw ApiException.unauthorized(Jwt.UNDECODABLE);
        }
        return p;
    }

    private void rateLimit(RateLimits.Quota quota, boolean free, Map<String, String> headers) {
        RateLimits.State st = free ? rateLimits.peek(quota) : rateLimits.take(quota);
        putRateLimit(st, headers);
        if (st.exceeded()) {
            throw ApiException.forbidden("API rate limit exceeded. See the rate limit documentation for details.");
        }
    }

    private static void putRateLimit(RateLimits.State st, Map<String, String> headers) {
        headers.put("X-RateLimit-Limit", String.valueOf(st.limit()));
        headers.put("X-RateLimit-Remaining", String.valueOf(st.remaining()));
        headers.put("X-RateLimit-Reset", String.valueOf(st.reset()));
        headers.put("X-RateLimit-Used", String.valueOf(st.used()));
        headers.put("X-RateLimit-Resource", "core");
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
