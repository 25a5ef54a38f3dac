package dev.fixgate.spi.iac;

import java.util.Objects;

/** An IaC file's text as read from a repository; patch operations work on text, never on disk. */
public record SourceFile(String path, String text, IacFormat format) {

    public SourceFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(format, "format");
    }
}
