package dev.fixgate.provider.common.resource;

import java.util.Optional;

/**
 * An AWS ARN split into its parts: {@code arn:partition:service:region:account-id:resource}. The resource part
 * keeps its own colons and slashes ({@code db:mydb}, {@code function:f:1}, {@code bucket/key}).
 */
public record Arn(String partition, String service, String region, String account, String resource) {

    /** Parses {@code text}; empty when it is not an ARN. */
    public static Optional<Arn> parse(String text) {
        if (!text.startsWith("arn:")) {
            return Optional.empty();
        }
        String[] parts = text.split(":", 6);
        if (parts.length < 6 || parts[1].isEmpty() || parts[2].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Arn(parts[1], parts[2], parts[3], parts[4], parts[5]));
    }

    @Override
    public String toString() {
        return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource;
    }
}
