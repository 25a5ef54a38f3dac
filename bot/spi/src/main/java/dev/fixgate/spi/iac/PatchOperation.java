package dev.fixgate.spi.iac;

import java.util.Set;

/**
 * One kind of targeted edit — set an attribute, ensure a nested block, add a companion resource — as an
 * immutable value holding its parameters. Playbooks compose operations by {@link #id()}.
 *
 * <p>An operation is pure: given the same file and selector it returns the same result, it never touches
 * disk, and applying it to its own output yields {@link PatchResult.AlreadyCompliant}.
 */
public interface PatchOperation {

    /** Stable id playbooks refer to, e.g. {@code terraform.ensure_block}. */
    String id();

    /** The formats this operation can edit. */
    Set<IacFormat> formats();

    PatchResult apply(SourceFile file, ResourceSelector target);

    /**
     * Applies the operation knowing the rest of the module ({@link PatchContext}): operations that follow
     * variables or look for companion resources override this; the default ignores the context.
     */
    default PatchResult apply(SourceFile file, ResourceSelector target, PatchContext context) {
        return apply(file, target);
    }
}
