package dev.hydrant.cli.command;

import com.google.gson.JsonObject;
import dev.hydrant.cli.CliEnvironment;
import dev.hydrant.cli.ExitCode;
import dev.hydrant.cli.drains.DrainUrls;
import dev.hydrant.cli.drains.DrainsApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hydrant drain create SOURCE_ID URL [--type logs|metrics|all] [--cert F --key F --ca F]}: binds a drain
 * to an app; {@code --type} sets the URL's drain-type; the PEM files are sent with the binding for mutual TLS to
 * the drain. Prints the binding with its URL's credentials hidden.
 */
@Command(name = "create", mixinStandardHelpOptions = true, description = "Bind a drain to an app.")
final class DrainCreateCommand implements Callable<Integer> {

    /** The values of --type. */
    enum Type { logs, metrics, all }

    private final CliEnvironment environment;

    @Parameters(index = "0", paramLabel = "SOURCE_ID", description = "The app guid (or any source id).")
    String sourceId;

    @Parameters(index = "1", paramLabel = "URL",
            description = "syslog://host:port, syslog-tls://host:port, https://... or https-batch://...")
    String url;

    @Option(names = "--type", paramLabel = "logs|metrics|all", description = "What the drain receives (sets drain-type).")
    Type type;

    @Option(names = "--cert", paramLabel = "FILE", description = "Client certificate (PEM) for mutual TLS to the drain.")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "Its private key (PEM).")
    Path key;

    @Option(names = "--ca", paramLabel = "FILE", description = "CA (PEM) to verify the drain with.")
    Path ca;

    DrainCreateCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        if ((cert == null) != (key == null)) {
            return usage("--cert and --key go together");
        }
        JsonObject body = new JsonObject();
        body.addProperty("source_id", sourceId);
        body.addProperty("url", type == null ? url : DrainUrls.withType(url, type.name()));
        try {
            putFile(body, "cert", cert);
            putFile(body, "key", key);
            putFile(body, "ca", ca);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        String notFound = "no app '" + sourceId + "', or you may not read its logs (404)";
        return DrainCalls.run(environment, notFound, api -> {
            DrainsApi.Answer answer = api.create(body);
            if (!answer.ok()) {
                return DrainCalls.refused(environment, answer, "drain refused", notFound);
            }
            environment.out().println("Drain " + answer.text("id") + " bound to " + answer.text("source_id") + ": "
                    + answer.text("url") + " (" + answer.text("drain_type") + ")");
            return ExitCode.OK;
        });
    }

    private static void putFile(JsonObject body, String name, Path file) {
        if (file == null) {
            return;
        }
        try {
            body.addProperty(name, Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the --" + name + " file " + file.toAbsolutePath());
        }
    }

    private int usage(String message) {
        environment.err().println(message);
        return ExitCode.USAGE;
    }
}
