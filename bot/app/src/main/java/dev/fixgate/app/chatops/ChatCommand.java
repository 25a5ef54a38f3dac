package dev.fixgate.app.chatops;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a slash command on its runner class: its name, how it is written, what it does, the permission it
 * needs, its flags and where it may be given. Help and the parser are generated from these declarations
 * (quarkus-github-app's {@code @Command} + {@code @Permission} are the model).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ChatCommand {

    /** Where a command may be given. */
    enum Where {
        /** On an open pull request fixgate opened. */
        OPEN_PULL_REQUEST,
        /** On a merged pull request fixgate opened. */
        MERGED_PULL_REQUEST,
        /** On an issue fixgate opened for a fix it would not open a pull request for. */
        ISSUE,
        /** On the repository's Remediation Dashboard issue. */
        DASHBOARD
    }

    String name();

    /** As written after the prefix, e.g. {@code snooze <duration>}. */
    String usage();

    /** One sentence: what it does. */
    String summary();

    Permission permission();

    /** The {@code --flags} it takes. */
    String[] flags() default {};

    Where[] where() default {Where.OPEN_PULL_REQUEST};
}
