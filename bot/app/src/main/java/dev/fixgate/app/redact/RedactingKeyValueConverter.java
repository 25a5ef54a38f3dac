package dev.fixgate.app.redact;

import ch.qos.logback.classic.pattern.KeyValuePairConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** Logback {@code %kvp} (structured fields), redacted like messages. */
public final class RedactingKeyValueConverter extends KeyValuePairConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return Redactor.redact(super.convert(event));
    }
}
