package dev.fixgate.provider.common.testing;

import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.ControlResolver;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.FindingParser;
import dev.fixgate.spi.finding.ParseContext;
import dev.fixgate.spi.finding.ParseLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What one parse produced: findings and rejections in order. Test helper shared with providers/aws (test-jar). */
public final class Parsed implements FindingParser.Sink {

    public static final Instant OBSERVED = Instant.parse("2026-01-01T00:00:00Z");

    public final List<Finding> findings = new ArrayList<>();
    public final List<Rejection> rejections = new ArrayList<>();

    public record Rejection(SourceLocation where, String code, String reason) {
    }

    @Override
    public void finding(Finding finding) {
        findings.add(finding);
    }

    @Override
    public void rejected(SourceLocation where, String code, String reason) {
        rejections.add(new Rejection(where, code, reason));
    }

    public static ParseContext context(String name) {
        return context(name, ControlResolver.none(), ParseLimits.defaults());
    }

    public static ParseContext context(String name, ControlResolver resolver, ParseLimits limits) {
        return new ParseContext(name, resolver, OBSERVED, limits);
    }

    public static Parsed file(FindingParser parser, Path file) {
        return file(parser, file, ControlResolver.none());
    }

    public static Parsed file(FindingParser parser, Path file, ControlResolver resolver) {
        try (InputStream in = Files.newInputStream(file)) {
            return stream(parser, in, context(file.getFileName().toString(), resolver, ParseLimits.defaults()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Parsed text(FindingParser parser, String text) {
        return bytes(parser, text.getBytes(StandardCharsets.UTF_8), ParseLimits.defaults());
    }

    public static Parsed bytes(FindingParser parser, byte[] bytes, ParseLimits limits) {
        return stream(parser, new ByteArrayInputStream(bytes), context("input", ControlResolver.none(), limits));
    }

    public static Parsed stream(FindingParser parser, InputStream in, ParseContext context) {
        Parsed parsed = new Parsed();
        try {
            parser.parse(in, context, parsed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parsed;
    }

    /** A resource under {@code src/test/resources} of the module running the test. */
    public static Path resource(String path) {
        Path p = Path.of("src/test/resources").resolve(path);
        if (!Files.exists(p)) {
            throw new IllegalStateException("missing test resource " + p.toAbsolutePath());
        }
        return p;
    }

    public Finding only() {
        if (findings.size() != 1 || !rejections.isEmpty()) {
            throw new AssertionError("expected exactly one finding, got " + findings + " and " + rejections);
        }
        return findings.get(0);
    }
}
