package dev.fixgate.app.redact;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random strings that a regular expression matches, for the subset of Java's syntax the secret rules use: literals
 * and escapes, character classes (ranges, {@code \w \d \s \S}, negation), {@code .}, groups (capturing,
 * non-capturing, with inline flags), alternation and every quantifier. Anchors, word boundaries and lookarounds
 * produce nothing: a sample that needed them is checked against the real pattern by the caller. Alongside the text
 * it gives what each capturing group produced, so the caller knows which part is the secret.
 */
final class RegexSamples {

    /** A generated string and the text of each capturing group (index → text; a group that did not take part is absent). */
    record Sample(String text, Map<Integer, String> groups) {
    }

    private static final String PRINTABLE;

    static {
        StringBuilder sb = new StringBuilder();
        for (char c = 0x21; c < 0x7F; c++) {
            sb.append(c);
        }
        PRINTABLE = sb.toString();
    }

    private final String re;
    private final Random random;
    private int at;
    private int groups;

    private RegexSamples(String re, Random random) {
        this.re = re;
        this.random = random;
    }

    static Sample sample(String javaRegex, Random random) {
        RegexSamples p = new RegexSamples(javaRegex, random);
        Node root = p.alternation();
        if (p.at != javaRegex.length()) {
            throw new IllegalArgumentException("unexpected '" + javaRegex.charAt(p.at) + "' at " + p.at + " in " + javaRegex);
        }
        StringBuilder out = new StringBuilder();
        Map<Integer, String> captured = new HashMap<>();
        root.emit(out, random, captured);
        return new Sample(out.toString(), captured);
    }

    // --- the tree ---

    private interface Node {
        void emit(StringBuilder out, Random r, Map<Integer, String> groups);
    }

    private record Alt(List<Node> options) implements Node {
        public void emit(StringBuilder out, Random r, Map<Integer, String> groups) {
            options.get(r.nextInt(options.size())).emit(out, r, groups);
        }
    }

    private record Seq(List<Node> items) implements Node {
        public void emit(StringBuilder out, Random r, Map<Integer, String> groups) {
            for (Node n : items) {
                n.emit(out, r, groups);
            }
        }
    }

    private record Group(int index, Node body) implements Node {
        public void emit(StringBuilder out, Random r, Map<Integer, String> groups) {
            int start = out.length();
            body.emit(out, r, groups);
            if (index > 0) {
                groups.put(index, out.substring(start));
            }
        }
    }

    private record Repeat(Node body, int min, int max) implements Node {
        public void emit(StringBuilder out, Random r, Map<Integer, String> groups) {
            // Long optional runs ({0,50}) stay short; required lengths ({32}, {20,40}) are honoured.
            int upper = Math.min(max, min + (min == 0 ? 3 : 12));
            int n = min + (upper > min ? r.nextInt(upper - min + 1) : 0);
            for (int i = 0; i < n; i++) {
                body.emit(out, r, groups);
            }
        }
    }

    private record Chars(String choices) implements Node {
        public void emit(StringBuilder out, Random r, Map<Integer, String> groups) {
            out.append(choices.charAt(r.nextInt(choices.length())));
        }
    }

    private record Nothing() implements Node {
        public void emit(StringBuilder out, Random r, Map<Integer, String> groups) {
        }
    }

    // --- the parser ---

    private Node alternation() {
        List<Node> options = new ArrayList<>();
        options.add(sequence());
        while (at < re.length() && re.charAt(at) == '|') {
            at++;
            options.add(sequence());
        }
        return options.size() == 1 ? options.getFirst() : new Alt(options);
    }

    private Node sequence() {
        List<Node> items = new ArrayList<>();
        while (at < re.length() && re.charAt(at) != '|' && re.charAt(at) != ')') {
            Node atom = atom();
            items.add(quantified(atom));
        }
        return new Seq(items);
    }

    private Node quantified(Node atom) {
        if (at >= re.length()) {
            return atom;
        }
        char c = re.charAt(at);
        int min;
        int max;
        if (c == '*') {
            min = 0;
            max = 8;
            at++;
        } else if (c == '+') {
            min = 1;
            max = 8;
            at++;
        } else if (c == '?') {
            min = 0;
            max = 1;
            at++;
        } else if (c == '{' && Character.isDigit(peek(1))) {
            int close = re.indexOf('}', at);
            String[] parts = re.substring(at + 1, close).split(",", -1);
            min = Integer.parseInt(parts[0]);
            max = parts.length == 1 ? min : parts[1].isEmpty() ? min + 8 : Integer.parseInt(parts[1]);
            at = close + 1;
        } else {
            return atom;
        }
        if (at < re.length() && (re.charAt(at) == '?' || re.charAt(at) == '+')) {
            at++; // lazy or possessive: the same strings
        }
        return new Repeat(atom, min, max);
    }

    private char peek(int ahead) {
        return at + ahead < re.length() ? re.charAt(at + ahead) : 0;
    }

    private Node atom() {
        char c = re.charAt(at);
        switch (c) {
            case '(' -> {
                return group();
            }
            case '[' -> {
                return new Chars(charClass());
            }
            case '.' -> {
                at++;
                return new Chars(PRINTABLE);
            }
            case '^', '$' -> {
                at++;
                return new Nothing();
            }
            case '\\' -> {
                return escape();
            }
            default -> {
                at++;
                return new Chars(String.valueOf(c));
            }
        }
    }

    private Node group() {
        at++; // (
        int index = 0;
        boolean discard = false;
        if (re.startsWith("?", at)) {
            if (re.startsWith("?=", at) || re.startsWith("?!", at)) {
                at += 2;
                discard = true;
            } else if (re.startsWith("?<=", at) || re.startsWith("?<!", at)) {
                at += 3;
                discard = true;
            } else {
                // (?:…), (?i:…), (?-i:…), (?s:…), or a bare flag group (?i)
                int colon = at;
                while (colon < re.length() && re.charAt(colon) != ':' && re.charAt(colon) != ')') {
                    colon++;
                }
                if (re.charAt(colon) == ')') {
                    at = colon + 1;
                    return new Nothing();
                }
                at = colon + 1;
            }
        } else {
            index = ++groups;
        }
        Node body = alternation();
        if (at >= re.length() || re.charAt(at) != ')') {
            throw new IllegalArgumentException("unclosed group in " + re);
        }
        at++;
        return discard ? new Nothing() : new Group(index, body);
    }

    private Node escape() {
        char e = peek(1);
        at += 2;
        return switch (e) {
            case 'b', 'B', 'z', 'Z', 'A', 'G' -> new Nothing();
            case 'w', 'd', 's', 'S', 'W', 'D' -> new Chars(shorthand(e));
            case 'x' -> {
                char ch = (char) Integer.parseInt(re.substring(at, at + 2), 16);
                at += 2;
                yield new Chars(String.valueOf(ch));
            }
            case 'n' -> new Chars("\n");
            case 'r' -> new Chars("\r");
            case 't' -> new Chars("\t");
            default -> new Chars(String.valueOf(e));
        };
    }

    private static String shorthand(char e) {
        return switch (e) {
            case 'w' -> "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
            case 'd' -> "0123456789";
            case 's' -> " ";
            case 'S', 'W', 'D' -> e == 'S' ? PRINTABLE : e == 'W' ? " .-,;" : "abcXYZ-_";
            default -> throw new IllegalArgumentException("\\" + e);
        };
    }

    /** A class as the characters it allows (printable ASCII, tab and newline only). */
    private String charClass() {
        at++; // [
        boolean negate = false;
        if (re.charAt(at) == '^') {
            negate = true;
            at++;
        }
        StringBuilder set = new StringBuilder();
        boolean first = true;
        while (at < re.length() && (re.charAt(at) != ']' || first)) {
            first = false;
            char c = re.charAt(at);
            String piece;
            if (c == '\\') {
                char e = peek(1);
                at += 2;
                if ("wdsSWD".indexOf(e) >= 0) {
                    set.append(shorthand(e));
                    continue;
                }
                if (e == 'x') {
                    c = (char) Integer.parseInt(re.substring(at, at + 2), 16);
                    at += 2;
                } else {
                    c = e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : e;
                }
                piece = String.valueOf(c);
            } else {
                at++;
                piece = String.valueOf(c);
            }
            if (at + 1 < re.length() && re.charAt(at) == '-' && re.charAt(at + 1) != ']') {
                at++;
                char hi = re.charAt(at);
                if (hi == '\\') {
                    hi = peek(1) == 'x' ? (char) Integer.parseInt(re.substring(at + 2, at + 4), 16) : peek(1);
                    at += peek(1) == 'x' ? 4 : 2;
                } else {
                    at++;
                }
                for (char x = piece.charAt(0); x <= hi; x++) {
                    set.append(x);
                }
            } else {
                set.append(piece);
            }
        }
        at++; // ]
        if (!negate) {
            return set.toString();
        }
        StringBuilder allowed = new StringBuilder();
        for (char c : (PRINTABLE + " ").toCharArray()) {
            if (set.indexOf(String.valueOf(c)) < 0) {
                allowed.append(c);
            }
        }
        return allowed.toString();
    }
}
