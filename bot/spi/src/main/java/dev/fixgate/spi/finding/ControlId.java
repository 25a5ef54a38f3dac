package dev.fixgate.spi.finding;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A canonical control id such as {@code aws.s3.bucket.public_access_block}: what is wrong, independent of the
 * tool that said so. A tool-specific id that the control catalog does not know is kept as
 * {@code unmapped:<tool>:<id>} — never dropped — so that it can be reported and mapped later.
 */
public record ControlId(String value) {

    private static final String UNMAPPED = "unmapped:";
    private static final Pattern CANONICAL = Pattern.compile("[a-z0-9]+(\\.[a-z0-9_]+)+");

    public ControlId {
        Objects.requireNonNull(value, "value");
        if (!value.startsWith(UNMAPPED) && !CANONICAL.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "control id must be dotted lower-case (cloud.service.resource.check) or unmapped:<tool>:<id>: "
                            + value);
        }
        if (value.startsWith(UNMAPPED) && value.indexOf(':', UNMAPPED.length()) < 0) {
            throw new IllegalArgumentException("unmapped control id needs a tool and an id: " + value);
        }
    }

    public static ControlId canonical(String value) {
        return new ControlId(value);
    }

    public static ControlId unmapped(String tool, String toolControlId) {
        return new ControlId(UNMAPPED + tool + ":" + toolControlId);
    }

    public boolean isMapped() {
        return !value.startsWith(UNMAPPED);
    }

    @Override
    public String toString() {
        return value;
    }
}
