package dev.fixgate.patch.terraform;

import dev.fixgate.patch.Outcomes;
import dev.fixgate.spi.iac.PatchResult;

/** Unwinds an operation that has decided it cannot patch safely; caught at the operation boundary, never escapes. */
final class Refusal extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final transient PatchResult.CannotPatch result;

    Refusal(PatchResult.CannotPatch result) {
        super(result.reason(), null, false, false);
        this.result = result;
    }

    static Refusal at(String code, String reason, HclDocument doc, int offset) {
        return new Refusal(Outcomes.cannot(code, reason, doc.path(), doc.lineOf(offset)));
    }
}
