package dev.fixgate.app.deliver;

import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.config.RepoConfigLoader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Optional;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GHUser;
import org.kohsuke.github.GitHub;

/**
 * A repository's {@code .github/fixgate.yml} read from its default branch through the contents API, laid over its
 * owner's defaults: the file at the same path ({@code .github/fixgate.yml}) on the default branch of the owner's
 * repository named {@code .github} — GitHub's convention for account-wide files, and the layout Probot apps use,
 * so one single-file permission for {@code .github/fixgate.yml} covers both. There is deliberately no second
 * place ({@code fixgate.yml} at that repository's root): two candidate files would need a rule for which wins.
 *
 * <p>No {@code .github} repository, one the installation cannot see (GitHub answers 404 for a repository not
 * selected for the installation), an empty one or one without the file: no defaults. Any other failure to read
 * (a 5xx, a rate limit) is an {@link IOException}, so the caller's job is tried again rather than run without the
 * organisation's settings.
 */
public final class RepoConfigs {

    /** The repository that holds an owner's defaults. */
    public static final String DEFAULTS_REPOSITORY = ".github";

    private RepoConfigs() {
    }

    /**
     * The parsed configuration (the defaults' keys where the repository's file does not set them), or
     * {@link RepoConfig#defaults()} when neither file exists.
     *
     * @param github the client {@code repo} was read with (the installation's)
     * @throws dev.fixgate.app.config.ConfigException when either file is invalid (callers fail closed); each
     *                                                problem names its file, e.g. {@code acme/.github:.github/fixgate.yml:3:7}
     */
    public static RepoConfig read(GitHub github, GHRepository repo) throws IOException {
        return sources(github, repo).parse();
    }

    /**
     * The two files {@link #read(GitHub, GHRepository)} parses, as read (two requests; one for the {@code .github}
     * repository itself): what a job that read them can hand to the next one, which parses them the same way.
     *
     * @throws dev.fixgate.app.config.ConfigException when a file is too large or not UTF-8
     */
    public static Sources sources(GitHub github, GHRepository repo) throws IOException {
        Optional<RepoConfigLoader.Source> defaults = Optional.empty();
        if (!DEFAULTS_REPOSITORY.equals(repo.getName())) {
            try {
                defaults = file(github.getRepository(repo.getOwnerName() + "/" + DEFAULTS_REPOSITORY));
            } catch (FileNotFoundException e) {
                defaults = Optional.empty();
            }
        }
        return new Sources(defaults.orElse(null), file(repo).orElse(null));
    }

    /**
     * The owner's defaults and the repository's own file as read; {@code null} where there is none. Plain data, so it
     * travels in a job's JSON payload.
     */
    public record Sources(RepoConfigLoader.Source defaults, RepoConfigLoader.Source repository) {

        /** Parses them as {@link RepoConfigs#read(GitHub, GHRepository)} does. */
        public RepoConfig parse() {
            return RepoConfigLoader.parse(Optional.ofNullable(defaults), Optional.ofNullable(repository));
        }
    }

    /**
     * {@link #read(GitHub, GHRepository)} for a caller without the client: finds the owner's {@code .github}
     * repository through the owner, which costs one more request.
     */
    public static RepoConfig read(GHRepository repo) throws IOException {
        Optional<RepoConfigLoader.Source> defaults = Optional.empty();
        if (!DEFAULTS_REPOSITORY.equals(repo.getName())) {
            GHUser owner = repo.getOwner();
            GHRepository dotGithub = owner.getRepository(DEFAULTS_REPOSITORY);
            defaults = dotGithub == null ? Optional.empty() : file(dotGithub);
        }
        return RepoConfigLoader.parse(defaults, file(repo));
    }

    /** {@code repo}'s {@value RepoConfigLoader#PATH} on its default branch, named {@code owner/name:path}. */
    private static Optional<RepoConfigLoader.Source> file(GHRepository repo) throws IOException {
        byte[] bytes;
        try {
            bytes = repo.getFileContent(RepoConfigLoader.PATH, repo.getDefaultBranch()).read().readAllBytes();
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
        return Optional.of(RepoConfigLoader.Source.utf8(repo.getFullName() + ":" + RepoConfigLoader.PATH, bytes));
    }
}
