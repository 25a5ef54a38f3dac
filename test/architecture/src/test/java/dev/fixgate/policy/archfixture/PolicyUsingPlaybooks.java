package dev.fixgate.policy.archfixture;

import dev.fixgate.playbooks.PlaybookCatalog;

/** Deliberate violation: a gate policy reaching into the playbook catalog. */
public final class PolicyUsingPlaybooks {
    public int go() {
        return PlaybookCatalog.builtIn().all().size();
    }
}
