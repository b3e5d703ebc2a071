package dev.hydrant.cli.command;

import dev.hydrant.cli.CliEnvironment;
import java.util.List;
import picocli.CommandLine;

/** The subcommands of {@code hydrant}, each bound to the environment it runs in. */
public final class Commands {

    private Commands() {
    }

    public static List<Object> all(CliEnvironment environment) {
        CommandLine drain = new CommandLine(new DrainCommand())
                .addSubcommand(new DrainCreateCommand(environment))
                .addSubcommand(new DrainDeleteCommand(environment));
        return List.of(new LoginCommand(environment), new LogoutCommand(environment), new TargetCommand(environment),
                new LogsCommand(environment), new FirehoseCommand(environment), drain, new DrainsCommand(environment));
    }
}
