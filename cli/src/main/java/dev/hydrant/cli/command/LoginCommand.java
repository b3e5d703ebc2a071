package dev.hydrant.cli.command;

import dev.hydrant.cli.CliEnvironment;
import dev.hydrant.cli.ExitCode;
import dev.hydrant.cli.config.CliConfig;
import dev.hydrant.cli.config.ConfigStore;
import dev.hydrant.cli.config.Target;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hydrant login --target URL [--token [TOKEN] | --client-id ID --client-secret [S] --token-url URL]
 * [--ca-file PEM]}: stores where to read and how to authenticate in {@code config.json} (mode 600). The
 * token and the secret are prompted for without echo when given without a value, and are never printed.
 * Without {@code --target} the stored target is kept. Nothing is sent anywhere: the next command uses it.
 */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = "Store the Traffic Controller's address and credentials in $HYDRANT_HOME/config.json (mode 600).")
final class LoginCommand implements Callable<Integer> {

    private final CliEnvironment environment;

    @Option(names = "--target", paramLabel = "URL", description = "The Traffic Controller, e.g. https://hydrant.example.com.")
    String target;

    @Option(names = "--token", arity = "0..1", interactive = true, paramLabel = "TOKEN",
            description = "A bearer token (prompted for without echo when no value is given).")
    String token;

    @Option(names = "--client-id", paramLabel = "ID", description = "OAuth2 client id (client credentials grant).")
    String clientId;

    @Option(names = "--client-secret", arity = "0..1", interactive = true, paramLabel = "SECRET",
            description = "Its secret (prompted for without echo when no value is given).")
    String clientSecret;

    @Option(names = "--token-url", paramLabel = "URL", description = "The token endpoint, e.g. https://uaa.example.com/oauth/token.")
    String tokenUrl;

    @Option(names = "--ca-file", paramLabel = "PEM", description = "Trust this CA for https targets (a development CA).")
    String caFile;

    LoginCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        boolean hasToken = token != null && !token.isBlank();
        boolean anyClient = clientId != null || clientSecret != null || tokenUrl != null;
        if (token != null && !hasToken) {
            return usage("--token needs a value");
        }
        if (hasToken && anyClient) {
            return usage("give either --token or --client-id, --client-secret and --token-url, not both");
        }
        if (anyClient && (blank(clientId) || blank(clientSecret) || blank(tokenUrl))) {
            return usage("client credentials need all of --client-id, --client-secret and --token-url");
        }
        ConfigStore store = new ConfigStore(environment.home());
        CliConfig stored = store.load();
        String url;
        String ca;
        String tokenEndpoint = null;
        try {
            url = Target.checkUrl(target != null ? target
                    : stored.target().isEmpty() ? Target.DEFAULT_TARGET : stored.target(), "target");
            ca = caFile != null ? Target.checkCaFile(caFile) : stored.caFile();
            if (anyClient) {
                tokenEndpoint = Target.checkUrl(tokenUrl, "token URL");
            }
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        CliConfig config = new CliConfig(url, hasToken ? token : "", anyClient ? clientId : "",
                anyClient ? clientSecret : "", tokenEndpoint, ca);
        store.save(config);
        String credentials = hasToken ? "token stored" : anyClient ? "client credentials for '" + clientId + "' stored"
                : "no credentials stored (requests carry no token)";
        environment.out().println("Target " + url + ": " + credentials + " in " + store.file() + " (mode 600)");
        if (environment.variable("HYDRANT_TARGET") != null || environment.variable("HYDRANT_TOKEN") != null) {
            environment.out().println("Note: HYDRANT_TARGET or HYDRANT_TOKEN is set and overrides the stored values");
        }
        environment.out().flush();
        return ExitCode.OK;
    }

    private int usage(String message) {
        environment.err().println(message);
        return ExitCode.USAGE;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
