package dev.fixgate.policy;

import java.util.Locale;
import java.util.Objects;

/**
 * One gate policy: when {@code condition} (CEL over {@code input}) is true, {@code effect} applies. There is no
 * allow effect: policies only ever restrict.
 *
 * @param source where it was loaded from ({@code builtin:change-window.yaml}, a file path), for messages
 */
public record Policy(String id, String description, String condition, Effect effect, String message, OnDeny onDeny,
                     String source) {

    public Policy {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(onDeny, "onDeny");
        Objects.requireNonNull(source, "source");
    }

    public enum Effect {
        DENY, NEEDS_APPROVAL;

        public static Effect of(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }

    /** What happens to a denied fix: an issue for its owners, or only the record (try again later). */
    public enum OnDeny {
        ROUTE_TO_OWNER, RECORD_ONLY;

        public static OnDeny of(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }
}
