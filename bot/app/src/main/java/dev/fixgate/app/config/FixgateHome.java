package dev.fixgate.app.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * The state directory: the embedded database, the default {@code fixgate.yml}, logs and caches. One per
 * instance — {@code --home}, else {@code $FIXGATE_HOME}, else {@code ./.fixgate} — so several instances and test
 * runs can live side by side without sharing anything.
 */
public record FixgateHome(Path dir) {

    public static final String ENV = "FIXGATE_HOME";
    public static final String DEFAULT = ".fixgate";

    public FixgateHome {
        dir = dir.toAbsolutePath().normalize();
    }

    public static FixgateHome resolve(Optional<Path> option, Map<String, String> env, Path workingDir) {
        if (option.isPresent()) {
            return new FixgateHome(workingDir.resolve(option.get()));
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new FixgateHome(workingDir.resolve(fromEnv.strip()));
        }
        return new FixgateHome(workingDir.resolve(DEFAULT));
    }

    /** Creates the directory if needed; the state directory holds secrets' neighbours, so it is private. */
    public FixgateHome create() {
        try {
            Files.createDirectories(dir);
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: permissions are the platform's business
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the state directory " + dir, e);
        }
    }

    public Path configFile() {
        return dir.resolve("fixgate.yml");
    }
}
