package dev.fixgate.app.deliver;

import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.config.RepoConfigLoader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.kohsuke.github.GHRepository;

/** A repository's {@code .github/fixgate.yml} read from its default branch through the contents API. */
public final class RepoConfigs {

    private RepoConfigs() {
    }

    /**
     * The parsed configuration, or the defaults when the file does not exist.
     *
     * @throws dev.fixgate.app.config.ConfigException when the file is invalid (callers fail closed)
     */
    public static RepoConfig read(GHRepository repo) throws IOException {
        try {
            String text = new String(repo.getFileContent(RepoConfigLoader.PATH, repo.getDefaultBranch()).read()
                    .readAllBytes(), StandardCharsets.UTF_8);
            return RepoConfigLoader.parse(repo.getFullName() + ":" + RepoConfigLoader.PATH, text);
        } catch (FileNotFoundException e) {
            return RepoConfig.defaults();
        }
    }
}
