package dev.fixgate.patch;

/**
 * Which security-group rules a finding is about, by port: any rule, or the rules covering a port ({@code 22}) or
 * a whole range ({@code 0-65535}: a fully open rule). A rule covers the range when its from..to contains it or its
 * protocol is "all" ({@code -1}); a rule whose ports are not literal numbers, or not a range (FromPort 80, ToPort 0),
 * is assumed to cover it, so an open rule is never missed because its ports come from a variable.
 */
public sealed interface PortFilter permits PortFilter.Any, PortFilter.Covering {

    /** Whether a rule with these values matches; an absent value is the empty string. */
    boolean matches(String protocol, String fromPort, String toPort);

    /**
     * Whether a rule whose ports are written as port specs matches: Azure's {@code destination_port_range(s)}
     * ({@code "22"}, {@code "*"}, {@code "20-30"}), GCP's {@code ports} ({@code "22"}, {@code "1-65535"}); an empty
     * list means every port (GCP: no ports = all). A spec that is not a literal port, range or {@code *} (a variable)
     * is assumed to cover, as for {@link #matches}.
     */
    default boolean matchesSpecs(String protocol, java.util.List<String> specs) {
        if (specs.isEmpty()) {
            return matches(protocol, "", "");
        }
        for (String spec : specs) {
            String s = spec.strip();
            if (s.equals("*")) {
                return matches(protocol, "0", "65535");
            }
            int dash = s.indexOf('-', 1);
            String from = dash < 0 ? s : s.substring(0, dash).strip();
            String to = dash < 0 ? s : s.substring(dash + 1).strip();
            if (matches(protocol, from, to)) {
                return true;
            }
        }
        return false;
    }

    /** Every rule. */
    record Any() implements PortFilter {
        @Override
        public boolean matches(String protocol, String fromPort, String toPort) {
            return true;
        }

        @Override
        public String toString() {
            return "any port";
        }
    }

    /** Rules whose ports include all of {@code from..to}. */
    record Covering(int from, int to) implements PortFilter {
        public Covering {
            if (from < 0 || to < from || to > 65535) {
                throw new IllegalArgumentException("bad port range " + from + "-" + to);
            }
        }

        @Override
        public boolean matches(String protocol, String fromPort, String toPort) {
            if (protocol.equals("-1") || protocol.equalsIgnoreCase("all") || protocol.equals("*")) {
                return true;
            }
            if (!fromPort.matches("-?\\d+") || !toPort.matches("-?\\d+")) {
                return true;
            }
            int f = Integer.parseInt(fromPort);
            int t = Integer.parseInt(toPort);
            return f == -1 || t < f || f <= from && to <= t;
        }

        @Override
        public String toString() {
            return from == to ? "port " + from : "ports " + from + "-" + to;
        }
    }

    /** {@code port: 22} or {@code port: 0-65535}; absent means any rule. */
    static PortFilter param(Params p, String key) {
        if (!p.has(key)) {
            return new Any();
        }
        String s = p.string(key).strip();
        try {
            int dash = s.indexOf('-');
            return dash < 0 ? new Covering(Integer.parseInt(s), Integer.parseInt(s))
                    : new Covering(Integer.parseInt(s.substring(0, dash).strip()), Integer.parseInt(s.substring(dash + 1).strip()));
        } catch (IllegalArgumentException e) {
            throw p.invalid("'" + key + "' must be a port (22) or a range (0-65535), got '" + s + "'");
        }
    }
}
