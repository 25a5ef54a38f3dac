package dev.fixgate.archfixture.cycle.b;

import dev.fixgate.archfixture.cycle.a.A;

/** Deliberate violation: the other half of a package cycle (b → a → b). */
public final class B {
    public A a() {
        return new A();
    }
}
