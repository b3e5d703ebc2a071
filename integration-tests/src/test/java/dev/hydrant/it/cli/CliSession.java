package dev.hydrant.it.cli;

import dev.hydrant.cli.CliEnvironment;
import dev.hydrant.cli.HydrantCli;
import dev.hydrant.nozzle.client.ReconnectPolicy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One {@code hydrant} command line run in-process as a user at a terminal would run it, against a target
 * given by {@code HYDRANT_TARGET} (and {@code HYDRANT_TOKEN} when a token is given), timestamps in UTC; what
 * it prints on stdout and stderr is kept.
 */
public final class CliSession implements AutoCloseable {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CliEnvironment environment;
    private CompletableFuture<Integer> exit;

    /**
     * @param home      the config directory ({@code HYDRANT_HOME}), empty
     * @param target    the Traffic Controller's URL
     * @param token     the bearer token, or null for none
     * @param reconnect how lost streams are reopened
     */
    public CliSession(Path home, String target, String token, ReconnectPolicy reconnect) {
        Map<String, String> variables = new HashMap<>();
        variables.put("HYDRANT_HOME", home.toString());
        variables.put("HYDRANT_TARGET", target);
        if (token != null) {
            variables.put("HYDRANT_TOKEN", token);
        }
        environment = new CliEnvironment(new PrintWriter(out, true), new PrintWriter(err, true), variables, home,
                ZoneOffset.UTC, reconnect, new CompletableFuture<>());
    }

    public CliSession(Path home, String target, String token) {
        this(home, target, token, CliEnvironment.DEFAULT_RECONNECT);
    }

    /** Runs a command that ends by itself and returns its exit code. */
    public int run(String... args) {
        return start(args).exitCode();
    }

    /** Starts a command (a stream) in the background. */
    public CliSession start(String... args) {
        exit = CompletableFuture.supplyAsync(() -> HydrantCli.execute(environment, args));
        return this;
    }

    /** What Ctrl-C does; then the exit code. */
    public int interrupt() {
        environment.interrupt();
        return exitCode();
    }

    /** The exit code, once the command has ended (within 30 s). */
    public int exitCode() {
        try {
            return exit.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the command did not end: out=" + out() + " err=" + err(), e);
        }
    }

    /** Stops a command still running (a test that failed half-way), as Ctrl-C would. */
    @Override
    public void close() {
        environment.interrupt();
    }

    public boolean ended() {
        return exit.isDone();
    }

    public String out() {
        synchronized (out) {
            return out.toString();
        }
    }

    public String err() {
        synchronized (err) {
            return err.toString();
        }
    }

    public List<String> outLines() {
        return lines(out());
    }

    public List<String> errLines() {
        return lines(err());
    }

    private static List<String> lines(String text) {
        return Arrays.stream(text.split("\n")).filter(line -> !line.isEmpty()).toList();
    }
}
