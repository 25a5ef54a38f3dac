package dev.fixgate.archfixture.cycle.a;

import dev.fixgate.archfixture.cycle.b.B;

/** Deliberate violation: one half of a package cycle (a → b → a). */
public final class A {
    public int size(B b) {
        return b.hashCode();
    }
}
