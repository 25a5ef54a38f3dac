package dev.fixgate.spi.iac;

import dev.fixgate.spi.error.SourceLocation;
import java.util.List;
import java.util.Objects;

/** What a patch operation did. A failed operation produces {@link CannotPatch} and no text. */
public sealed interface PatchResult {

    /**
     * The file was changed; {@code text} is the whole new file. {@code otherFiles} holds the whole new text of
     * any other file the fix had to change (the tfvars or variable default a value came from); usually empty.
     */
    record Changed(String text, String summary, List<SourceFile> otherFiles) implements PatchResult {
        public Changed {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(summary, "summary");
            otherFiles = List.copyOf(Objects.requireNonNull(otherFiles, "otherFiles"));
        }

        public Changed(String text, String summary) {
            this(text, summary, List.of());
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
