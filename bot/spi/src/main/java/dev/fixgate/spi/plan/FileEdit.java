package dev.fixgate.spi.plan;

import java.util.Objects;

/** One file's text before and after a remediation, by repository path. */
public record FileEdit(String path, String before, String after) {

    public FileEdit {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        if (before.equals(after)) {
            throw new IllegalArgumentException("an edit must change " + path);
        }
    }
}
