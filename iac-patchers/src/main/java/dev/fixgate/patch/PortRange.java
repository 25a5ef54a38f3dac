package dev.fixgate.patch;

import java.util.Optional;

/**
 * The ports a security-group rule must cover to be the one a finding is about: {@code 22} (SSH) or
 * {@code 0-65535} (a fully open rule). A rule covers it when its from..to range contains the whole range or
 * its protocol is "all" ({@code -1}); a rule whose range is not literal or not a range is assumed to cover it,
 * so an open rule is never missed because its ports come from a variable or are malformed.
 */
public record PortRange(int from, int to) {

    public PortRange {
        if (from < 0 || to < from || to > 65535) {
            throw new IllegalArgumentException("bad port range " + from + "-" + to);
        }
    }

    public static Optional<PortRange> param(Params p, String key) {
        Optional<String> raw = p.optString(key);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        String s = raw.get().strip();
        try {
            int dash = s.indexOf('-');
            PortRange r = dash < 0 ? new PortRange(Integer.parseInt(s), Integer.parseInt(s))
                    : new PortRange(Integer.parseInt(s.substring(0, dash).strip()), Integer.parseInt(s.substring(dash + 1).strip()));
            return Optional.of(r);
        } catch (IllegalArgumentException e) {
            throw p.invalid("'" + key + "' must be a port (22) or a range (0-65535), got '" + s + "'");
        }
    }

    /** Whether a rule with these (possibly absent or non-numeric) values covers this range. */
    public boolean coveredBy(Optional<String> protocol, Optional<String> fromPort, Optional<String> toPort) {
        if (protocol.isPresent() && (protocol.get().equals("-1") || protocol.get().equalsIgnoreCase("all"))) {
            return true;
        }
        if (fromPort.isEmpty() || toPort.isEmpty() || !fromPort.get().matches("-?\\d+") || !toPort.get().matches("-?\\d+")) {
            return true;
        }
        int f = Integer.parseInt(fromPort.get());
        int t = Integer.parseInt(toPort.get());
        // -1, or a range that ends before it starts (FromPort 80, ToPort 0), cannot be read: assume it covers
        return f == -1 || t < f || f <= from && to <= t;
    }

    @Override
    public String toString() {
        return from == to ? String.valueOf(from) : from + "-" + to;
    }
}
