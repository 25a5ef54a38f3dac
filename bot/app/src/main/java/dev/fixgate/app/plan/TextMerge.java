package dev.fixgate.app.plan;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.merge.MergeAlgorithm;
import org.eclipse.jgit.merge.MergeChunk;
import org.eclipse.jgit.merge.MergeResult;

/**
 * A line-based three-way merge of two edits of one text (JGit's diff3 with the histogram diff): how two fixes
 * planned separately on the same file become one. The same change made on both sides is taken once; changes to
 * different lines are both taken; changes to the same lines (or insertions at the same place that differ) are a
 * conflict, and nothing is guessed.
 */
public final class TextMerge {

    private TextMerge() {
    }

    /** {@code ours} and {@code theirs} merged over {@code base}; empty when they conflict. */
    public static Optional<String> merge(String base, String ours, String theirs) {
        if (ours.equals(base) || ours.equals(theirs)) {
            return Optional.of(theirs);
        }
        if (theirs.equals(base)) {
            return Optional.of(ours);
        }
        MergeResult<RawText> result = new MergeAlgorithm().merge(RawTextComparator.DEFAULT, text(base), text(ours),
                text(theirs));
        if (result.containsConflicts()) {
            return Optional.empty();
        }
        StringBuilder out = new StringBuilder(Math.max(ours.length(), theirs.length()) + 64);
        List<RawText> sequences = result.getSequences();
        for (MergeChunk chunk : result) {
            RawText seq = sequences.get(chunk.getSequenceIndex());
            for (int line = chunk.getBegin(); line < chunk.getEnd(); line++) {
                out.append(seq.getString(line));
                boolean last = line == seq.size() - 1;
                if (!last || !seq.isMissingNewlineAtEnd()) {
                    out.append('\n');
                }
            }
        }
        return Optional.of(out.toString());
    }

    private static RawText text(String s) {
        return new RawText(s.getBytes(StandardCharsets.UTF_8));
    }
}
