package dev.fixgate.app.prevent.guardrail;

import dev.fixgate.spi.error.FixgateException;
import dev.fixgate.spi.error.SourceLocation;

/**
 * A guardrail that cannot be rendered as it would be delivered: a playbook's guardrail data the renderer does not
 * accept (located at the playbook's {@code playbook.yaml} and the JSON pointer of the offending value), a target
 * that is no organisation unit, account, management group, subscription, folder or project, a parameter nobody
 * set, or statements that do not fit the quotas.
 */
public final class GuardrailException extends FixgateException {

    private static final long serialVersionUID = 1L;

    public GuardrailException(String code, String message) {
        super(code, message);
    }

    public GuardrailException(String code, String message, SourceLocation location) {
        super(code, message, location);
    }
}
