package dev.fixgate.patch;

import java.util.Arrays;

/** Maps character offsets of a text to 1-based lines and back, and answers layout questions splicing needs. */
public final class LineIndex {

    private final String text;
    private final int[] starts;

    public LineIndex(String text) {
        this.text = text;
        int[] s = new int[16];
        int n = 0;
        s[n++] = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                if (n == s.length) {
                    s = Arrays.copyOf(s, n * 2);
                }
                s[n++] = i + 1;
            }
        }
        this.starts = Arrays.copyOf(s, n);
    }

    /** 1-based line of the character at {@code offset}. */
    public int lineOf(int offset) {
        int i = Arrays.binarySearch(starts, offset);
        return (i >= 0 ? i : -i - 2) + 1;
    }

    /** Offset of the first character of 1-based {@code line}. */
    public int lineStart(int line) {
        return starts[Math.max(0, Math.min(line, starts.length) - 1)];
    }

    /** Offset of the start of the line containing {@code offset}. */
    public int startOfLineAt(int offset) {
        return lineStart(lineOf(offset));
    }

    /** Offset just past the newline ending the line that contains {@code offset} (or the text's end). */
    public int nextLineStart(int offset) {
        int nl = text.indexOf('\n', offset);
        return nl < 0 ? text.length() : nl + 1;
    }

    /** The leading spaces/tabs of the line containing {@code offset}. */
    public String indentAt(int offset) {
        int s = startOfLineAt(offset);
        int e = s;
        while (e < text.length() && (text.charAt(e) == ' ' || text.charAt(e) == '\t')) {
            e++;
        }
        return text.substring(s, e);
    }

    /** True when only spaces/tabs stand between the start of its line and {@code offset}. */
    public boolean onlyBlankBefore(int offset) {
        for (int i = startOfLineAt(offset); i < offset; i++) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t') {
                return false;
            }
        }
        return true;
    }

    /** True when the 1-based line holds only whitespace. */
    public boolean isBlankLine(int line) {
        if (line < 1 || line > starts.length) {
            return false;
        }
        int s = starts[line - 1];
        int e = line < starts.length ? starts[line] : text.length();
        return text.substring(s, e).isBlank();
    }

    /** The line ending the text uses ({@code \r\n} if its first line break is one). */
    public String newline() {
        int nl = text.indexOf('\n');
        return nl > 0 && text.charAt(nl - 1) == '\r' ? "\r\n" : "\n";
    }
}
