package dev.fixgate.app.config;

import dev.fixgate.spi.error.FixgateException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration file (or the environment) is invalid. Carries every problem found, not just the first, so a
 * user fixes the file in one go; the message lists them one per line.
 */
public class ConfigException extends FixgateException {

    private static final long serialVersionUID = 1L;

    private final transient List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(problems.getFirst().code(), render(problems), problems.getFirst().location());
        this.problems = List.copyOf(problems);
    }

    static ConfigException single(ConfigProblem problem) {
        return new ConfigException(List.of(problem));
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String render(List<ConfigProblem> problems) {
        if (problems.size() == 1) {
            return "invalid configuration: " + problems.getFirst();
        }
        return problems.size() + " configuration problems:" + problems.stream()
                .map(p -> "\n  " + p).collect(Collectors.joining());
    }

    /** Every problem on its own line, without the exception's location prefix (the problems carry their own). */
    @Override
    public String toString() {
        return getMessage();
    }
}
