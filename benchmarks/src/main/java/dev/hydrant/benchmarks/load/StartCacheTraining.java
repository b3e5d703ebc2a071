package dev.hydrant.benchmarks.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Makes the start-up caches a run reads ({@code --start-cache}): extracts each component's exec jar and, for
 * the components whose cache is missing or stale, records it with a training pass before the measured run.
 * The pass starts the same pipe (the same JVM options, consumer kinds and buffers) with the components
 * recording, loads it at a modest rate long enough for the hot path's methods to be profiled and compiled,
 * and stops them with SIGTERM: each JVM writes its cache as it exits, which is checked.
 */
final class StartCacheTraining {

    /** Envelopes per second of the training pass (or the run's own rate, if lower). */
    static final long TRAINING_RATE = 10_000;
    static final int TRAINING_SECONDS = 10;

    private StartCacheTraining() {
    }

    /**
     * The launcher of the measured run: {@code java}, each component from its extracted jar with its cache
     * in {@code cacheDir}, recorded first (in {@code workDir}/training) where it is missing or stale.
     */
    static Launcher prepare(LoadSettings settings, ComponentJava java, Path cacheDir, Path workDir, PrintStream log)
            throws IOException, InterruptedException {
        StartCache cache = new StartCache(cacheDir, java);
        Map<String, Path> jars = new LinkedHashMap<>();
        Map<String, List<String>> options = new LinkedHashMap<>();
        jars.put("doppler", settings.dopplerJar());
        options.put("doppler", settings.dopplerJvmOptions());
        if (!settings.dopplerOnly()) {
            jars.put("metron-agent", settings.metronJar());
            options.put("metron-agent", settings.metronJvmOptions());
        }
        if (settings.usesTrafficController()) {
            jars.put("traffic-controller", settings.trafficControllerJar());
            options.put("traffic-controller", settings.trafficControllerJvmOptions());
        }
        Set<String> stale = new LinkedHashSet<>();
        for (Map.Entry<String, Path> jar : jars.entrySet()) {
            cache.extracted(jar.getKey(), jar.getValue());
            if (!cache.isCurrent(jar.getKey(), options.get(jar.getKey()))) {
                stale.add(jar.getKey());
            }
        }
        String kind = java.hasAotCache() ? "ahead-of-time cache" : "class-data sharing archive";
        if (stale.isEmpty()) {
            log.println("load-harness: start-up caches (" + kind + ", " + java.describe() + ") in " + cache.dir());
            return new Launcher(java, cache, Set.of());
        }
        LoadSettings training = training(settings, workDir.resolve("training"));
        log.println("load-harness: recording the " + kind + " of " + String.join(", ", stale) + " with "
                + java.describe() + ": a training pass at " + training.rate() + " env/s for " + training.seconds()
                + " s through " + training.consumerKinds() + " (logs in " + training.workDir() + ")");
        long start = System.nanoTime();
        Files.createDirectories(training.workDir());
        try (Components components = Components.open(training, training.workDir(), settings.environment(),
                new Launcher(java, cache, stale))) {
            LoadReport report = new LoadRun(training, components, log).execute();
            log.println("load-harness: training pass sent " + report.sent() + ", lost "
                    + String.format("%.3f", report.lossPercent()) + " %" + (report.errors().isEmpty() ? ""
                    : ", errors " + report.errors()) + "; stopping the components (SIGTERM), which write their caches");
        }
        for (String component : stale) {
            cache.recorded(component, options.get(component), training.workDir().resolve(component + ".log"));
            log.println("load-harness: recorded " + cache.file(component) + " ("
                    + Files.size(cache.file(component)) / (1024 * 1024) + " MB)");
        }
        log.println("load-harness: training took " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) + " s");
        return new Launcher(java, cache, Set.of());
    }

    /** The training pass of {@code run}: the same pipe and consumers, at a modest rate, for a few seconds. */
    static LoadSettings training(LoadSettings run, Path workDir) {
        long rate = run.rate() == 0 ? TRAINING_RATE : Math.min(run.rate(), TRAINING_RATE);
        return new LoadSettings(rate, TRAINING_SECONDS, 0, run.emitters(), 1, run.consumerKinds(), false,
                run.payloadBytes(), run.batchSize(), run.tickMillis(), run.dopplerOnly(), run.running(),
                run.metronJar(), run.dopplerJar(), run.metronJvmOptions(), run.dopplerJvmOptions(),
                run.trafficControllerJar(), run.trafficControllerJvmOptions(), run.tcClientBufferSize(),
                run.tcSlowConsumerTimeoutMillis(), run.metronBufferSize(), run.subscriberBufferSize(),
                run.drainQuietMillis(), run.drainMaxSeconds(), run.startupTimeoutSeconds(), workDir, true, false,
                1, run.environment());
    }
}
