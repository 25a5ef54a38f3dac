package dev.fixgate.provider.aws.archfixture;

import dev.fixgate.app.cli.Versions;

/** Deliberate violation: a provider importing the app. (Constants would be inlined by javac: call a method.) */
public final class ProviderUsingTheApp {
    public String go() {
        return Versions.current();
    }
}
