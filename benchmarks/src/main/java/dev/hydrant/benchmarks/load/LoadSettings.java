package dev.hydrant.benchmarks.load;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything one load run needs, checked when it is made. The run is bounded in size and
 * time, and every address must be on the loopback interface.
 *
 * @param rate                  envelopes per second over all emitters; 0 sends flat out
 * @param seconds               how long the emitters send
 * @param warmupSeconds         how long the emitters send, unmeasured, before the measured run
 * @param emitters              BatchSender streams, each on its own connection
 * @param consumers             healthy subscribers of each kind, each with its own shard (subscription) id
 * @param consumerKinds         where the healthy consumers read: Doppler, the Traffic Controller's websocket
 *                              firehose, its SSE stream (several kinds run side by side)
 * @param stalledConsumer       also open one subscriber that never reads
 * @param payloadBytes          log payload size
 * @param batchSize             envelopes per EnvelopeBatch at most
 * @param tickMillis            how often a paced emitter sends what is due
 * @param dopplerOnly           emitters send straight to Doppler; no Metron
 * @param metronTarget          host:port of a running Metron, or null to start one
 * @param dopplerTarget         host:port of a running Doppler, or null to start one
 * @param certsDir              client certificates for running components (with the targets)
 * @param metronMetrics         Prometheus URI of a running Metron (optional)
 * @param dopplerMetrics        Prometheus URI of a running Doppler (optional)
 * @param metronJar             Metron exec jar (when started)
 * @param dopplerJar            Doppler exec jar (when started)
 * @param metronJvmOptions      JVM options of the started Metron
 * @param dopplerJvmOptions     JVM options of the started Doppler
 * @param trafficControllerJar  Traffic Controller exec jar (started when a consumer kind reads through it)
 * @param trafficControllerJvmOptions JVM options of the started Traffic Controller
 * @param tcClientBufferSize    {@code hydrant.traffic-controller.client-buffer-size}, or null for its default
 * @param tcSlowConsumerTimeoutMillis {@code hydrant.traffic-controller.slow-consumer-timeout} in ms, or null
 * @param metronBufferSize      {@code hydrant.metron.buffer-size}, or null for Metron's default
 * @param subscriberBufferSize  {@code hydrant.doppler.subscriber-buffer-size}, or null for Doppler's default
 * @param drainQuietMillis      the drain ends once nothing new arrived for this long
 * @param drainMaxSeconds       the drain ends after this long in any case
 * @param startupTimeoutSeconds how long a started component may take to become healthy
 * @param workDir               where certificates and component logs go, or null for a temporary directory
 * @param keepWorkDir           keep the work directory after a successful run
 */
record LoadSettings(long rate, int seconds, int warmupSeconds, int emitters, int consumers,
                    Set<ConsumerKind> consumerKinds, boolean stalledConsumer,
                    int payloadBytes, int batchSize, int tickMillis, boolean dopplerOnly,
                    String metronTarget, String dopplerTarget, Path certsDir, URI metronMetrics, URI dopplerMetrics,
                    Path metronJar, Path dopplerJar, List<String> metronJvmOptions, List<String> dopplerJvmOptions,
                    Path trafficControllerJar, List<String> trafficControllerJvmOptions,
                    Integer tcClientBufferSize, Integer tcSlowConsumerTimeoutMillis,
                    Integer metronBufferSize, Integer subscriberBufferSize,
                    int drainQuietMillis, int drainMaxSeconds, int startupTimeoutSeconds,
                    Path workDir, boolean keepWorkDir) {

    static final long MAX_RATE = 5_000_000;
    static final int MAX_SECONDS = 3_600;
    static final int MAX_EMITTERS = 64;
    static final int MAX_CONSUMERS = 16;

    LoadSettings {
        check(rate >= 0 && rate <= MAX_RATE, "--rate", "must be 0 (flat out) up to " + MAX_RATE);
        check(seconds >= 1 && seconds <= MAX_SECONDS, "--seconds", "must be 1 to " + MAX_SECONDS);
        check(warmupSeconds >= 0 && warmupSeconds <= 600, "--warmup-seconds", "must be 0 to 600");
        check(emitters >= 1 && emitters <= MAX_EMITTERS, "--emitters", "must be 1 to " + MAX_EMITTERS);
        check(consumers >= 1 && consumers <= MAX_CONSUMERS, "--consumers", "must be 1 to " + MAX_CONSUMERS);
        check(consumerKinds != null && !consumerKinds.isEmpty(), "--consumer", "must name at least one kind");
        consumerKinds = Collections.unmodifiableSet(EnumSet.copyOf(consumerKinds));
        check(payloadBytes >= LoadEnvelopes.MIN_PAYLOAD_BYTES && payloadBytes <= 1_048_576, "--payload-bytes",
                "must be " + LoadEnvelopes.MIN_PAYLOAD_BYTES + " to 1048576");
        check(batchSize >= 1 && batchSize <= 10_000, "--batch-size", "must be 1 to 10000");
        check(tickMillis >= 1 && tickMillis <= 1_000, "--tick-ms", "must be 1 to 1000");
        check(drainQuietMillis >= 100 && drainQuietMillis <= 60_000, "--drain-quiet-ms", "must be 100 to 60000");
        check(drainMaxSeconds >= 1 && drainMaxSeconds <= 600, "--drain-max-seconds", "must be 1 to 600");
        check(startupTimeoutSeconds >= 1 && startupTimeoutSeconds <= 600, "--startup-timeout-seconds",
                "must be 1 to 600");
        check(metronBufferSize == null || metronBufferSize >= 1, "--metron-buffer-size", "must be at least 1");
        check(subscriberBufferSize == null || subscriberBufferSize >= 1, "--doppler-subscriber-buffer-size",
                "must be at least 1");
        check(tcClientBufferSize == null || tcClientBufferSize >= 1, "--tc-client-buffer-size", "must be at least 1");
        check(tcSlowConsumerTimeoutMillis == null || tcSlowConsumerTimeoutMillis >= 100,
                "--tc-slow-consumer-timeout-ms", "must be at least 100");
        boolean external = dopplerTarget != null;
        if (external) {
            checkLoopback("--doppler", hostOf(dopplerTarget));
            check(certsDir != null, "--certs", "is required with --doppler (a directory with ca.crt, "
                    + HarnessPki.CLIENT_NAME + ".crt and " + HarnessPki.CLIENT_NAME + ".key)");
            check(dopplerOnly || metronTarget != null, "--metron", "is required with --doppler unless --doppler-only");
            check(consumerKinds.stream().noneMatch(ConsumerKind::throughTrafficController), "--consumer",
                    "websocket and sse need the harness to start the components (and the Traffic Controller):"
                            + " leave out --doppler");
        } else {
            check(metronTarget == null, "--metron", "needs --doppler too: either target both or start both");
            Objects.requireNonNull(dopplerJar, "dopplerJar");
            check(dopplerOnly || metronJar != null, "--metron-jar", "is required");
            check(consumerKinds.stream().noneMatch(ConsumerKind::throughTrafficController)
                    || trafficControllerJar != null, "--traffic-controller-jar", "is required");
        }
        if (metronTarget != null) {
            checkLoopback("--metron", hostOf(metronTarget));
        }
        if (metronMetrics != null) {
            checkLoopback("--metron-metrics", metronMetrics.getHost());
        }
        if (dopplerMetrics != null) {
            checkLoopback("--doppler-metrics", dopplerMetrics.getHost());
        }
        metronJvmOptions = List.copyOf(metronJvmOptions);
        dopplerJvmOptions = List.copyOf(dopplerJvmOptions);
        trafficControllerJvmOptions = List.copyOf(trafficControllerJvmOptions);
    }

    /** Whether a consumer reads through the Traffic Controller, so that the harness starts one. */
    boolean usesTrafficController() {
        return consumerKinds.stream().anyMatch(ConsumerKind::throughTrafficController);
    }

    /** Whether the harness starts Doppler (and Metron) itself. */
    boolean startsComponents() {
        return dopplerTarget == null;
    }

    private static String hostOf(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        check(colon > 0 && colon < hostPort.length() - 1, hostPort, "is not host:port");
        String host = hostPort.substring(0, colon);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static void checkLoopback(String option, String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                check(address.isLoopbackAddress(), option, host + " is not a loopback address; the harness"
                        + " sends load only to this machine");
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(option + ": unknown host " + host, e);
        }
    }

    private static void check(boolean ok, String option, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(option + " " + problem);
        }
    }
}
