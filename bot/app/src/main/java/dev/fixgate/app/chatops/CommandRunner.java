package dev.fixgate.app.chatops;

import java.io.IOException;
import java.util.Objects;

/**
 * Runs one slash command; the class is declared with {@link ChatCommand}. Runners are registered in one place, the
 * wiring package. {@link ChatOps} has already checked where the command was given and the permission it declares,
 * claimed it (so it runs once) and reacted to the comment; the runner does the work and says what happened.
 */
public interface CommandRunner {

    Result run(Invocation inv) throws IOException;

    /** What happened: posted as the reply; {@code ok} chooses the reaction (+1 or confused). */
    record Result(boolean ok, String reply) {
        public Result {
            Objects.requireNonNull(reply, "reply");
        }

        public static Result done(String reply) {
            return new Result(true, reply);
        }

        public static Result refused(String reply) {
            return new Result(false, reply);
        }
    }

    /** The declaration on the runner's class. */
    default ChatCommand declaration() {
        ChatCommand c = getClass().getAnnotation(ChatCommand.class);
        if (c == null) {
            throw new IllegalStateException(getClass().getName() + " has no @ChatCommand declaration");
        }
        return c;
    }
}
