package dev.fixgate.patch;

import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.iac.PatchResult;

/**
 * The stable codes of {@link PatchResult.CannotPatch} results, in one place so the safety stage and the
 * playbooks can match on them.
 */
public final class Outcomes {

    /** The selector matched no resource in the file. */
    public static final String RESOURCE_NOT_FOUND = "patch.resource-not-found";
    /** The selector matched more than one resource (or a path matched more than one nested block). */
    public static final String AMBIGUOUS = "patch.ambiguous-target";
    /** The value to change is a variable/parameter we cannot follow to one place. */
    public static final String VALUE_FROM_VARIABLE = "patch.value-from-variable";
    /** The value is a computed expression (function call, conditional, intrinsic): editing it is a judgement call. */
    public static final String VALUE_IS_EXPRESSION = "patch.value-is-expression";
    /** The value is shared (a variable or local used elsewhere, a YAML anchor): editing it changes other resources. */
    public static final String VALUE_SHARED = "patch.value-shared";
    /** The operation does not apply to this kind of resource or file. */
    public static final String NOT_APPLICABLE = "patch.not-applicable";
    /** The file does not parse. */
    public static final String PARSE_ERROR = PatchException.PARSE_ERROR;
    /** The edit would leave the resource without something it needs (e.g. a rule without a source). */
    public static final String UNSAFE_EDIT = "patch.unsafe-edit";
    /** After editing, re-reading the output did not show the intended value: a bug guard, never expected. */
    public static final String SELF_CHECK_FAILED = "patch.self-check-failed";

    private Outcomes() {
    }

    public static PatchResult.CannotPatch cannot(String code, String reason, String file, long line) {
        return new PatchResult.CannotPatch(code, reason, SourceLocation.at(file, line));
    }

    public static PatchResult.CannotPatch of(PatchException e, String file) {
        return new PatchResult.CannotPatch(e.code(), e.getMessage(), e.location().orElse(SourceLocation.of(file)));
    }
}
