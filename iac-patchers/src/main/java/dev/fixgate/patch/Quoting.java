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

    /** An expression for a message: its first line, cut at 60 characters, so a reason stays one readable line. */
    public static String snippet(String source) {
        String s = source.strip();
        int nl = s.indexOf('\n');
        String first = nl < 0 ? s : s.substring(0, nl).strip() + " …";
        return first.length() > 60 ? first.substring(0, 57) + "..." : first;
    }

    /**
     * An HCL quoted string: HCL takes JSON's escapes, and {@code ${}}/{@code %{} would start a template, so they are
     * doubled to stay literal.
     */
    public static String hcl(String s) {
        return json(s).replace("${", "$${").replace("%{", "%%{");
    }
}
