package dev.fixgate.app.web;

import dev.fixgate.app.config.ServiceConfig.ApiToken;
import dev.fixgate.app.group.IngestSummary;
import dev.fixgate.app.group.Intake;
import dev.fixgate.app.ingest.Input;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code POST /api/v1/findings}: the same ingest as the CLI, for scanners that push their output. Bearer-token
 * authentication (every configured token is compared, in constant time), a body limit enforced while reading,
 * format detection or {@code ?format=}, and the ingest summary as the response. Re-posting the same body changes
 * nothing in the store.
 */
public final class FindingsEndpoint {

    public static final String PATH = "/api/v1/findings";

    private final Supplier<Intake> intake;
    private final List<ApiToken> tokens;
    private final long maxBytes;

    public FindingsEndpoint(Supplier<Intake> intake, List<ApiToken> tokens, long maxBytes) {
        this.intake = intake;
        this.tokens = List.copyOf(tokens);
        this.maxBytes = maxBytes;
    }

    void handle(Context ctx) {
        Optional<String> caller = authenticate(ctx.header("Authorization"));
        if (caller.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"fixgate\"");
            WebServer.json(ctx, HttpStatus.UNAUTHORIZED, Map.of("error", "a valid bearer token is required"));
            return;
        }
        if (ctx.contentLength() > maxBytes) {
            WebServer.discardBody(ctx);
            WebServer.json(ctx, HttpStatus.CONTENT_TOO_LARGE, Map.of("error", "request body larger than " + maxBytes + " bytes"));
            return;
        }
        String name = "POST " + PATH;
        Intake.Source source = () -> Input.of(name, new LimitedInputStream(ctx.bodyInputStream(), maxBytes));
        IngestSummary summary = intake.get().run(List.of(source), Optional.ofNullable(ctx.queryParam("format")),
                "api:" + caller.get(), bytes -> { });
        boolean tooLarge = summary.errors().stream().anyMatch(e -> e.message().contains("request body larger than"));
        boolean unreadable = summary.files().stream().anyMatch(f -> !f.error().isEmpty());
        if (tooLarge) {
            WebServer.discardBody(ctx);
        }
        WebServer.json(ctx, tooLarge ? HttpStatus.CONTENT_TOO_LARGE : unreadable ? HttpStatus.BAD_REQUEST : HttpStatus.OK, summary);
    }

    /** The name of the token presented, if it is one of ours. All tokens are compared, so timing tells nothing. */
    Optional<String> authenticate(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String presented = header.substring(7).strip();
        String match = null;
        for (ApiToken token : tokens) {
            if (token.token().matches(presented) && match == null) {
                match = token.name();
            }
        }
        return Optional.ofNullable(match);
    }
}
