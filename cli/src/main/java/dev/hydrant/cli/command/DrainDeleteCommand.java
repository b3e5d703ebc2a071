package dev.hydrant.cli.command;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.hydrant.cli.CliEnvironment;
import dev.hydrant.cli.ExitCode;
import dev.hydrant.cli.drains.DrainUrls;
import dev.hydrant.cli.drains.DrainsApi;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.StreamSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code hydrant drain delete SOURCE_ID URL-OR-ID}: unbinds one drain of an app, named by its id or by its URL
 * (compared as the API shows it, credentials hidden).
 */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Unbind a drain from an app.")
final class DrainDeleteCommand implements Callable<Integer> {

    private final CliEnvironment environment;

    @Parameters(index = "0", paramLabel = "SOURCE_ID", description = "The app guid (or any source id).")
    String sourceId;

    @Parameters(index = "1", paramLabel = "URL-OR-ID", description = "The drain's URL or its id.")
    String drain;

    DrainDeleteCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        String appNotFound = "no app '" + sourceId + "', or you may not read its logs (404)";
        String shown = DrainUrls.redact(drain);
        return DrainCalls.run(environment, appNotFound, api -> {
            DrainsApi.Answer listed = api.list(sourceId);
            if (!listed.ok()) {
                return DrainCalls.refused(environment, listed, "cannot list the drains of " + sourceId, appNotFound);
            }
            List<JsonObject> matches = StreamSupport.stream(listed.json().getAsJsonArray("drains").spliterator(), false)
                    .map(JsonElement::getAsJsonObject)
                    .filter(d -> d.get("id").getAsString().equals(drain) || d.get("url").getAsString().equals(shown))
                    .toList();
            if (matches.isEmpty()) {
                environment.err().println("no drain " + shown + " bound to '" + sourceId + "' (404)");
                return ExitCode.NOT_FOUND;
            }
            if (matches.size() > 1) {
                environment.err().println(matches.size() + " drains of '" + sourceId + "' show as " + shown
                        + ": delete one by its id (hydrant drains " + sourceId + ")");
                return ExitCode.FAILED;
            }
            JsonObject binding = matches.get(0);
            String id = binding.get("id").getAsString();
            DrainsApi.Answer deleted = api.delete(id);
            if (!deleted.ok()) {
                return DrainCalls.refused(environment, deleted, "drain not deleted",
                        "no drain " + id + " bound to '" + sourceId + "' (404)");
            }
            environment.out().println("Drain " + id + " unbound from " + sourceId + ": " + binding.get("url").getAsString());
            return ExitCode.OK;
        });
    }
}
