package dev.fixgate.app.config;

import dev.fixgate.spi.error.SourceLocation;
import java.util.Objects;

/**
 * One thing wrong with a configuration file.
 *
 * @param code     stable code: {@code config.unknown-key}, {@code config.wrong-type}, {@code config.missing-secret}, …
 * @param location file:line:column of the offending key or value
 * @param pointer  JSON pointer of the offending value, e.g. {@code /automerge/merge_method}; empty for the whole file
 * @param message  what is wrong and, where we can tell, how to fix it
 */
public record ConfigProblem(String code, SourceLocation location, String pointer, String message) {

    public ConfigProblem {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(message, "message");
    }

    /** The key path in dotted form ({@code automerge.merge_method}, {@code api.tokens[0].name}). */
    public String key() {
        if (pointer.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (String token : pointer.substring(1).split("/", -1)) {
            String t = token.replace("~1", "/").replace("~0", "~");
            if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
                sb.append('[').append(t).append(']');
            } else {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(t);
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        String key = key();
        return location + ": " + (key.isEmpty() ? "" : key + ": ") + message + " [" + code + "]";
    }
}
