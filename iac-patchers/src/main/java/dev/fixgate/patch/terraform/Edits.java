package dev.fixgate.patch.terraform;

import dev.fixgate.patch.TextEdit;
import dev.fixgate.spi.iac.IacFormat;
import dev.fixgate.spi.iac.PatchResult;
import dev.fixgate.spi.iac.SourceFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Text edits collected per file while an operation runs, plus a one-line note per change. Nothing is applied
 * until {@link #result}, so an operation that refuses half-way leaves every file as it was.
 */
final class Edits {

    private final HclDocument primary;
    private final Map<String, HclDocument> docs = new LinkedHashMap<>();
    private final Map<String, List<TextEdit>> edits = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    Edits(HclDocument primary) {
        this.primary = primary;
    }

    void add(HclDocument doc, TextEdit edit, String note) {
        addAll(doc, List.of(edit), note);
    }

    void addAll(HclDocument doc, List<TextEdit> list, String note) {
        docs.put(doc.path(), doc);
        edits.computeIfAbsent(doc.path(), k -> new ArrayList<>()).addAll(list);
        notes.add(note);
    }

    boolean isEmpty() {
        return edits.isEmpty();
    }

    /** The edited files as a Changed result; call only when {@link #isEmpty()} is false. */
    PatchResult.Changed result(String prefix) {
        String text = primary.text();
        List<SourceFile> others = new ArrayList<>();
        for (Map.Entry<String, List<TextEdit>> e : edits.entrySet()) {
            String newText = TextEdit.apply(docs.get(e.getKey()).text(), e.getValue());
            if (e.getKey().equals(primary.path())) {
                text = newText;
            } else {
                others.add(new SourceFile(e.getKey(), newText, IacFormat.TERRAFORM));
            }
        }
        return new PatchResult.Changed(text, prefix + ": " + String.join("; ", notes), others);
    }
}
