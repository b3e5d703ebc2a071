package dev.hydrant.cli;

import dev.hydrant.nozzle.client.ReconnectPolicy;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Everything a command reads from or writes to the world outside the JVM, so that tests can run the
 * commands in-process: standard output and error, environment variables, the config directory, the
 * time zone of printed timestamps, the reconnection policy and the user's interrupt (Ctrl-C).
 *
 * @param out         standard output (buffered: commands flush after each batch of lines)
 * @param err         standard error, for the one-line messages
 * @param variables   environment variables ({@code HYDRANT_TARGET}, {@code HYDRANT_TOKEN}, {@code HYDRANT_HOME})
 * @param home        the directory holding {@code config.json}
 * @param zone        the zone timestamps are printed in
 * @param reconnect   how lost streams are reopened
 * @param interrupted completed when the user interrupts a running stream
 */
public record CliEnvironment(PrintWriter out, PrintWriter err, Map<String, String> variables, Path home,
                             ZoneId zone, ReconnectPolicy reconnect, CompletableFuture<Void> interrupted) {

    /** Reconnection for an interactive command: quick first retries, at most 5 s between attempts. */
    public static final ReconnectPolicy DEFAULT_RECONNECT = new ReconnectPolicy(
            Duration.ofMillis(250), Duration.ofSeconds(5), 0.5, ReconnectPolicy.DEFAULT_IDLE_TIMEOUT);

    public CliEnvironment {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        variables = Map.copyOf(Objects.requireNonNull(variables, "variables"));
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(reconnect, "reconnect");
        Objects.requireNonNull(interrupted, "interrupted");
    }

    /** The real terminal, environment and home directory of this process. */
    public static CliEnvironment system() {
        Map<String, String> variables = System.getenv();
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), 1 << 16), false);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        return new CliEnvironment(out, err, variables, homeOf(variables), ZoneId.systemDefault(),
                DEFAULT_RECONNECT, new CompletableFuture<>());
    }

    /** {@code $HYDRANT_HOME}, else {@code ~/.hydrant}. */
    public static Path homeOf(Map<String, String> variables) {
        String home = variables.get("HYDRANT_HOME");
        if (home != null && !home.isBlank()) {
            return Path.of(home);
        }
        return Path.of(System.getProperty("user.home"), ".hydrant");
    }

    /** An environment variable, or null when unset or blank. */
    public String variable(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** Tells a running stream to stop (what Ctrl-C does). */
    public void interrupt() {
        interrupted.complete(null);
    }
}
