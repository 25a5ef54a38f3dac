package dev.fixgate.spi.iac;

import java.util.Objects;

/** How a patch operation finds the one resource it must change in a file. */
public sealed interface ResourceSelector {

    /** Terraform address ({@code module.x.aws_s3_bucket.logs}, {@code aws_s3_bucket.b["k"]}) or CFN logical id. */
    record ByAddress(String address) implements ResourceSelector {
        public ByAddress {
            Objects.requireNonNull(address, "address");
        }
    }

    /** The resource of {@code type} whose literal attribute (or property) {@code name} equals {@code value}, e.g. a bucket name. */
    record ByAttribute(String type, String name, String value) implements ResourceSelector {
        public ByAttribute {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /** The resource whose block contains this 1-based line (SARIF results point at lines). */
    record ByLine(int line) implements ResourceSelector {
        public ByLine {
            if (line < 1) {
                throw new IllegalArgumentException("line must be >= 1");
            }
        }
    }
}
