package dev.fixgate.patch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Replace {@code [start, end)} of a text with {@code replacement}. Operations compute edits against the original
 * text and splice them in one go, so everything outside the edited ranges stays byte-identical by construction.
 */
public record TextEdit(int start, int end, String replacement) {

    public TextEdit {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad edit range " + start + ".." + end);
        }
    }

    public static TextEdit insert(int at, String text) {
        return new TextEdit(at, at, text);
    }

    /** Applies non-overlapping edits (in any order) to {@code text}. */
    public static String apply(String text, List<TextEdit> edits) {
        List<TextEdit> sorted = new ArrayList<>(edits);
        sorted.sort(Comparator.comparingInt(TextEdit::start).thenComparingInt(TextEdit::end));
        StringBuilder out = new StringBuilder(text.length() + 256);
        int pos = 0;
        for (TextEdit e : sorted) {
            if (e.start < pos || e.end > text.length()) {
                throw new IllegalArgumentException("overlapping or out-of-range edit " + e);
            }
            out.append(text, pos, e.start).append(e.replacement);
            pos = e.end;
        }
        return out.append(text, pos, text.length()).toString();
    }
}
