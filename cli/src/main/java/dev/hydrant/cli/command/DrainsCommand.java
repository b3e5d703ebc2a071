package dev.hydrant.cli.command;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.hydrant.cli.CliEnvironment;
import dev.hydrant.cli.ExitCode;
import dev.hydrant.cli.drains.DrainsApi;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code hydrant drains [SOURCE_ID]}: the drains bound to one app, or (with an admin token) to every app, one
 * per line: source id, drain id, type and URL with its credentials hidden.
 */
@Command(name = "drains", mixinStandardHelpOptions = true,
        description = "List the drains bound to an app (or, with an admin token, to every app).")
final class DrainsCommand implements Callable<Integer> {

    private static final String ROW = "%-36s  %-36s  %-7s  %s%n";

    private final CliEnvironment environment;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SOURCE_ID", description = "The app guid (or any source id).")
    String sourceId;

    DrainsCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        String notFound = "no app '" + sourceId + "', or you may not read its logs (404)";
        return DrainCalls.run(environment, notFound, api -> {
            DrainsApi.Answer answer = api.list(sourceId);
            if (answer.status() == 400 && sourceId == null) {
                environment.err().println("give a source id: listing every app's drains needs an admin token (400)");
                return ExitCode.FAILED;
            }
            if (!answer.ok()) {
                return DrainCalls.refused(environment, answer, "cannot list drains", notFound);
            }
            JsonArray drains = answer.json().getAsJsonArray("drains");
            if (drains == null || drains.isEmpty()) {
                environment.out().println(sourceId == null ? "No drains bound." : "No drains bound to " + sourceId + ".");
                return ExitCode.OK;
            }
            environment.out().printf(ROW, "source id", "drain id", "type", "url");
            for (JsonElement element : drains) {
                JsonObject drain = element.getAsJsonObject();
                environment.out().printf(ROW, drain.get("source_id").getAsString(), drain.get("id").getAsString(),
                        drain.get("drain_type").getAsString(), drain.get("url").getAsString());
            }
            return ExitCode.OK;
        });
    }
}
