package dev.fixgate.spi.iac;

import dev.fixgate.spi.error.SourceLocation;
import java.util.Objects;

/** What a patch operation did. A failed operation produces {@link CannotPatch} and no text. */
public sealed interface PatchResult {

    /** The file was changed; {@code text} is the whole new file. */
    record Changed(String text, String summary) implements PatchResult {
        public Changed {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(summary, "summary");
        }
    }

    /** Nothing to do: the fix is already present (in the block, or in a companion resource). */
    record AlreadyCompliant(String reason) implements PatchResult {
        public AlreadyCompliant {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The operation refused, for a reason a reviewer should see: the value comes from a module input, the
     * resource was not found, the file did not parse. {@code code} is stable (e.g. {@code patch.value-from-variable}).
     */
    record CannotPatch(String code, String reason, SourceLocation location) implements PatchResult {
        public CannotPatch {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(location, "location");
        }
    }
}
