package dev.hydrant.benchmarks.load;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches the processes of a run over its measured part: a {@link HopSample} of each when the first
 * batch was sent, one when the first window ends (if the run lasts that long) and one when the drain ends;
 * and, in between, each one's resident memory every {@value #RSS_INTERVAL_MILLIS} ms, of which it keeps
 * the highest. Sampling runs on one daemon thread of its own.
 */
final class RunMonitor implements AutoCloseable {

    static final long RSS_INTERVAL_MILLIS = 250;

    private final List<Hop> hops;
    private final Map<Hop, HopSample> before = new ConcurrentHashMap<>();
    private final Map<Hop, HopSample> boundary = new ConcurrentHashMap<>();
    private final Map<Hop, HopSample> after = new ConcurrentHashMap<>();
    private final Map<Hop, Long> rssMaxMb = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "load-harness-monitor");
        thread.setDaemon(true);
        return thread;
    });

    RunMonitor(List<Hop> hops) {
        this.hops = List.copyOf(hops);
    }

    /** Starts sampling memory (before the emitters connect). */
    void start() {
        sampler.scheduleAtFixedRate(this::sampleRss, RSS_INTERVAL_MILLIS, RSS_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * The first batch is being sent: takes the first samples at once (on the monitor's thread) and the
     * first window's end samples {@code firstWindowMillis} later. Quick: it only hands the work over.
     */
    void loadStarted(long firstWindowMillis) {
        sampler.execute(() -> hops.forEach(hop -> {
            HopSample sample = HopSample.take(hop);
            before.put(hop, sample);
            noteRss(hop, sample.rssMb());
        }));
        sampler.schedule(() -> hops.forEach(hop -> boundary.put(hop, HopSample.take(hop))),
                firstWindowMillis, TimeUnit.MILLISECONDS);
    }

    /** Stops sampling and takes the last samples. */
    void finish() throws InterruptedException {
        sampler.shutdownNow();
        sampler.awaitTermination(10, TimeUnit.SECONDS);
        for (Hop hop : hops) {
            HopSample sample = HopSample.take(hop);
            before.putIfAbsent(hop, sample); // nothing was sent
            after.put(hop, sample);
            noteRss(hop, sample.rssMb());
        }
    }

    private void sampleRss() {
        for (Hop hop : hops) {
            if (hop.pid() != null) {
                noteRss(hop, ProcessFigures.of(hop.pid()).rssMb());
            }
        }
    }

    private void noteRss(Hop hop, long mb) {
        if (mb >= 0) {
            rssMaxMb.merge(hop, mb, Math::max);
        }
    }

    HopSample before(Hop hop) {
        return before.get(hop);
    }

    /** The sample at the end of the first window, or null if the run ended before it. */
    HopSample boundary(Hop hop) {
        return boundary.get(hop);
    }

    HopSample after(Hop hop) {
        return after.get(hop);
    }

    /** The highest VmRSS seen during the measured part, MiB, or -1. */
    long rssMaxMb(Hop hop) {
        return rssMaxMb.getOrDefault(hop, -1L);
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
