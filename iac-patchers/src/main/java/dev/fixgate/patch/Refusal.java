package dev.fixgate.patch;

import dev.fixgate.spi.iac.PatchResult;

/**
 * Unwinds an operation that has decided it cannot patch safely. Operations throw it from deep inside their
 * search and catch it at their boundary, turning it into the {@link PatchResult.CannotPatch} it carries; it never
 * escapes an operation.
 */
public final class Refusal extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient PatchResult.CannotPatch result;

    public Refusal(PatchResult.CannotPatch result) {
        super(result.reason(), null, false, false);
        this.result = result;
    }

    public static Refusal of(String code, String reason, String file, long line) {
        return new Refusal(Outcomes.cannot(code, reason, file, line));
    }

    public PatchResult.CannotPatch result() {
        return result;
    }
}
