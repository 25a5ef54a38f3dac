package dev.fixgate.app.cli;

/**
 * A {@code fixgate} subcommand from another module on the class path (the demo, in {@code bot/demo}): a picocli
 * {@code @Command} class with a public no-argument constructor, listed in
 * {@code META-INF/services/dev.fixgate.app.cli.Subcommand}. Its {@code @ParentCommand FixgateCommand} field gets
 * the root, and so the shared {@link AppContext}. The production jar carries none.
 */
public interface Subcommand {
}
