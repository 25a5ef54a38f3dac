package dev.fixgate.provider.common.archfixture;

import dev.fixgate.provider.aws.archfixture.ProviderUsingTheApp;

/** Deliberate violation: providers/common depending on a cloud provider. */
public final class CommonUsingAws {
    public String go() {
        return new ProviderUsingTheApp().go();
    }
}
