package dev.hydrant.nozzles.syslog.loss;

import com.google.protobuf.ByteString;
import dev.hydrant.nozzles.syslog.bindings.Drains;
import dev.hydrant.nozzles.syslog.drain.DrainMetrics;
import dev.hydrant.nozzles.syslog.drain.DrainWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells each app what its drains lost, in its own log, at most once per {@code interval} (a minute by
 * default) per drain, with Loggregator's words: "N messages lost for application GUID in user provided
 * syslog drain with url URL" (the URL without credentials). The line is an ERR log of the app's source id
 * with {@code source_type=LGR}, as Loggregator's own lines about an app are.
 */
public final class LossReporter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LossReporter.class);
    static final String SOURCE_TYPE = "LGR";

    private final Drains drains;
    private final AppLog appLog;
    private final DrainMetrics metrics;
    private final Duration interval;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;

    public LossReporter(Drains drains, AppLog appLog, DrainMetrics metrics, Duration interval, Clock clock) {
        this.drains = Objects.requireNonNull(drains, "drains");
        this.appLog = Objects.requireNonNull(appLog, "appLog");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "syslog-loss-reports");
            thread.setDaemon(true);
            return thread;
        });
    }

    public LossReporter start() {
        scheduler.scheduleWithFixedDelay(this::report, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** The line Loggregator writes into an app's log when its drain lost messages. */
    public static String message(long lost, String sourceId, String url) {
        return lost + " messages lost for application " + sourceId + " in user provided syslog drain with url " + url;
    }

    void report() {
        try {
            for (DrainWriter writer : drains.writers()) {
                long lost = writer.takeLost();
                if (lost > 0) {
                    String sourceId = writer.binding().sourceId();
                    Instant now = clock.instant();
                    appLog.send(Envelope.newBuilder()
                            .setSourceId(sourceId)
                            .setTimestamp(now.getEpochSecond() * 1_000_000_000L + now.getNano())
                            .putTags("source_type", SOURCE_TYPE)
                            .setLog(Log.newBuilder().setType(Log.Type.ERR)
                                    .setPayload(ByteString.copyFromUtf8(message(lost, sourceId, writer.binding().redactedUrl()))))
                            .build());
                    metrics.lossReports().increment();
                }
            }
        } catch (RuntimeException e) {
            log.warn("Loss reports failed this round: {}", e.toString());
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
