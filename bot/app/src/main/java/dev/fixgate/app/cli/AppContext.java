package dev.fixgate.app.cli;

import dev.fixgate.app.config.FixgateHome;
import dev.fixgate.app.config.ServiceConfig;
import dev.fixgate.app.config.ServiceConfigLoader;
import dev.fixgate.app.store.Database;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What commands share: streams, environment, the state directory, the configuration and the database — each
 * resolved on first use, so {@code --help} touches nothing and a command that needs no database opens none.
 */
public final class AppContext implements AutoCloseable {

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final Path workingDir;
    private final Clock clock;
    private Optional<Path> homeOption = Optional.empty();
    private Optional<Path> configOption = Optional.empty();
    private FixgateHome home;
    private ServiceConfig config;
    private Database database;

    public AppContext(PrintStream out, PrintStream err, Map<String, String> env, Path workingDir, Clock clock) {
        this.out = out;
        this.err = err;
        this.env = Map.copyOf(env);
        this.workingDir = workingDir;
        this.clock = clock;
    }

    void options(Optional<Path> home, Optional<Path> config) {
        this.homeOption = home;
        this.configOption = config;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public Map<String, String> env() {
        return env;
    }

    public Path workingDir() {
        return workingDir;
    }

    public Clock clock() {
        return clock;
    }

    public FixgateHome home() {
        if (home == null) {
            home = FixgateHome.resolve(homeOption, env, workingDir).create();
        }
        return home;
    }

    public ServiceConfig config() {
        if (config == null) {
            config = ServiceConfigLoader.load(configOption.map(workingDir::resolve), home().dir(), env);
        }
        return config;
    }

    public Database database() {
        if (database == null) {
            database = Database.open(config().database(), home().dir());
        }
        return database;
    }

    /** The audit actor for the CLI: the local user. */
    public String actor() {
        String user = env.get("USER");
        return "cli:" + (user == null || user.isBlank() ? System.getProperty("user.name", "unknown") : user);
    }

    @Override
    public void close() {
        if (database != null) {
            database.close();
        }
    }
}
