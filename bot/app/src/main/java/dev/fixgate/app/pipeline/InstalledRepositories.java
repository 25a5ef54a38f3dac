package dev.fixgate.app.pipeline;

import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.deliver.RepoConfigs;
import dev.fixgate.app.github.GitHubClients;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.kohsuke.github.GHAppInstallation;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;

/**
 * The repositories the App is installed on, read through the installations' own tokens: which there are, what
 * their {@code .github/fixgate.yml} says, and a shallow clone of the default branch to locate code in.
 */
public final class InstalledRepositories implements RemediateJobHandler.Repositories {

    private final GitHubClients clients;

    public InstalledRepositories(GitHubClients clients) {
        this.clients = Objects.requireNonNull(clients, "clients");
    }

    @Override
    public List<RemediateJobHandler.Repo> installed() throws IOException {
        List<RemediateJobHandler.Repo> out = new ArrayList<>();
        for (GHAppInstallation installation : clients.app().getApp().listInstallations()) {
            for (GHRepository repo : clients.installation(installation.getId()).getInstallation().listRepositories()) {
                if (!repo.isArchived()) {
                    out.add(new RemediateJobHandler.Repo(installation.getId(), repo.getFullName()));
                }
            }
        }
        return out;
    }

    @Override
    public RepoConfig config(RemediateJobHandler.Repo repo) throws IOException {
        GitHub github = clients.installation(repo.installationId());
        return RepoConfigs.read(github, github.getRepository(repo.fullName()));
    }

    @Override
    public void checkout(RemediateJobHandler.Repo repo, Path dir) throws IOException {
        GHRepository gh = repository(repo);
        // The token goes to JGit's credentials provider only: never into the URL, the clone's config or a log.
        UsernamePasswordCredentialsProvider creds = new UsernamePasswordCredentialsProvider("x-access-token",
                clients.tokens().token(repo.installationId()).reveal());
        try (Git git = Git.cloneRepository().setURI(gh.getHttpTransportUrl()).setDirectory(dir.toFile())
                .setBranch(gh.getDefaultBranch()).setDepth(1).setCredentialsProvider(creds).call()) {
            git.getRepository().close();
        } catch (GitAPIException e) {
            throw new IOException("could not clone " + repo.fullName() + ": " + e.getMessage(), e);
        }
    }

    private GHRepository repository(RemediateJobHandler.Repo repo) throws IOException {
        return clients.installation(repo.installationId()).getRepository(repo.fullName());
    }
}
