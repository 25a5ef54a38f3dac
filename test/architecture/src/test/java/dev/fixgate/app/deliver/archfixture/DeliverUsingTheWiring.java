package dev.fixgate.app.deliver.archfixture;

import dev.fixgate.app.wiring.Wiring;

/** Deliberate violation: a stage reaching for the wiring to get an object it should be given. */
public final class DeliverUsingTheWiring {
    public Object catalog() {
        return Wiring.catalog();
    }
}
