package dev.fixgate.app.github;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kohsuke.github.connector.GitHubConnector;
import org.kohsuke.github.connector.GitHubConnectorRequest;
import org.kohsuke.github.connector.GitHubConnectorResponse;

/**
 * A private HTTP cache, in front of one github-api client, for the GET responses every stage asks again within
 * moments and whose staleness changes no decision: a repository's metadata ({@code GET /repos/{owner}/{repo}} —
 * its name, default branch, clone URL) and the App's own ({@code GET /app}), served for at most {@link #MAX_AGE}
 * (GitHub marks its GET responses {@code Cache-Control: private, max-age=60}) without asking GitHub again.
 *
 * <p>Files ({@code GET /repos/{owner}/{repo}/contents/{path}}: the configuration, CODEOWNERS) and the listings of
 * the App's installations and of an installation's repositories (each page) are revalidated instead: every read
 * asks GitHub, with {@code If-None-Match} and the {@code ETag} of the answer kept, and a {@code 304 Not Modified} is
 * answered from the copy. So a person's change still counts from the next request, and an unchanged answer costs
 * nothing against the rate limit (GitHub does not count an authorised conditional request answered 304). Answers
 * over {@link #MAX_REVALIDATED_BYTES} are not kept.
 *
 * <p>Nothing else is cached. Pull requests, refs, commits, check runs and reviews are always read as GitHub has them
 * now, unconditionally: caps, who may approve and what may merge depend on them. Only 200 answers are kept (a
 * repository that appears is seen at once). A change fixgate makes through this client to a repository's settings
 * ({@code PATCH /repos/{owner}/{repo}}) drops its entry; a rename or a new default branch made by a person reaches a
 * replica within a minute. Cached answers carry no rate-limit headers (they did not count). At most
 * {@link #MAX_ENTRIES} entries; expired ones go first, then the oldest. One cache per client, so per installation:
 * one installation's answers never reach another's.
 */
public final class MetadataCache implements GitHubConnector {

    /** How long an answer is used: GitHub's own {@code max-age} for these responses. */
    public static final Duration MAX_AGE = Duration.ofSeconds(60);
    static final int MAX_ENTRIES = 2_000;
    /** The most bytes of answers one cache keeps, all entries together. */
    static final long MAX_BYTES = 16L << 20;

    private static final String REPO = "/repos/([^/]+)/([^/]+)";
    private static final Pattern IN_REPO = Pattern.compile(REPO + "(/.*)?");
    /** Paths served from the cache (after the API's base path; query strings are part of the key). */
    private static final List<Pattern> CACHED = List.of(Pattern.compile(REPO), Pattern.compile("/app"));
    /** Paths asked again every time, conditionally, and answered from the copy on a 304. */
    private static final List<Pattern> REVALIDATED = List.of(Pattern.compile(REPO + "/contents/.+"),
            Pattern.compile("/installation/repositories"), Pattern.compile("/app/installations"));
    /** The largest answer kept for revalidation. */
    static final int MAX_REVALIDATED_BYTES = 256 * 1024;
    /** Writes after which the repository's cached answers are dropped. */
    private static final List<Pattern> INVALIDATING = List.of(Pattern.compile(REPO));

    private final GitHubConnector next;
    private final Clock clock;
    private final String basePath;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private record Entry(int status, Map<String, List<String>> headers, byte[] body, Instant expires, String repo,
                         String etag) {
    }

    /** @param apiBasePath the API URL's path ({@code ""} on github.com, {@code /api/v3} on GitHub Enterprise Server) */
    public MetadataCache(GitHubConnector next, Clock clock, String apiBasePath) {
        this.next = Objects.requireNonNull(next, "next");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.basePath = apiBasePath.replaceAll("/+$", "");
    }

    @Override
    public GitHubConnectorResponse send(GitHubConnectorRequest request) throws IOException {
        String full = request.url().getPath();
        if (!full.startsWith(basePath)) {
            return next.send(request);
        }
        String path = full.substring(basePath.length());
        String method = request.method().toUpperCase(Locale.ROOT);
        if (!method.equals("GET") && !method.equals("HEAD")) {
            invalidate(path);
            return next.send(request);
        }
        if (method.equals("GET") && REVALIDATED.stream().anyMatch(p -> p.matcher(path).matches())) {
            return revalidate(request, path);
        }
        if (!method.equals("GET") || CACHED.stream().noneMatch(p -> p.matcher(path).matches())) {
            return next.send(request);
        }
        String key = request.url().toString();
        Instant now = clock.instant();
        synchronized (entries) {
            Entry hit = entries.get(key);
            if (hit != null && now.isBefore(hit.expires())) {
                return new Cached(request, hit);
            }
        }
        GitHubConnectorResponse response = next.send(request);
        int status = response.statusCode();
        if (status != 200) {
            return response;
        }
        byte[] body;
        try (response; InputStream in = response.bodyStream()) {
            body = in == null ? new byte[0] : in.readAllBytes();
        }
        Entry entry = new Entry(status, kept(response.allHeaders()), body, now.plus(MAX_AGE), repository(path), "");
        synchronized (entries) {
            entries.put(key, entry);
            evict(now);
        }
        return new Cached(request, entry);
    }

    /**
     * A GET of a file: asked with the kept answer's {@code ETag}; a 304 is answered from the copy, a 200 replaces
     * it, anything else drops it and is passed on.
     */
    private GitHubConnectorResponse revalidate(GitHubConnectorRequest request, String path) throws IOException {
        String key = "revalidate:" + request.url();
        Entry kept;
        synchronized (entries) {
            kept = entries.get(key);
        }
        GitHubConnectorResponse response = next.send(kept == null ? request
                : new Conditional(request, kept.etag()));
        int status = response.statusCode();
        if (status == 304 && kept != null) {
            response.close();
            synchronized (entries) {
                entries.remove(key); // used again: now the newest, the last evicted
                entries.put(key, kept);
            }
            return new Cached(request, kept);
        }
        String etag = response.header("ETag");
        if (status != 200 || etag == null || etag.isBlank()) {
            synchronized (entries) {
                entries.remove(key);
            }
            return response;
        }
        byte[] body;
        try (response; InputStream in = response.bodyStream()) {
            body = in == null ? new byte[0] : in.readAllBytes();
        }
        Entry entry = new Entry(status, kept(response.allHeaders()), body, Instant.MAX, repository(path), etag);
        synchronized (entries) {
            entries.remove(key);
            if (body.length <= MAX_REVALIDATED_BYTES) {
                entries.put(key, entry);
                evict(clock.instant());
            }
        }
        return new Cached(request, entry);
    }

    /** How many answers are held (tests). */
    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    private void invalidate(String path) {
        if (INVALIDATING.stream().noneMatch(p -> p.matcher(path).matches())) {
            return;
        }
        String repo = repository(path);
        synchronized (entries) {
            entries.values().removeIf(e -> repo.equals(e.repo()));
        }
    }

    /** {@code owner/name} (lower case, as GitHub matches them) of a {@code /repos/...} path, else {@code ""}. */
    private static String repository(String path) {
        Matcher m = IN_REPO.matcher(path);
        return m.matches() ? (m.group(1) + "/" + m.group(2)).toLowerCase(Locale.ROOT) : "";
    }

    private void evict(Instant now) {
        entries.values().removeIf(e -> !now.isBefore(e.expires()));
        long bytes = 0;
        for (Entry e : entries.values()) {
            bytes += e.body().length;
        }
        Iterator<Entry> oldest = entries.values().iterator();
        while ((entries.size() > MAX_ENTRIES || bytes > MAX_BYTES) && oldest.hasNext()) {
            bytes -= oldest.next().body().length;
            oldest.remove();
        }
    }

    /**
     * The headers a later reader may see: not the body's encoding (the body is kept decoded) and not the rate limit
     * (a cached answer did not count against it, and stale figures would mislead the client's rate-limit handling).
     */
    private static Map<String, List<String>> kept(Map<String, List<String>> headers) {
        Map<String, List<String>> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> {
            if (name == null) {
                return; // the status line, as HttpURLConnection reports it
            }
            String n = name.toLowerCase(Locale.ROOT);
            if (!n.equals("content-encoding") && !n.equals("content-length") && !n.startsWith("x-ratelimit-")) {
                out.put(name, List.copyOf(values));
            }
        });
        return out;
    }

    /** The request as given, asking for the answer only if it no longer has {@code etag}. */
    private record Conditional(GitHubConnectorRequest request, String etag) implements GitHubConnectorRequest {
        @Override
        public String method() {
            return request.method();
        }

        @Override
        public Map<String, List<String>> allHeaders() {
            Map<String, List<String>> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            out.putAll(request.allHeaders());
            out.put("If-None-Match", List.of(etag));
            return out;
        }

        @Override
        public String header(String name) {
            return "If-None-Match".equalsIgnoreCase(name) ? etag : request.header(name);
        }

        @Override
        public String contentType() {
            return request.contentType();
        }

        @Override
        public InputStream body() {
            return request.body();
        }

        @Override
        public java.net.URL url() {
            return request.url();
        }

        @Override
        public boolean hasBody() {
            return request.hasBody();
        }
    }

    private static final class Cached extends GitHubConnectorResponse.ByteArrayResponse {
        private final byte[] body;

        Cached(GitHubConnectorRequest request, Entry entry) {
            super(request, entry.status(), entry.headers());
            this.body = entry.body();
        }

        @Override
        protected InputStream rawBodyStream() {
            return new ByteArrayInputStream(body);
        }
    }
}
