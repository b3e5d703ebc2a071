package dev.hydrant.standalone.stack;

import com.google.protobuf.ByteString;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.standalone.shipper.ShipCommand;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.cloudfoundry.loggregator.v2.BatchSenderResponse;
import org.cloudfoundry.loggregator.v2.Counter;
import org.cloudfoundry.loggregator.v2.CounterSelector;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.EgressGrpc;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.Gauge;
import org.cloudfoundry.loggregator.v2.GaugeSelector;
import org.cloudfoundry.loggregator.v2.GaugeValue;
import org.cloudfoundry.loggregator.v2.IngressGrpc;
import org.cloudfoundry.loggregator.v2.Log;
import org.cloudfoundry.loggregator.v2.LogSelector;
import org.cloudfoundry.loggregator.v2.Selector;

/**
 * A short run of the whole pipe for the JVM to learn from. {@code ./hydrant train} (and its first
 * {@code run}) runs it under {@code -XX:AOTCacheOutput} (Java 25) or {@code -XX:ArchiveClassesAtExit}
 * (Java 17): the classes that start-up and the per-envelope path load, and on Java 25 the profiles of
 * the hot methods, go into a cache that every later start reads, so the stack starts without loading
 * and linking them again and compiles its hot path early.
 *
 * <p>It starts the stack in a temporary data directory with every port chosen by the system (a running
 * stack is left alone), subscribes to the Doppler's and the Traffic Controller's v2 egress, sends logs,
 * counters and gauges through Metron's {@code BatchSender} for {@link #SECONDS} seconds, closes the
 * stack and deletes the directory.
 */
public final class TrainingRun {

    static final int SECONDS = 8;
    private static final int BATCHES_PER_TICK = 5;
    private static final int BATCH_SIZE = 100;
    private static final long TICK_MILLIS = 10;
    private static final String SOURCE_ID = "training-app";
    private static final ByteString PAYLOAD = ByteString.copyFrom("x".repeat(120), StandardCharsets.UTF_8);
    private static final List<String> EVERY_PORT_CHOSEN = List.of("--doppler.hydrant.doppler.port=0",
            "--doppler.server.port=0", "--metron.hydrant.metron.port=0", "--metron.hydrant.metron.udp-port=0",
            "--metron.server.port=0", "--traffic-controller.server.port=0",
            "--traffic-controller.management.server.port=0", "--traffic-controller.hydrant.traffic-controller.grpc-port=0");

    private TrainingRun() {
    }

    /** Runs it; 0 when envelopes went through, 1 otherwise. */
    public static int run(PrintStream out) {
        Path home = temporaryHome();
        try {
            List<String> args = new ArrayList<>(EVERY_PORT_CHOSEN);
            args.add("--hydrant.home=" + home);
            out.println("Training: starting the stack in " + home + " and sending through it for " + SECONDS + " s...");
            long received;
            try (StandaloneStack stack = StandaloneStack.start(StackSettings.parse(args, Map.of()))) {
                received = drive(stack);
            }
            out.println("Training: " + received + " envelopes received by the subscribers.");
            return received > 0 ? 0 : 1;
        } finally {
            deleteTree(home);
        }
    }

    private static long drive(StandaloneStack stack) {
        TlsFiles client = stack.settings().home().pki().filesFor(ShipCommand.CERTIFICATE_NAME);
        ManagedChannel doppler = GrpcTransport.channel("127.0.0.1:" + stack.dopplerPort(), "doppler", client,
                "training").build();
        ManagedChannel trafficController = GrpcTransport.channel("127.0.0.1:" + stack.trafficControllerGrpcPort(),
                StandaloneStack.EGRESS_SERVER_NAME, client, "training").build();
        ManagedChannel metron = GrpcTransport.channel("127.0.0.1:" + stack.metronPort(), "metron", client,
                "training").build();
        AtomicLong received = new AtomicLong();
        try {
            subscribe(doppler, "training-doppler", received);
            subscribe(trafficController, "training-tc", received);
            send(metron);
            return received.get();
        } finally {
            for (ManagedChannel channel : List.of(metron, trafficController, doppler)) {
                GrpcTransport.shutdown(channel, 1_000);
            }
        }
    }

    private static void subscribe(ManagedChannel channel, String shardId, AtomicLong received) {
        EgressBatchRequest request = EgressBatchRequest.newBuilder().setShardId(shardId)
                .addSelectors(Selector.newBuilder().setLog(LogSelector.getDefaultInstance()))
                .addSelectors(Selector.newBuilder().setCounter(CounterSelector.getDefaultInstance()))
                .addSelectors(Selector.newBuilder().setGauge(GaugeSelector.getDefaultInstance())).build();
        EgressGrpc.newStub(channel).batchedReceiver(request, new StreamObserver<>() {
            @Override
            public void onNext(EnvelopeBatch batch) {
                received.addAndGet(batch.getBatchCount());
            }

            @Override
            public void onError(Throwable t) {
                // the stack closes while the subscriptions are open
            }

            @Override
            public void onCompleted() {
                // as above
            }
        });
    }

    /** {@value #BATCHES_PER_TICK} batches every {@value #TICK_MILLIS} ms on one stream, skipped while it is not ready. */
    private static void send(ManagedChannel channel) {
        SendStream stream = new SendStream();
        IngressGrpc.newStub(channel).batchSender(stream);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        long sequence = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < BATCHES_PER_TICK && stream.isReady(); i++) {
                EnvelopeBatch.Builder batch = EnvelopeBatch.newBuilder();
                for (int j = 0; j < BATCH_SIZE; j++) {
                    batch.addBatch(envelope(sequence++));
                }
                stream.requests().onNext(batch.build());
            }
            pause(TICK_MILLIS);
        }
        stream.requests().onCompleted();
        pause(1_000);
    }

    private static Envelope envelope(long sequence) {
        Envelope.Builder envelope = Envelope.newBuilder().setSourceId(SOURCE_ID).setInstanceId("0")
                .setTimestamp(System.currentTimeMillis() * 1_000_000L).putTags("source_type", "APP/PROC/WEB");
        return switch ((int) (sequence % 20)) {
            case 0 -> envelope.setCounter(Counter.newBuilder().setName("requests").setDelta(1)).build();
            case 1 -> envelope.setGauge(Gauge.newBuilder().putMetrics("cpu",
                    GaugeValue.newBuilder().setValue(0.5).setUnit("percentage").build())).build();
            default -> envelope.setLog(Log.newBuilder().setPayload(PAYLOAD).setType(Log.Type.OUT)).build();
        };
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path temporaryHome() {
        try {
            return Files.createTempDirectory("hydrant-training-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary data directory", e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }

    /** The client side of one {@code BatchSender} call. */
    private static final class SendStream implements ClientResponseObserver<EnvelopeBatch, BatchSenderResponse> {

        private volatile ClientCallStreamObserver<EnvelopeBatch> requests;

        @Override
        public void beforeStart(ClientCallStreamObserver<EnvelopeBatch> requestStream) {
            this.requests = requestStream;
        }

        boolean isReady() {
            return requests.isReady();
        }

        ClientCallStreamObserver<EnvelopeBatch> requests() {
            return requests;
        }

        @Override
        public void onNext(BatchSenderResponse value) {
            // the one response at the end
        }

        @Override
        public void onError(Throwable t) {
            // Metron closing with the stack
        }

        @Override
        public void onCompleted() {
            // as above
        }
    }
}
