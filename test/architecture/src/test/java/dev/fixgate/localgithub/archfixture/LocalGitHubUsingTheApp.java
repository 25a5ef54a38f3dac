package dev.fixgate.localgithub.archfixture;

import dev.fixgate.app.Pipeline;

/** A deliberate violation: the local GitHub reaching into the app it is a test double for. */
public final class LocalGitHubUsingTheApp {

    public int stages() {
        return Pipeline.stages().size();
    }
}
