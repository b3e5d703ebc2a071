package dev.hydrant.metron.scrape;

import dev.hydrant.metron.ingress.IngressServer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the target scrapers: one scheduler thread ticks every target at its interval and only starts
 * its exchange, which runs on the HTTP clients' fixed pool of {@code threads} threads (exchanges,
 * body reading and parsing); at most one exchange per target is in flight, so the work queued is
 * bounded by the number of targets and never reaches the ingress threads. Starts and stops with the
 * ingress, so nothing is scraped into the buffer after the last flush.
 */
public final class ScrapeScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ScrapeScheduler.class);

    private final List<TargetScraper> scrapers;
    private final ExecutorService httpThreads;
    private ScheduledExecutorService ticks;

    ScrapeScheduler(List<TargetScraper> scrapers, ExecutorService httpThreads) {
        this.scrapers = List.copyOf(scrapers);
        this.httpThreads = Objects.requireNonNull(httpThreads, "httpThreads");
    }

    /** Daemon threads named {@code prefix-N}. */
    static ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public synchronized void start() {
        if (ticks != null || scrapers.isEmpty()) {
            return;
        }
        ticks = Executors.newSingleThreadScheduledExecutor(threads("metron-scrape-tick"));
        for (TargetScraper scraper : scrapers) {
            Duration interval = scraper.target().interval();
            ticks.scheduleAtFixedRate(scraper::scrape, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
            log.info("scraping {} every {} as source id {}", scraper.target().display(), interval,
                    scraper.target().sourceId());
        }
    }

    @Override
    public synchronized void stop() {
        if (ticks != null) {
            ticks.shutdownNow();
            ticks = null;
        }
        httpThreads.shutdownNow();
    }

    @Override
    public synchronized boolean isRunning() {
        return ticks != null;
    }

    @Override
    public int getPhase() {
        return IngressServer.PHASE;
    }
}
