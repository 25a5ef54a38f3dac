package dev.fixgate.patch.terraform;

import dev.fixgate.patch.Refusal;

/** Refusals located at an offset of a Terraform document. */
final class Refusals {

    private Refusals() {
    }

    static Refusal at(String code, String reason, HclDocument doc, int offset) {
        return Refusal.of(code, reason, doc.path(), doc.lineOf(offset));
    }
}
