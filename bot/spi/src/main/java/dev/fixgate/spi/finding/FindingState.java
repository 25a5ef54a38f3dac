package dev.fixgate.spi.finding;

/**
 * Lifecycle of a finding as fixgate tracks it across scans.
 * NEW on first sighting; OPEN when seen again; RESOLVED when the source says it is gone (ASFF
 * {@code RecordState=ARCHIVED}, workflow {@code RESOLVED}, OCSF status, a passing check); REOPENED when a
 * resolved finding is reported active again.
 */
public enum FindingState {
    NEW, OPEN, RESOLVED, REOPENED;

    public boolean isActive() {
        return this != RESOLVED;
    }
}
