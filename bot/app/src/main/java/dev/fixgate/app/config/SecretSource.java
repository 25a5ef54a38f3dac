package dev.fixgate.app.config;

import static dev.fixgate.app.config.ConfigText.string;

import dev.fixgate.spi.error.SourceLocation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Resolves one secret from, in order: the environment variable holding the value, the environment variable
 * holding a file name ({@code <VAR>_FILE}), the {@code *_file} key, the inline key. Problems (an unreadable
 * file) are collected with the location of the key or variable that named the file — never the secret.
 */
final class SecretSource {

    private final YamlDocument doc;
    private final Path baseDir;
    private final List<ConfigProblem> problems;

    SecretSource(YamlDocument doc, Path baseDir, List<ConfigProblem> problems) {
        this.doc = doc;
        this.baseDir = baseDir;
        this.problems = problems;
    }

    /**
     * @param pointer   the JSON pointer of {@code section}
     * @param inlineKey key holding the value itself, or null when the file form is the only one allowed
     * @param fileKey   key holding a file name
     * @param envVar    environment variable holding the value (and {@code envVar + "_FILE"} a file), or null
     */
    Secret resolve(String pointer, Map<String, Object> section, String inlineKey, String fileKey, String envVar,
                   Map<String, String> env) {
        if (envVar != null) {
            String value = env.get(envVar);
            if (value != null && !value.isBlank()) {
                return Secret.of(value.strip());
            }
            String file = env.get(envVar + "_FILE");
            if (file != null && !file.isBlank()) {
                return readFile(Path.of(file.strip()), SourceLocation.of("env " + envVar + "_FILE"), "");
            }
        }
        String file = string(section, fileKey, "");
        if (!file.isEmpty()) {
            String at = pointer + "/" + fileKey;
            return readFile(baseDir.resolve(file), doc.valueAt(at), at);
        }
        return inlineKey == null ? Secret.none() : Secret.of(string(section, inlineKey, ""));
    }

    private Secret readFile(Path file, SourceLocation where, String pointer) {
        try {
            return Secret.of(ConfigText.read(file, "config.secret-file").strip());
        } catch (ConfigException e) {
            problems.add(new ConfigProblem("config.secret-file", where, pointer,
                    "cannot read secret file " + file + ": " + e.problems().getFirst().message()));
            return Secret.none();
        }
    }
}
