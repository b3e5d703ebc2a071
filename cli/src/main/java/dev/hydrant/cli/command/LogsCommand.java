package dev.hydrant.cli.command;

import dev.hydrant.cli.CliEnvironment;
import dev.hydrant.cli.ExitCode;
import dev.hydrant.cli.config.Target;
import dev.hydrant.cli.format.LogLine;
import dev.hydrant.cli.output.OrderingWindow;
import dev.hydrant.nozzle.client.ConnectionListener;
import dev.hydrant.nozzle.client.EnvelopeType;
import dev.hydrant.nozzle.client.HydrantClient;
import dev.hydrant.nozzle.client.ReadRequest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.cloudfoundry.loggregator.v2.Envelope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hydrant logs <source-id> [--recent] [--json]}: an app's logs as {@code cf logs} prints them, in
 * timestamp order within a {@value #WINDOW_MILLIS} ms window; metrics are not printed. With {@code --recent}
 * the recent logs from the Doppler caches, oldest first, and then exit.
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Stream an app's logs (until Ctrl-C), or print its recent logs with --recent.")
final class LogsCommand implements Callable<Integer> {

    /** How long a line is held to be sorted among lines that arrive shortly after it. */
    static final long WINDOW_MILLIS = 300;
    /** Lines held for sorting at most; beyond that the earliest is printed at once. */
    static final int WINDOW_CAPACITY = 10_000;
    private static final long TICK_MILLIS = 50;

    private final CliEnvironment environment;

    @Parameters(index = "0", paramLabel = "<source-id>", description = "The app guid (or any source id).")
    String sourceId;

    @Option(names = "--recent", description = "Print the recent logs, oldest first, and exit.")
    boolean recent;

    @Option(names = "--limit", defaultValue = "1000", description = "Recent logs to print at most (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print one proto3-JSON v2 envelope per line.")
    boolean json;

    @Option(names = "--transport", defaultValue = "websocket", paramLabel = "websocket|sse",
            description = "How to stream (default ${DEFAULT-VALUE}).")
    Via via;

    LogsCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        if (limit < 1) {
            environment.err().println("--limit must be at least 1, was " + limit);
            return ExitCode.USAGE;
        }
        Target target = Target.resolve(environment);
        String notFound = "no app '" + sourceId + "', or you may not read its logs (404)";
        EnvelopePrinter printer = new EnvelopePrinter(environment.out(), json, new LogLine(environment.zone())::format);
        return recent ? recent(target, printer, notFound) : stream(target, printer, notFound);
    }

    private int recent(Target target, EnvelopePrinter printer, String notFound) {
        try (HydrantClient client = target.client(via.transport(), ConnectionListener.none(), environment)) {
            List<Envelope> logs = client.recentLogs(sourceId, limit).timeout(Duration.ofSeconds(30)).block();
            printer.accept(logs == null ? List.of() : logs.stream().filter(Envelope::hasLog).toList());
            return ExitCode.OK;
        } catch (RuntimeException e) {
            Failure failure = Failure.of(e, target.url(), notFound);
            environment.err().println(failure.message());
            return failure.exitCode();
        }
    }

    private int stream(Target target, EnvelopePrinter printer, String notFound) {
        StreamSession session = new StreamSession(environment, target.url(), notFound);
        OrderingWindow window = new OrderingWindow(TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS), WINDOW_CAPACITY,
                printer, System::nanoTime);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "hydrant-logs-order");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(window::release, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        try (HydrantClient client = target.client(via.transport(), session, environment)) {
            return session.run(client.readBatches(ReadRequest.source(sourceId, Set.of(EnvelopeType.LOG))),
                    batch -> window.addAll(batch.stream().filter(Envelope::hasLog).toList()),
                    () -> {
                        ticker.shutdownNow();
                        window.flush();
                    });
        }
    }
}
