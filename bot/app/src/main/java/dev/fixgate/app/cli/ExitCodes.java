package dev.fixgate.app.cli;

/**
 * The exit codes every fixgate command uses (also in {@code fixgate --help} and README.md).
 */
public final class ExitCodes {

    /** Done, nothing wrong. */
    public static final int OK = 0;
    /** The command ran, and what it read or produced has errors: rejected records, a plan that cannot patch, a broken audit chain. */
    public static final int FINDINGS = 1;
    /** Usage or configuration error: bad option, invalid fixgate.yml, missing secret, a command this build does not offer yet. */
    public static final int USAGE = 2;
    /** Could not run: the database or another dependency is unavailable, or an internal error. */
    public static final int FAILURE = 3;

    public static final String FOOTER = """

            Exit codes:
              0  ok
              1  the input or the result has errors (rejected records, a plan that
                 cannot patch, a broken audit chain)
              2  usage or configuration error
              3  could not run (database unavailable, internal error)
            State directory: --home, else $FIXGATE_HOME, else ./.fixgate""";

    private ExitCodes() {
    }
}
