package dev.fixgate.spi.finding;

import dev.fixgate.spi.error.SourceLocation;
import java.time.Instant;
import java.util.Objects;

/**
 * One record from one tool, normalised. Several findings with the same {@link #fingerprint()} are sightings of
 * the same problem; group merges them.
 *
 * @param sourceTool      the tool that reported it ({@code securityhub}, {@code prowler}, {@code checkov}, …)
 * @param sourceId        the tool's own id of this record (ASFF {@code Id}, OCSF {@code finding_info.uid}, …)
 * @param control         canonical control, or {@code unmapped:<tool>:<id>}
 * @param sourceControlId the tool's control id as written ({@code S3.8}, {@code CKV_AWS_53}, …)
 * @param severity        normalised severity
 * @param sourceSeverity  the severity as the tool wrote it
 * @param resource        what it is about
 * @param title           the tool's one-line title; may be empty
 * @param active          false when the source reports the problem as gone (archived, resolved, passed)
 * @param firstSeen       when the tool first saw it (or observed it, when the tool does not say)
 * @param lastSeen        when the tool last saw it
 * @param raw             where the source record is: file, line and JSON pointer
 */
public record Finding(
        String sourceTool,
        String sourceId,
        ControlId control,
        String sourceControlId,
        Severity severity,
        String sourceSeverity,
        ResourceRef resource,
        String title,
        boolean active,
        Instant firstSeen,
        Instant lastSeen,
        SourceLocation raw) {

    public Finding {
        Objects.requireNonNull(sourceTool, "sourceTool");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(sourceControlId, "sourceControlId");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(sourceSeverity, "sourceSeverity");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(raw, "raw");
        if (sourceTool.isBlank()) {
            throw new IllegalArgumentException("sourceTool must not be blank");
        }
        if (lastSeen.isBefore(firstSeen)) {
            throw new IllegalArgumentException("lastSeen " + lastSeen + " is before firstSeen " + firstSeen);
        }
    }

    public Fingerprint fingerprint() {
        return Fingerprint.of(control, resource);
    }
}
