package dev.hydrant.benchmarks.load;

import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything one load run needs, checked when it is made. The run is bounded in size and
 * time; addresses are checked by {@link RunningPipe}.
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
 * @param running               the running components targeted, or {@link RunningPipe#NONE} to start them
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
 * @param cold                  start the pipe and load it as soon as it is healthy and proven (no warm-up)
 * @param firstWindowSeconds    the first window of the measured run, reported apart from the rest: envelopes
 *                              stamped (sent) this many seconds or less after the first send
 * @param environment           added to the environment of every started component
 */
record LoadSettings(long rate, int seconds, int warmupSeconds, int emitters, int consumers,
                    Set<ConsumerKind> consumerKinds, boolean stalledConsumer,
                    int payloadBytes, int batchSize, int tickMillis, boolean dopplerOnly,
                    RunningPipe running,
                    Path metronJar, Path dopplerJar, List<String> metronJvmOptions, List<String> dopplerJvmOptions,
                    Path trafficControllerJar, List<String> trafficControllerJvmOptions,
                    Integer tcClientBufferSize, Integer tcSlowConsumerTimeoutMillis,
                    Integer metronBufferSize, Integer subscriberBufferSize,
                    int drainQuietMillis, int drainMaxSeconds, int startupTimeoutSeconds,
                    Path workDir, boolean keepWorkDir, boolean cold, int firstWindowSeconds,
                    Map<String, String> environment) {

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
        Objects.requireNonNull(consumerKinds, "consumerKinds");
        consumerKinds = Collections.unmodifiableSet(consumerKinds.isEmpty() ? EnumSet.noneOf(ConsumerKind.class)
                : EnumSet.copyOf(consumerKinds));
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
        check(firstWindowSeconds >= 1 && firstWindowSeconds <= MAX_SECONDS, "--first-window-seconds",
                "must be 1 to " + MAX_SECONDS);
        Objects.requireNonNull(running, "running");
        if (running.targetsAny()) {
            check(!cold, "--cold", "starts the pipe: leave out --metron, --doppler and --traffic-controller");
            check(dopplerOnly ? running.doppler() != null : running.metron() != null,
                    dopplerOnly ? "--doppler" : "--metron", "is required: the emitters send there");
            check(running.doppler() != null || !consumerKinds.contains(ConsumerKind.DOPPLER) && !stalledConsumer,
                    "--doppler", "is required for doppler consumers (or name another --consumer)");
            check(running.trafficController() != null
                            || consumerKinds.stream().noneMatch(ConsumerKind::throughTrafficController),
                    "--traffic-controller", "is required for websocket and sse consumers");
            check(running.certsDir() != null || running.metron() == null && running.doppler() == null, "--certs",
                    "is required with --metron or --doppler (a directory with ca.crt, " + HarnessPki.CLIENT_NAME
                            + ".crt and " + HarnessPki.CLIENT_NAME + ".key)");
        } else {
            check(!running.mentionsAny(), "--certs, --*-metrics, --*-pid and --token-*",
                    "are for running components: name them with --metron, --doppler or --traffic-controller");
            Objects.requireNonNull(dopplerJar, "dopplerJar");
            check(dopplerOnly || metronJar != null, "--metron-jar", "is required");
            check(consumerKinds.stream().noneMatch(ConsumerKind::throughTrafficController)
                    || trafficControllerJar != null, "--traffic-controller-jar", "is required");
        }
        check(!cold || warmupSeconds == 0, "--cold", "and --warmup-seconds exclude each other");
        environment = Map.copyOf(environment);
        metronJvmOptions = List.copyOf(metronJvmOptions);
        dopplerJvmOptions = List.copyOf(dopplerJvmOptions);
        trafficControllerJvmOptions = List.copyOf(trafficControllerJvmOptions);
    }

    /** Whether a consumer reads through the Traffic Controller, so that the harness starts one. */
    boolean usesTrafficController() {
        return consumerKinds.stream().anyMatch(ConsumerKind::throughTrafficController);
    }

    /** Whether the harness starts the components itself (else it targets running ones). */
    boolean startsComponents() {
        return !running.targetsAny();
    }

    private static void check(boolean ok, String option, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(option + " " + problem);
        }
    }
}
