package dev.fixgate.app.group;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * What one ingest run did, as printed by {@code fixgate ingest --json} and returned by
 * {@code POST /api/v1/findings}.
 *
 * @param records      source records read (findings plus rejected records)
 * @param findings     distinct findings (fingerprints) among them
 * @param duplicates   records that repeated a finding already read in this run (another tool, another scan)
 * @param rejected     records skipped because they were malformed
 * @param stored       what the store did with the findings: new, seen_again, resolved, reopened, unchanged, …
 * @param initiatives  the initiatives the findings belong to, with how many findings each holds
 * @param errors       rejected records and unreadable inputs, each with its location (at most {@link #MAX_ERRORS})
 * @param errorsTotal  all errors, including those not listed
 * @param unmapped     tool controls the catalog does not know, kept as {@code unmapped:<tool>:<id>}
 * @param files        per input
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record IngestSummary(long records, long findings, long duplicates, long rejected, Map<String, Long> stored,
                            List<InitiativeLine> initiatives, List<Error> errors, long errorsTotal,
                            List<Unmapped> unmapped, List<FileLine> files) {

    public static final int MAX_ERRORS = 1000;

    public boolean hasErrors() {
        return errorsTotal > 0;
    }

    /**
     * @param findings findings of this run in the initiative
     * @param total    findings the initiative holds in the store, across all runs
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record InitiativeLine(String id, String control, String scope, String severity, long findings, long total) {
    }

    /** A rejected record or an unreadable input. {@code line} is 0 and {@code pointer} empty when unknown. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Error(String file, long line, String pointer, String code, String message) {
        @Override
        public String toString() {
            return file + (line > 0 ? ":" + line : "") + (pointer.isEmpty() ? "" : " (" + pointer + ")") + ": "
                    + message + " [" + code + "]";
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Unmapped(String tool, String id, long records) {
    }

    /** @param error empty, or why the input could not be read to the end */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record FileLine(String file, String format, long records, long findings, long rejected, String error) {
    }
}
