package dev.hydrant.it.shutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Hydrant component run as its own operating-system process: the same {@code java} as the
 * test, the test's class path and the component's main class, its output in a log file. The
 * ports it bound (all configured as 0) are read back from its log lines, and it is stopped as an
 * operator stops it: SIGTERM ({@link Process#destroy()} on Linux), then its exit is timed.
 */
final class ChildComponent implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(50);

    private final String name;
    private final Process process;
    private final Path log;

    private ChildComponent(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code mainClass} with {@code arguments} ({@code --setting=value}) in a new JVM. */
    static ChildComponent start(String name, Class<?> mainClass, List<String> arguments, Path dir) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        // a small heap and the quick compiler: three of these share a two-core machine with the test
        command.addAll(List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(arguments);
        Path log = dir.resolve(name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ChildComponent(name, process, log);
    }

    /**
     * Waits for a log line that matches {@code line} and returns its first group as a number (a
     * port the component bound, or a count it reports); fails with the log if the component
     * exits or the line does not come within {@code patience}.
     */
    long awaitLogged(Pattern line, Duration patience) {
        AtomicReference<Matcher> found = new AtomicReference<>();
        await().atMost(patience).pollInterval(POLL)
                .failFast(() -> assertThat(process.isAlive() || logged(line) != null)
                        .as("%s is running (it exited with %s before logging /%s/); its log:%n%s",
                                name, process.isAlive() ? "-" : process.exitValue(), line, tail())
                        .isTrue())
                .untilAsserted(() -> {
                    found.set(logged(line));
                    assertThat(found.get()).as("%s logged /%s/; its log:%n%s", name, line, tail()).isNotNull();
                });
        return Long.parseLong(found.get().group(1));
    }

    /** The first match of {@code line} in the log so far, or null. */
    Matcher logged(Pattern line) {
        Matcher matcher = line.matcher(logText());
        return matcher.find() ? matcher : null;
    }

    /** The first group of every match of {@code line} in the log so far, as numbers. */
    List<Integer> allLogged(Pattern line) {
        return line.matcher(logText()).results().map(match -> Integer.parseInt(match.group(1))).toList();
    }

    /**
     * Sends SIGTERM and waits up to {@code patience} for the process to end.
     *
     * @return how it ended; a process still running after {@code patience} is left running (its
     *         thread dump is appended to its log, for the failure message) and reported as such
     */
    Stop terminate(Duration patience) throws InterruptedException {
        long start = System.nanoTime();
        process.destroy();
        boolean ended = process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (!ended) {
            threadDump();
            return new Stop(name, false, -1, took, tail());
        }
        return new Stop(name, true, process.exitValue(), took, tail());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String name() {
        return name;
    }

    /** The last lines of the component's log. */
    String tail() {
        List<String> lines = logText().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code jstack} next to the java that runs the test, appended to the log; best effort. */
    private void threadDump() throws InterruptedException {
        Path jstack = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jstack");
        if (!Files.isExecutable(jstack)) {
            return;
        }
        try {
            new ProcessBuilder(jstack.toString(), Long.toString(process.pid()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start()
                    .waitFor(20, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no thread dump then; the log still says where it stopped
        }
    }

    /** Kills the process if it is still running: for a test that failed half-way. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * How a component ended after SIGTERM.
     *
     * @param exited whether it ended within the patience given
     * @param status its exit status (-1 while still running)
     * @param took   from SIGTERM to its end (or to giving up)
     * @param log    the end of its log, thread dump included when it did not end
     */
    record Stop(String name, boolean exited, int status, Duration took, String log) {
    }
}
