package dev.fixgate.app.gate.archfixture;

import dev.fixgate.app.web.WebServer;

/** Deliberate violation: a stage depending on the web layer. */
public final class GateUsingTheWeb {
    public int go(WebServer server) {
        return server.port();
    }
}
