package dev.fixgate.app.store.archfixture;

import dev.fixgate.localgithub.archfixture.LocalGitHubUsingTheApp;

/** Deliberate violation: production code of bot/app reaching for the local GitHub (a test and demo component). */
public final class StoreUsingTheLocalGitHub {
    public Object github() {
        return new LocalGitHubUsingTheApp();
    }
}
