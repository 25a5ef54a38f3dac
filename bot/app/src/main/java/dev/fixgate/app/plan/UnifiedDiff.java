package dev.fixgate.app.plan;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;

/** Git-style unified diffs of in-memory text (JGit's histogram diff), and their line counts. */
public final class UnifiedDiff {

    /** A file's diff and how many lines it adds and removes. */
    public record FileDiff(String path, String text, int added, int removed) {
    }

    private UnifiedDiff() {
    }

    public static FileDiff of(String path, String before, String after) {
        RawText a = new RawText(before.getBytes(StandardCharsets.UTF_8));
        RawText b = new RawText(after.getBytes(StandardCharsets.UTF_8));
        EditList edits = DiffAlgorithm.getAlgorithm(DiffAlgorithm.SupportedAlgorithm.HISTOGRAM)
                .diff(RawTextComparator.DEFAULT, a, b);
        int added = 0;
        int removed = 0;
        for (Edit e : edits) {
            added += e.getLengthB();
            removed += e.getLengthA();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("diff --git a/" + path + " b/" + path + "\n--- a/" + path + "\n+++ b/" + path + "\n")
                .getBytes(StandardCharsets.UTF_8));
        try (DiffFormatter f = new DiffFormatter(out)) {
            f.setContext(3);
            f.format(edits, a, b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new FileDiff(path, edits.isEmpty() ? "" : out.toString(StandardCharsets.UTF_8), added, removed);
    }
}
