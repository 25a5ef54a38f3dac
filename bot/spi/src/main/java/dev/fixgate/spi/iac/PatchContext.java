package dev.fixgate.spi.iac;

import java.util.List;
import java.util.Objects;

/**
 * What an operation may look at besides the file it patches: the other files of the same Terraform module
 * (variable defaults, {@code locals}, provider {@code default_tags}, companion resources) and the tfvars that
 * set its variables. Values only; whoever builds it has read the files, so operations stay pure.
 *
 * @param moduleFiles files of the module other than the patched one, plus tfvars; may be empty
 */
public record PatchContext(List<SourceFile> moduleFiles) {

    private static final PatchContext NONE = new PatchContext(List.of());

    public PatchContext {
        moduleFiles = List.copyOf(Objects.requireNonNull(moduleFiles, "moduleFiles"));
    }

    /** No other files known: operations decide from the patched file alone. */
    public static PatchContext none() {
        return NONE;
    }
}
