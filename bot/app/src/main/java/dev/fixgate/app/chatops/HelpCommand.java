package dev.fixgate.app.chatops;

import java.io.IOException;

/** {@code help}: every command, how to write it, what it does and who may give it — generated from the declarations. */
@ChatCommand(name = "help", usage = "help", permission = Permission.READ,
        where = {ChatCommand.Where.OPEN_PULL_REQUEST, ChatCommand.Where.MERGED_PULL_REQUEST, ChatCommand.Where.ISSUE,
                ChatCommand.Where.DASHBOARD},
        summary = "List the commands.")
public final class HelpCommand implements CommandRunner {

    private final String help;

    /** @param help the generated help text ({@link ChatOps#help}) */
    public HelpCommand(String help) {
        this.help = help;
    }

    @Override
    public Result run(Invocation inv) throws IOException {
        return Result.done(help);
    }
}
