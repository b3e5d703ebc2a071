package dev.hydrant.cli.command;

import dev.hydrant.cli.CliEnvironment;
import dev.hydrant.cli.ExitCode;
import dev.hydrant.cli.config.CliConfig;
import dev.hydrant.cli.config.ConfigStore;
import dev.hydrant.cli.config.Target;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code hydrant target}: shows where the commands read and how they authenticate; never the token. */
@Command(name = "target", mixinStandardHelpOptions = true, description = "Show the target and the kind of credentials in use.")
final class TargetCommand implements Callable<Integer> {

    private final CliEnvironment environment;

    TargetCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        CliConfig stored = new ConfigStore(environment.home()).load();
        String url = Target.resolve(environment).url();
        String from = environment.variable("HYDRANT_TARGET") != null ? "HYDRANT_TARGET"
                : stored.target().isEmpty() ? "default" : "config";
        String auth = environment.variable("HYDRANT_TOKEN") != null ? "token from HYDRANT_TOKEN"
                : !stored.token().isEmpty() ? "stored token"
                : stored.hasClientCredentials() ? "client credentials for '" + stored.clientId() + "' at " + stored.tokenUrl()
                : "none";
        environment.out().println("target: " + url + " (" + from + ")");
        environment.out().println("auth:   " + auth);
        if (!stored.caFile().isEmpty()) {
            environment.out().println("CA:     " + stored.caFile());
        }
        environment.out().flush();
        return ExitCode.OK;
    }
}
