package dev.hydrant.cli.command;

import dev.hydrant.cli.CliEnvironment;
import dev.hydrant.cli.ExitCode;
import dev.hydrant.cli.config.CliConfig;
import dev.hydrant.cli.config.ConfigStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code hydrant logout}: removes the stored token or client credentials; keeps the target. */
@Command(name = "logout", mixinStandardHelpOptions = true, description = "Remove the stored credentials (the target stays).")
final class LogoutCommand implements Callable<Integer> {

    private final CliEnvironment environment;

    LogoutCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        ConfigStore store = new ConfigStore(environment.home());
        CliConfig stored = store.load();
        store.save(stored.withoutCredentials());
        environment.out().println("Credentials removed from " + store.file());
        environment.out().flush();
        return ExitCode.OK;
    }
}
