package dev.fixgate.app.config;

import dev.fixgate.spi.error.SourceLocation;
import java.io.IOException;
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

    /**
     * Creates the directory if needed; the state directory holds secrets' neighbours, so it is private.
     *
     * @throws ConfigException {@code config.home} when the path is a file, or cannot be created (a usage error:
     *                         {@code --home /etc/passwd} is the caller's mistake, not an internal one)
     */
    public FixgateHome create() {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw problem("is not a directory");
        }
        try {
            Files.createDirectories(dir);
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: permissions are the platform's business
            }
            return this;
        } catch (IOException e) {
            throw problem("cannot be created (" + e.getClass().getSimpleName() + (e.getMessage() == null ? ""
                    : ": " + e.getMessage()) + ")");
        }
    }

    private ConfigException problem(String what) {
        return ConfigException.single(new ConfigProblem("config.home", SourceLocation.of(dir.toString()), "",
                "the state directory " + what + " (it is --home, else $" + ENV + ", else ./" + DEFAULT + ")"));
    }

    public Path configFile() {
        return dir.resolve("fixgate.yml");
    }
}
