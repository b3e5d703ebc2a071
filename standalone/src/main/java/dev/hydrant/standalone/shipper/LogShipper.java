package dev.hydrant.standalone.shipper;

import com.google.protobuf.ByteString;
import dev.hydrant.metron.containers.Cgroups;
import dev.hydrant.metron.containers.ContainerMetricsScheduler;
import dev.hydrant.metron.containers.ContainerSampler;
import dev.hydrant.metron.containers.Proc;
import dev.hydrant.metron.containers.ProcessContainer;
import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;

/**
 * Runs an app as a Cloud Foundry cell's executor does and sends what it writes through Metron:
 * each line on stdout becomes a v2 Log envelope of type OUT, each line on stderr one of type ERR.
 * Lines wait in one drop-oldest buffer ({@link ShipperSettings#bufferSize()}, the oldest dropped
 * and counted when full) between the readers and the sender, so the app is never slowed down by
 * its logging, whether Metron is slow, away or not yet started.
 *
 * <p>Start with {@link #start}, wait with {@link #awaitExit}; {@link #stop} ends the app early.
 */
public final class LogShipper {

    private static final Duration STOP_GRACE = Duration.ofSeconds(3);

    private final ShipperSettings settings;
    private final Process process;
    private final DropOldestBuffer<Envelope> buffer;
    private final ManagedChannel channel;
    private final MetronSender sender;
    private final Thread senderThread;
    private final Thread stdout;
    private final Thread stderr;
    private final Clock clock;
    private final ContainerMetricsScheduler containerMetrics;
    private final LongAdder failedSamples = new LongAdder();

    private LogShipper(ShipperSettings settings, Process process, Clock clock) {
        this.settings = settings;
        this.process = process;
        this.clock = clock;
        this.buffer = new DropOldestBuffer<>(settings.bufferSize(), dropped -> { });
        this.channel = GrpcTransport.channel(settings.metron(), "metron", settings.tls(), "shipper.tls").build();
        this.sender = new MetronSender(channel, buffer, settings.app(), settings.batchSize(), settings.batchInterval(),
                clock);
        String name = "shipper-" + settings.app().sourceId();
        this.senderThread = new Thread(sender, name + "-send");
        this.stdout = new Thread(new LineReader(process.getInputStream(), Log.Type.OUT, settings.app(), buffer, clock),
                name + "-stdout");
        this.stderr = new Thread(new LineReader(process.getErrorStream(), Log.Type.ERR, settings.app(), buffer, clock),
                name + "-stderr");
        this.containerMetrics = containerMetrics(settings, process, buffer, clock, failedSamples);
    }

    /**
     * The app's container metrics (docs/wire.md section 1) from {@code /proc}: its process tree's CPU and
     * resident memory, its cgroup's memory limit, its root filesystem's use and size; into the same buffer
     * as its lines, every {@code containerMetricsInterval} (none when zero). Readings that fail are counted in
     * {@code failedSamples}, which the summary at the app's end reports.
     */
    private static ContainerMetricsScheduler containerMetrics(ShipperSettings settings, Process process,
                                                              DropOldestBuffer<Envelope> buffer, Clock clock,
                                                              LongAdder failedSamples) {
        if (settings.containerMetricsInterval().isZero()) {
            return new ContainerMetricsScheduler(List.of(), Duration.ofSeconds(1), buffer::offerAll);
        }
        ContainerSampler sampler = new ContainerSampler(
                new ProcessContainer(Proc.host(), Cgroups.host(), process.pid(), Optional.empty()),
                settings.app().sourceId(), settings.app().instanceId(), failedSamples::increment,
                "the summary printed when the app ends", clock, System::nanoTime);
        return new ContainerMetricsScheduler(List.of(sampler), settings.containerMetricsInterval(), buffer::offerAll);
    }

    /** Starts the app (its stdin is closed at once) and begins shipping its output. */
    public static LogShipper start(ShipperSettings settings) {
        Objects.requireNonNull(settings, "settings");
        settings.tls().validate("shipper.tls");
        // Build one envelope before the app starts, so that its first lines are not read late while classes load.
        settings.app().log(ByteString.EMPTY, Log.Type.OUT, 0);
        Process process;
        try {
            process = new ProcessBuilder(settings.command()).start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", settings.command()), e);
        }
        LogShipper shipper;
        try {
            shipper = new LogShipper(settings, process, Clock.systemUTC());
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
        shipper.stdout.start();
        shipper.stderr.start();
        shipper.senderThread.start();
        shipper.containerMetrics.start();
        return shipper;
    }

    /**
     * Waits until the app has ended and what it wrote has been sent (or the flush timeout has passed),
     * then closes the connection to Metron.
     *
     * @return the app's exit code
     */
    public int awaitExit() throws InterruptedException {
        int code = process.waitFor();
        containerMetrics.stop();
        stdout.join();
        stderr.join();
        sender.finishBy(clock.instant().plus(settings.flushTimeout()));
        senderThread.join();
        GrpcTransport.shutdown(channel, 1_000);
        return code;
    }

    /** Asks the app (and what it started) to end, and forces it after a grace period. */
    public void stop() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                descendants.forEach(ProcessHandle::destroyForcibly);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The app's process id. */
    public long pid() {
        return process.pid();
    }

    /** Lines Metron accepted. */
    public long sent() {
        return sender.sent();
    }

    /** Container metric readings of the app that failed (it or a file of its was gone, or unreadable). */
    public long failedSamples() {
        return failedSamples.sum();
    }

    /** Lines lost: dropped by the full buffer, or still unsent when the flush timeout passed. */
    public long lost() {
        return buffer.dropped() + sender.unsent();
    }
}
