package dev.fixgate.app.cli;

import dev.fixgate.app.group.Intake;
import dev.fixgate.app.ingest.Input;
import dev.fixgate.app.redact.Redactor;
import dev.fixgate.app.wiring.Wiring;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.FindingParseException;
import dev.fixgate.spi.finding.FindingParser;
import dev.fixgate.spi.finding.ParseContext;
import dev.fixgate.spi.finding.ParseLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Findings files read for offline commands ({@code assess}, {@code plan}): parsed, not stored. */
final class FindingFiles {

    private FindingFiles() {
    }

    /**
     * The active findings of {@code file} (format detected); every rejected record and an unreadable file is added
     * to {@code errors} with its place, and the good records are kept.
     */
    static List<Finding> read(Path file, String name, List<String> errors) {
        List<Finding> out = new ArrayList<>();
        int[] records = {0};
        if (!Files.isRegularFile(file)) {
            errors.add(name + ": no such file [cli.bad-input]");
            return out;
        }
        try (Input in = Input.of(name, Files.newInputStream(file))) {
            FindingParser parser = Wiring.parsers().detect(in.head(), name);
            parser.parse(in.stream(), new ParseContext(name, Wiring.controls(), Instant.now(), ParseLimits.defaults()),
                    new FindingParser.Sink() {
                        @Override
                        public void finding(Finding f) {
                            records[0]++;
                            if (f.active()) {
                                out.add(Redactor.redactFinding(f)); // what plan and assess print is redacted too
                            }
                        }

                        @Override
                        public void rejected(SourceLocation where, String code, String reason) {
                            records[0]++;
                            errors.add(where + ": " + reason + " [" + code + "]");
                        }
                    });
            if (records[0] == 0) {
                errors.add(name + ": " + Intake.noRecords(parser.format()) + " [" + Intake.NO_RECORDS + "]");
            }
        } catch (FindingParseException e) {
            errors.add(e.toString());
        } catch (IOException e) {
            errors.add(name + ": " + e.getMessage() + " [cli.bad-input]");
        }
        return out;
    }
}
