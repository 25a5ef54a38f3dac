package dev.fixgate.playbooks.controls;

import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.Severity;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One canonical control of the catalog: what is wrong, and the ids each tool uses for it.
 *
 * @param id            canonical id, {@code cloud.service.resource.check}
 * @param title         one line, phrased as the desired state
 * @param severity      default severity when a source gives none of its own
 * @param resourceTypes resource types it applies to, in any tool's vocabulary
 * @param toolIds       tool name → that tool's ids for this control
 * @param source        the catalog file it was read from
 */
public record CanonicalControl(ControlId id, String title, Severity severity, List<String> resourceTypes,
                               Map<String, List<String>> toolIds, String source) {

    public CanonicalControl {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(source, "source");
        resourceTypes = List.copyOf(resourceTypes);
        toolIds = Map.copyOf(toolIds);
        if (!id.isMapped()) {
            throw new IllegalArgumentException("a canonical control cannot be unmapped: " + id);
        }
    }
}
