package dev.fixgate.provider.common.resource;

import java.util.Optional;

/**
 * An AWS ARN split into its parts: {@code arn:partition:service:region:account-id:resource}. The resource part
 * keeps its own colons and slashes ({@code db:mydb}, {@code function:f:1}, {@code bucket/key}).
 */
public record Arn(String partition, String service, String region, String account, String resource) {

    /** Parses {@code text}; empty when it is not an ARN. Splits by hand: it runs once per ingested finding. */
    public static Optional<Arn> parse(String text) {
        if (!text.startsWith("arn:")) {
            return Optional.empty();
        }
        int[] colons = new int[5];
        colons[0] = 3;
        for (int i = 1; i < 5; i++) {
            colons[i] = text.indexOf(':', colons[i - 1] + 1);
            if (colons[i] < 0) {
                return Optional.empty();
            }
        }
        String partition = text.substring(colons[0] + 1, colons[1]);
        String service = text.substring(colons[1] + 1, colons[2]);
        if (partition.isEmpty() || service.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Arn(partition, service, text.substring(colons[2] + 1, colons[3]),
                text.substring(colons[3] + 1, colons[4]), text.substring(colons[4] + 1)));
    }

    @Override
    public String toString() {
        return "arn:" + partition + ":" + service + ":" + region + ":" + account + ":" + resource;
    }
}
