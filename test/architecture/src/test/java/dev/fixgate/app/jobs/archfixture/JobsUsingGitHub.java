package dev.fixgate.app.jobs.archfixture;

import dev.fixgate.app.github.GitHubClients;
import java.io.IOException;

/** Deliberate violation: the job workers (infrastructure) calling GitHub themselves instead of through a handler. */
public final class JobsUsingGitHub {
    public Object go(GitHubClients clients) throws IOException {
        return clients.app();
    }
}
