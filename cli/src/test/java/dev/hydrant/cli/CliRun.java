package dev.hydrant.cli;

import static org.awaitility.Awaitility.await;

import dev.hydrant.nozzle.client.ReconnectPolicy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs one hydrant command line in-process, as a user at a terminal would, and captures what it prints. */
public final class CliRun {

    /** Quick reconnection so that outage tests take a second, not fifteen. */
    public static final ReconnectPolicy FAST = new ReconnectPolicy(
            Duration.ofMillis(50), Duration.ofMillis(200), 0.5, Duration.ofSeconds(5));

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CliEnvironment environment;
    private CompletableFuture<Integer> exit;

    public CliRun(Path home, Map<String, String> variables) {
        Map<String, String> all = new HashMap<>(variables);
        all.put("HYDRANT_HOME", home.toString());
        environment = new CliEnvironment(new PrintWriter(out), new PrintWriter(err), all, home, ZoneOffset.UTC,
                FAST, new CompletableFuture<>());
    }

    public CliEnvironment environment() {
        return environment;
    }

    /** Runs a command that ends by itself and returns its exit code. */
    public int run(String... args) {
        return start(args).finish();
    }

    /** Starts a command (a stream) in the background. */
    public CliRun start(String... args) {
        exit = CompletableFuture.supplyAsync(() -> HydrantCli.execute(environment, args));
        return this;
    }

    /** What Ctrl-C does, then the exit code. */
    public int interrupt() {
        environment.interrupt();
        return finish();
    }

    /** The exit code of a command that ends by itself (within 20 s). */
    public int finish() {
        try {
            return exit.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the command did not end: out=" + out() + " err=" + err(), e);
        }
    }

    public boolean ended() {
        return exit.isDone();
    }

    public void awaitOut(String text) {
        await().atMost(Duration.ofSeconds(15)).until(() -> out().contains(text));
    }

    public String out() {
        synchronized (out) {
            return out.toString();
        }
    }

    public String err() {
        return err.toString();
    }

    public List<String> outLines() {
        return Arrays.stream(out().split("\n")).filter(line -> !line.isEmpty()).toList();
    }

    public List<String> errLines() {
        return Arrays.stream(err().split("\n")).filter(line -> !line.isEmpty()).toList();
    }
}
