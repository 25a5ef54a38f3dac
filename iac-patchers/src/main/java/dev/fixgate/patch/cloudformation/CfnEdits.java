package dev.fixgate.patch.cloudformation;

import dev.fixgate.patch.TextEdit;
import java.util.ArrayList;
import java.util.List;

/** Edits to one template and a note per change; applied only once the operation has finished deciding. */
final class CfnEdits {

    final List<TextEdit> edits = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    void add(TextEdit e, String note) {
        edits.add(e);
        notes.add(note);
    }

    boolean isEmpty() {
        return edits.isEmpty();
    }
}
