package dev.fixgate.app.cli;

import dev.fixgate.app.prevent.Checker;

/**
 * GitHub Actions workflow commands ({@code ::error file=F,line=L,title=T::message}) that put {@code fixgate check}'s
 * results on the lines of a pull request's diff. Values are escaped as the runner expects: {@code %}, CR and LF
 * everywhere, and {@code :} and {@code ,} in properties.
 */
final class GitHubAnnotations {

    private GitHubAnnotations() {
    }

    static String of(String level, Checker.Result r) {
        return "::" + level + " file=" + property(r.file()) + ",line=" + Math.max(1, r.line()) + ",title="
                + property("fixgate " + r.playbook().id()) + "::" + data(r.resource() + ": " + r.playbook().title()
                + " — not satisfied (" + String.join(", ", r.playbook().controls().stream().map(c -> c.value()).toList())
                + "). Fix: fixgate plan");
    }

    static String of(Checker.Problem p) {
        return "::error file=" + property(p.file()) + (p.line() > 0 ? ",line=" + p.line() : "") + ",title="
                + property("fixgate " + p.code()) + "::" + data(p.message());
    }

    static String data(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    static String property(String s) {
        return data(s).replace(":", "%3A").replace(",", "%2C");
    }
}
