package dev.hydrant.cli.command;

import dev.hydrant.cli.CliEnvironment;
import dev.hydrant.cli.ExitCode;
import dev.hydrant.nozzle.client.ConnectionListener;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.cloudfoundry.loggregator.v2.Envelope;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * Runs one stream until the user interrupts it or it fails for good, and tells the user about the
 * connection on stderr: a stream that cannot be opened at all ends the command with one line and a
 * non-zero exit code; once it has been open, a lost connection is said once ("connection lost,
 * reconnecting...") and its return once ("reconnected"), however many attempts the outage takes (the
 * SDK reconnects by itself and calls the {@link ConnectionListener} once per change).
 */
final class StreamSession implements ConnectionListener {

    static final String LOST = "connection lost, reconnecting...";
    static final String BACK = "reconnected";

    private final CliEnvironment environment;
    private final String target;
    private final String notFound;
    private final CompletableFuture<Failure> outcome = new CompletableFuture<>();
    private boolean everConnected;
    private boolean lost;

    /**
     * @param target   the Traffic Controller's URL, for messages
     * @param notFound the message for a 404
     */
    StreamSession(CliEnvironment environment, String target, String notFound) {
        this.environment = Objects.requireNonNull(environment, "environment");
        this.target = Objects.requireNonNull(target, "target");
        this.notFound = Objects.requireNonNull(notFound, "notFound");
    }

    @Override
    public synchronized void connected(String stream) {
        everConnected = true;
        if (lost) {
            lost = false;
            environment.err().println(BACK);
        }
    }

    @Override
    public synchronized void disconnected(String stream, Throwable cause) {
        if (!everConnected) {
            outcome.complete(Failure.of(cause, target, notFound));
        } else if (!lost) {
            lost = true;
            environment.err().println(LOST);
        }
    }

    /**
     * Reads {@code batches} into {@code printer} until the user interrupts or the stream fails for good;
     * then runs {@code finish} (flush what is held) and returns the exit code.
     */
    int run(Flux<List<Envelope>> batches, Consumer<List<Envelope>> printer, Runnable finish) {
        Disposable subscription = batches.subscribe(printer,
                error -> outcome.complete(Failure.of(error, target, notFound)),
                () -> outcome.complete(null));
        environment.interrupted().thenRun(() -> outcome.complete(null));
        Failure failure;
        try {
            failure = outcome.join();
        } finally {
            subscription.dispose();
            finish.run();
            environment.out().flush();
        }
        if (failure == null) {
            return ExitCode.OK;
        }
        environment.err().println(failure.message());
        return failure.exitCode();
    }
}
