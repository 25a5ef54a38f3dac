package dev.fixgate.app.cli;

import dev.fixgate.app.report.ControlMap;
import dev.fixgate.app.report.CsvWriter;
import dev.fixgate.app.report.EvidenceReport;
import dev.fixgate.app.report.Framework;
import dev.fixgate.app.report.HtmlWriter;
import dev.fixgate.app.report.OscalSchema;
import dev.fixgate.app.report.OscalWriter;
import dev.fixgate.app.report.ReportBuilder;
import dev.fixgate.app.report.Snapshot;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.wiring.Wiring;
import dev.fixgate.spi.error.FixgateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code fixgate report}: evidence for auditors from what fixgate stored. */
@Command(name = "report", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
        description = {"Evidence for auditors over a time range, from what fixgate stored (findings, sightings,",
                "remediations, gate decisions, risk acceptances, the audit log): control status per framework control,",
                "time to remediate (detection → merge → verification, median and p90) against FedRAMP's deadlines,",
                "the items past their deadline, and risk acceptances.",
                "Formats: json (docs/schema/report.schema.json), csv (one row per finding), oscal (OSCAL 1.0.6",
                "assessment results), html (a self-contained page with charts).",
                "The demo's database: fixgate --home <home>/demo report (after fixgate demo)."})
final class ReportCommand implements Callable<Integer> {

    enum Format { JSON, CSV, OSCAL, HTML }

    @ParentCommand
    FixgateCommand root;

    @Option(names = "--from", paramLabel = "DATE", description = "Start of the range: a date (UTC) or an instant."
            + " Default: 90 days before --to.")
    String from;

    @Option(names = "--to", paramLabel = "DATE", description = "End of the range: a date (its end, UTC) or an instant."
            + " Default: now.")
    String to;

    @Option(names = "--framework", paramLabel = "ID", defaultValue = "nist-800-53",
            description = "nist-800-53 (default), nist-800-171, cmmc-l2 or fedramp.")
    String framework;

    @Option(names = "--repo", paramLabel = "OWNER/NAME", description = "Only findings of this repository.")
    String repo;

    @Option(names = "--account", paramLabel = "ID", description = "Only findings in this cloud account.")
    String account;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json",
            description = "json (default), csv, oscal or html.")
    String format;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Write here instead of standard output.")
    Path out;

    @Option(names = "--web-url", paramLabel = "URL", description = "GitHub's web address for links to pull requests"
            + " and commits. Default: from github.api_url (https://github.com for api.github.com).")
    String webUrl;

    @Override
    public Integer call() {
        AppContext ctx = root.context();
        Format f = parseFormat(format);
        Framework fw = Framework.of(framework.toLowerCase(Locale.ROOT)).orElseThrow(() -> new FixgateException(
                "cli.bad-option", "--framework must be one of " + Arrays.stream(Framework.values()).map(Framework::id).toList()));
        // whole seconds, rounded up: a default --to is never before an event recorded in this very second
        Instant exact = ctx.clock().instant();
        Instant now = exact.truncatedTo(ChronoUnit.SECONDS);
        if (now.isBefore(exact)) {
            now = now.plusSeconds(1);
        }
        Instant end = to == null ? now : instant(to, true, "--to");
        Instant start = from == null ? end.minus(Duration.ofDays(90)) : instant(from, false, "--from");
        if (start.isAfter(end)) {
            throw new FixgateException("cli.bad-option", "--from is after --to");
        }
        String web = webUrl != null ? webUrl : webBase(ctx.config().github().apiUrl());
        if (!web.matches("https?://\\S+")) {
            throw new FixgateException("cli.bad-option", "--web-url must be an http(s) address");
        }
        EvidenceReport report = ReportBuilder.build(Snapshot.load(ctx.database()), new ReportBuilder.Options(start, end,
                ControlMap.of(Wiring.catalog(), fw), repo == null ? "" : repo, account == null ? "" : account, web, now));
        String text = switch (f) {
            case JSON -> Json.prettyInOrder(report) + "\n";
            case CSV -> CsvWriter.write(report);
            case OSCAL -> oscal(report);
            case HTML -> HtmlWriter.write(report);
        };
        if (out == null) {
            ctx.out().print(text);
            ctx.out().flush();
        } else {
            Path file = ctx.workingDir().resolve(out);
            try {
                if (file.getParent() != null) {
                    Files.createDirectories(file.getParent());
                }
                Files.writeString(file, text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ctx.err().println("report: " + f.name().toLowerCase(Locale.ROOT) + " written to " + file + " ("
                    + report.items().size() + " findings, " + report.summary().open() + " open, "
                    + report.summary().overdue() + " past their deadline)");
        }
        return ExitCodes.OK;
    }

    /** The OSCAL document, checked against NIST's schema first: an invalid one is a bug, never written. */
    private static String oscal(EvidenceReport report) {
        String doc = OscalWriter.write(report);
        List<String> problems = OscalSchema.problems(doc);
        if (!problems.isEmpty()) {
            throw new FixgateException("report.invalid-oscal", "the OSCAL document does not validate against NIST's"
                    + " schema (" + problems.size() + " problems, first: " + problems.getFirst() + ")");
        }
        return doc + "\n";
    }

    private static Format parseFormat(String value) {
        try {
            return Format.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new FixgateException("cli.bad-option", "--format must be json, csv, oscal or html");
        }
    }

    /** A date means the start of that day (UTC), or its end for {@code --to}; anything else must be an instant. */
    static Instant instant(String value, boolean endOfDay, String option) {
        try {
            LocalDate d = LocalDate.parse(value);
            return (endOfDay ? d.plusDays(1) : d).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notADate) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new FixgateException("cli.bad-option", option + " must be a date (2026-11-30) or an instant"
                        + " (2026-11-30T12:00:00Z)");
            }
        }
    }

    /** GitHub's web address for an API address: api.github.com → github.com; GHES …/api/v3 → its host. */
    static String webBase(URI api) {
        String host = api.getHost() == null ? "" : api.getHost();
        if (host.equals("api.github.com")) {
            return "https://github.com";
        }
        String base = api.getScheme() + "://" + api.getRawAuthority();
        String path = api.getRawPath() == null ? "" : api.getRawPath().replaceAll("/+$", "");
        return path.endsWith("/api/v3") ? base + path.substring(0, path.length() - "/api/v3".length()) : base;
    }
}
