package dev.hydrant.it.shutdown;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.doppler.DopplerApplication;
import dev.hydrant.it.trafficcontroller.SseConsumer;
import dev.hydrant.metron.MetronApplication;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.trafficcontroller.TrafficControllerApplication;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.IngressGrpc;
import org.cloudfoundry.loggregator.v2.Log;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metron, a Doppler and two Traffic Controllers as separate processes, each stopped with SIGTERM
 * while 10,000 envelopes a second flow through it: each exits with status 0 within its
 * {@code shutdown-grace} plus one second, ends its clients' streams properly (gRPC completed with OK, a
 * v1 websocket closed with 1001, an SSE reader sent the {@code closing} event), and loses nothing it had
 * confirmed without counting it. One Traffic Controller is stopped first, under the load; then the pipe
 * in order: Metron (which flushes to the Doppler), the Doppler, the other Traffic Controller.
 *
 * <p>What "nothing confirmed is lost" means, hop by hop (Metron's ingress is fire-and-forget, so the
 * claims start at Metron's books):
 * <ul>
 *   <li>Metron's books balance at exit: {@code ingress = egress + dropped(ingress) + dropped(egress) +
 *       buffer.fill}, where {@code egress} counts what a Doppler confirmed; and its buffer has room for the
 *       whole run, so nothing is pushed out of it however slow the machine ({@code dropped(ingress) = 0}).</li>
 *   <li>What the Doppler confirmed to Metron reached the Doppler's subscriber or was counted as dropped by
 *       the Doppler: {@code received >= metron.egress - doppler.dropped}. (The subscriber may receive more:
 *       envelopes of a stream the Doppler ended before confirming it, which Metron counts as dropped.)</li>
 * </ul>
 * The rate is paced and the buffers are sized for the run, so neither claim depends on the speed of
 * the machine; only the exit within the grace plus one second is a bound in time.
 */
class ShutdownTest {

    private static final Duration METRON_GRACE = Duration.ofSeconds(3);
    private static final Duration DOPPLER_GRACE = Duration.ofSeconds(3);
    private static final Duration TC_GRACE = Duration.ofSeconds(2);
    /** What an exit may take beyond the grace: the JVM's own end. */
    private static final Duration EXIT_MARGIN = Duration.ofSeconds(1);
    private static final Duration START_PATIENCE = Duration.ofSeconds(90);
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final int RATE = 10_000;
    /** The websocket close code of a server that goes away. */
    private static final int GOING_AWAY = 1001;
    /** Envelopes of room in every buffer: more than a run sends, so nothing is pushed out for want of room. */
    private static final int ROOM = 300_000;

    private static final Pattern DOPPLER_PORT = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+) with mutual TLS");
    private static final Pattern METRON_PORT = Pattern.compile("metron ingress listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern TC_GRPC_PORT = Pattern.compile("gRPC egress listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern METRON_BOOKS = Pattern.compile(
            "metron stopped: ingress=(\\d+) egress=(\\d+) dropped.ingress=(\\d+) dropped.egress=(\\d+) buffer.fill=(\\d+)");
    private static final Pattern DOPPLER_BOOKS = Pattern.compile(
            "doppler stopped in \\d+ ms: ingress=(\\d+) egress=(\\d+) dropped.egress=(\\d+) subscriber.buffer.fill=(\\d+)");

    /** Kept when a test fails: the components' logs are in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private CertificateAuthority ca;
    private TlsFiles client;
    private final List<ChildComponent> processes = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<PacedFeeder> feeders = new ArrayList<>();

    @BeforeEach
    void pki() {
        ca = CertificateAuthority.create("shutdown-test-ca");
        client = ca.issueFiles(dir.resolve("client"), "shutdown-test");
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        for (PacedFeeder feeder : feeders) {
            feeder.stop();
        }
        channels.forEach(channel -> GrpcTransport.shutdown(channel, 200));
        processes.forEach(ChildComponent::close);
    }

    @Test
    void eachStoppedUnderLoad_exitsZeroWithinItsGrace_andWhatItConfirmedIsDeliveredOrCounted() throws Exception {
        ChildComponent doppler = startDoppler();
        int dopplerPort = (int) doppler.awaitLogged(DOPPLER_PORT, START_PATIENCE);
        ChildComponent metron = startMetron(dopplerPort);
        ChildComponent firstTrafficController = startTrafficController("traffic-controller-1", dopplerPort);
        ChildComponent lastTrafficController = startTrafficController("traffic-controller-2", dopplerPort);
        int metronPort = (int) metron.awaitLogged(METRON_PORT, START_PATIENCE);
        int firstTcPort = (int) firstTrafficController.awaitLogged(TC_GRPC_PORT, START_PATIENCE);
        int lastTcPort = (int) lastTrafficController.awaitLogged(TC_GRPC_PORT, START_PATIENCE);
        ManagedChannel toDoppler = channel(dopplerPort, "doppler");
        Recorder atDoppler = Recorder.subscribe(toDoppler, "app", "direct", "probe");
        Recorder nozzle = Recorder.subscribe(channel(firstTcPort, "traffic-controller"), "app", "probe");
        Recorder lastClient = Recorder.subscribe(channel(lastTcPort, "traffic-controller"), "app", "direct", "probe");
        awaitSubscribed(toDoppler, atDoppler, nozzle, lastClient);

        PacedFeeder emitter = feed(channel(metronPort, "metron"), "app");
        await().atMost(PATIENCE).until(() -> atDoppler.count("app") >= RATE && nozzle.count("app") >= RATE
                && lastClient.count("app") > 0);

        // 1. a Traffic Controller whose nozzle reads the whole load: it completes the nozzle's stream
        assertExitedCleanly(firstTrafficController.terminate(TC_GRACE.plus(EXIT_MARGIN)), TC_GRACE);
        assertThat(nozzle.end().get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                .as("how the traffic controller ended its nozzle's stream").isEqualTo(Status.OK);

        // 2. Metron, with the emitter still sending to it: it flushes to the Doppler
        assertExitedCleanly(metron.terminate(METRON_GRACE.plus(EXIT_MARGIN)), METRON_GRACE);
        long confirmed = assertBooksBalance(metron, emitter.sent());

        // 3. the Doppler, fed directly now (as by another agent), with its subscribers reading
        PacedFeeder agent = feed(toDoppler, "direct");
        await().atMost(PATIENCE).until(() -> atDoppler.count("direct") >= RATE / 2);
        assertExitedCleanly(doppler.terminate(DOPPLER_GRACE.plus(EXIT_MARGIN)), DOPPLER_GRACE);
        assertThat(atDoppler.end().get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                .as("how the doppler ended its subscriber's stream").isEqualTo(Status.OK);
        assertConfirmedDeliveredOrCounted(doppler, confirmed, atDoppler.count("app"));
        await().atMost(PATIENCE).until(agent::ended);

        // 4. the other Traffic Controller, its gRPC client's stream still open (its Dopplers are gone), and
        //    a websocket firehose and an SSE reader connected now: it ends each stream the normal way
        try (WebReaders readers = WebReaders.connect(lastTrafficController, PATIENCE)) {
            assertExitedCleanly(lastTrafficController.terminate(TC_GRACE.plus(EXIT_MARGIN)), TC_GRACE);
            assertThat(lastClient.end().get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                    .as("how the last traffic controller ended its client's stream").isEqualTo(Status.OK);
            assertThat(readers.firehose.closed.get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                    .as("the close code of the firehose's websocket").isEqualTo(GOING_AWAY);
            readers.sse.ended.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(readers.sse.events).as("the SSE reader's named events")
                    .containsExactly(new SseConsumer.NamedEvent("closing", "closing due to shutdown"));
        }
    }

    /**
     * Metron's books at exit balance, and nothing was pushed out of its buffer (it has room for the run).
     *
     * @return what the Doppler confirmed to Metron
     */
    private static long assertBooksBalance(ChildComponent metron, long sent) {
        Matcher books = metron.logged(METRON_BOOKS);
        assertThat(books).as("metron's closing books in its log:%n%s", metron.tail()).isNotNull();
        long ingress = Long.parseLong(books.group(1));
        long confirmed = Long.parseLong(books.group(2));
        long droppedIngress = Long.parseLong(books.group(3));
        long droppedEgress = Long.parseLong(books.group(4));
        long waiting = Long.parseLong(books.group(5));
        assertThat(ingress).as("metron's books: %s", books.group()).isPositive()
                .isEqualTo(confirmed + droppedIngress + droppedEgress + waiting)
                .isLessThanOrEqualTo(sent);
        assertThat(droppedIngress).as("pushed out of metron's buffer, which has room for the run").isZero();
        return confirmed;
    }

    /** What the Doppler confirmed to Metron reached its subscriber, but for what the Doppler counted as dropped. */
    private static void assertConfirmedDeliveredOrCounted(ChildComponent doppler, long confirmed, long received) {
        Matcher books = doppler.logged(DOPPLER_BOOKS);
        assertThat(books).as("the doppler's closing books in its log:%n%s", doppler.tail()).isNotNull();
        long dropped = Long.parseLong(books.group(3));
        assertThat(received)
                .as("received of what the doppler confirmed to metron (%d), less the doppler's drops (%s)",
                        confirmed, books.group())
                .isGreaterThanOrEqualTo(confirmed - dropped);
    }

    private void assertExitedCleanly(ChildComponent.Stop stop, Duration grace) {
        assertThat(stop.exited())
                .as("%s exited within its grace %s plus %s after SIGTERM; its log:%n%s", stop.name(), grace, EXIT_MARGIN,
                        stop.log())
                .isTrue();
        assertThat(stop.status()).as("%s's exit status after SIGTERM; its log:%n%s", stop.name(), stop.log()).isZero();
    }

    /**
     * Sends probe envelopes straight to the Doppler until both subscribers get them: from then on
     * both subscriptions are in place, so everything later routed reaches them.
     */
    private void awaitSubscribed(ManagedChannel toDoppler, Recorder... recorders) {
        IngressGrpc.IngressBlockingStub ingress = IngressGrpc.newBlockingStub(toDoppler);
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> {
            ingress.withDeadlineAfter(5, TimeUnit.SECONDS).send(EnvelopeBatch.newBuilder()
                    .addBatch(Envelope.newBuilder().setSourceId("probe").putTags("seq", Long.toString(System.nanoTime()))
                            .setLog(Log.getDefaultInstance()))
                    .build());
            for (Recorder recorder : recorders) {
                if (recorder.count("probe") == 0) {
                    return false;
                }
            }
            return true;
        });
    }

    private PacedFeeder feed(ManagedChannel channel, String sourceId) {
        PacedFeeder feeder = PacedFeeder.start(channel, sourceId, RATE);
        feeders.add(feeder);
        return feeder;
    }

    private ChildComponent startDoppler() throws Exception {
        TlsFiles tls = ca.issueFiles(dir.resolve("doppler"), "doppler");
        List<String> arguments = new ArrayList<>(List.of(
                "--hydrant.doppler.host=127.0.0.1",
                "--hydrant.doppler.port=0",
                "--hydrant.doppler.subscriber-buffer-size=" + ROOM,
                "--hydrant.doppler.metrics-interval=1h",
                "--hydrant.doppler.shutdown-grace=" + DOPPLER_GRACE.toMillis() + "ms",
                "--server.address=127.0.0.1",
                "--server.port=0"));
        arguments.addAll(tlsArguments("hydrant.doppler.tls", tls));
        return start("doppler", DopplerApplication.class, arguments);
    }

    private ChildComponent startMetron(int dopplerPort) throws Exception {
        TlsFiles tls = ca.issueFiles(dir.resolve("metron"), "metron");
        List<String> arguments = new ArrayList<>(List.of(
                "--hydrant.metron.port=0",
                "--hydrant.metron.udp-port=0",
                "--hydrant.metron.dopplers=127.0.0.1:" + dopplerPort,
                "--hydrant.metron.buffer-size=" + ROOM,
                "--hydrant.metron.metrics-interval=1h",
                "--hydrant.metron.shutdown-grace=" + METRON_GRACE.toMillis() + "ms",
                "--server.address=127.0.0.1",
                "--server.port=0"));
        arguments.addAll(tlsArguments("hydrant.metron.tls", tls));
        return start("metron", MetronApplication.class, arguments);
    }

    private ChildComponent startTrafficController(String name, int dopplerPort) throws Exception {
        TlsFiles tls = ca.issueFiles(dir.resolve(name), "traffic-controller");
        String prefix = "--hydrant.traffic-controller.";
        List<String> arguments = new ArrayList<>(List.of(
                prefix + "dopplers=127.0.0.1:" + dopplerPort,
                prefix + "grpc-host=127.0.0.1",
                prefix + "grpc-port=0",
                prefix + "client-buffer-size=" + ROOM,
                prefix + "auth.disabled=true",
                prefix + "metrics.enabled=false",
                prefix + "shutdown-grace=" + TC_GRACE.toMillis() + "ms",
                prefix + "drains.data-dir=" + dir.resolve(name).resolve("drains"),
                "--server.address=127.0.0.1",
                "--server.port=0",
                "--management.server.address=127.0.0.1",
                "--management.server.port=0"));
        arguments.addAll(tlsArguments("hydrant.traffic-controller.tls", tls));
        return start(name, TrafficControllerApplication.class, arguments);
    }

    private ChildComponent start(String name, Class<?> mainClass, List<String> arguments) throws Exception {
        ChildComponent process = ChildComponent.start(name, mainClass, arguments, dir);
        processes.add(process);
        return process;
    }

    private ManagedChannel channel(int port, String serverName) {
        ManagedChannel channel = GrpcTransport.channel("127.0.0.1:" + port, serverName, client, "test.tls").build();
        channels.add(channel);
        return channel;
    }

    private static List<String> tlsArguments(String prefix, TlsFiles files) {
        return List.of("--" + prefix + ".cert-file=" + files.certFile().toAbsolutePath(),
                "--" + prefix + ".key-file=" + files.keyFile().toAbsolutePath(),
                "--" + prefix + ".ca-file=" + files.caFile().toAbsolutePath());
    }
}
