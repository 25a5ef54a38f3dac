package dev.fixgate.spi.finding;

import java.util.Locale;

/** The cloud a resource lives in. {@link #UNKNOWN} when a source does not say (for example a SARIF result). */
public enum Cloud {
    AWS, AZURE, GCP, UNKNOWN;

    /** Lower-case name used in canonical keys and control ids ({@code aws}, {@code azure}, …). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
