package dev.fixgate.patch;

import java.util.Locale;

/** String quoting shared by the writers. */
public final class Quoting {

    private Quoting() {
    }

    /** A JSON string literal (also a valid YAML double-quoted scalar). */
    public static String json(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /**
     * An HCL quoted string: HCL takes JSON's escapes, and {@code ${}}/{@code %{} would start a template, so they are
     * doubled to stay literal.
     */
    public static String hcl(String s) {
        return json(s).replace("${", "$${").replace("%{", "%%{");
    }
}
