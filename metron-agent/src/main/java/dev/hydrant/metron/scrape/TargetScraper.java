package dev.hydrant.metron.scrape;

import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes one target: one GET at a time (a tick that finds the last one still running is skipped),
 * the body read within the size limit, parsed on the given executor, and its envelopes handed to the sink. A failure is
 * counted every time and logged once per outage: when the target fails after working (or at its
 * first scrape), and again when it works after failing. The bearer token is read from its file at
 * every scrape, so a rotated token is picked up, and is never logged.
 */
final class TargetScraper {

    /** The text format, version 0.0.4, is what is asked for and parsed. */
    static final String ACCEPT = "text/plain;version=0.0.4;q=1,*/*;q=0.1";

    private static final Logger log = LoggerFactory.getLogger(TargetScraper.class);

    private final ScrapeTarget target;
    private final HttpClient client;
    private final Duration timeout;
    private final long maxBodyBytes;
    private final Consumer<List<Envelope>> sink;
    private final Counter failures;
    private final Clock clock;
    private final Executor parsing;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private volatile boolean failing;

    TargetScraper(ScrapeTarget target, HttpClient client, Duration timeout, long maxBodyBytes,
                  Consumer<List<Envelope>> sink, Counter failures, Clock clock, Executor parsing) {
        this.target = Objects.requireNonNull(target, "target");
        this.client = Objects.requireNonNull(client, "client");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.maxBodyBytes = maxBodyBytes;
        this.sink = Objects.requireNonNull(sink, "sink");
        this.failures = Objects.requireNonNull(failures, "failures");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.parsing = Objects.requireNonNull(parsing, "parsing");
    }

    ScrapeTarget target() {
        return target;
    }

    /** Starts one scrape unless one is still running; never blocks and never throws. */
    void scrape() {
        if (!inFlight.compareAndSet(false, true)) {
            return;
        }
        HttpRequest request;
        try {
            request = request();
        } catch (IOException | RuntimeException e) {
            inFlight.set(false);
            failed("cannot read the bearer token file: " + e.getClass().getSimpleName());
            return;
        }
        try {
            client.sendAsync(request, BoundedBody.handler(maxBodyBytes))
                    .whenCompleteAsync((response, error) -> {
                        try {
                            answered(response, error);
                        } finally {
                            inFlight.set(false);
                        }
                    }, parsing);
        } catch (RuntimeException e) {
            inFlight.set(false);
            failed(e.toString());
        }
    }

    private HttpRequest request() throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.url()).GET().timeout(timeout).header("Accept", ACCEPT);
        if (target.bearerTokenFile().isPresent()) {
            Path file = target.bearerTokenFile().get();
            request.header("Authorization", "Bearer " + Files.readString(file, StandardCharsets.UTF_8).strip());
        }
        return request.build();
    }

    private void answered(HttpResponse<byte[]> response, Throwable error) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            failed(cause.getMessage() == null ? cause.getClass().getSimpleName()
                    : cause.getClass().getSimpleName() + ": " + cause.getMessage());
            return;
        }
        if (response.statusCode() != 200) {
            failed("answered HTTP " + response.statusCode());
            return;
        }
        Instant now = clock.instant();
        List<Sample> samples;
        try {
            samples = ExpositionParser.parse(new String(response.body(), StandardCharsets.UTF_8));
        } catch (MalformedExposition e) {
            failed("not the Prometheus text format: " + e.getMessage());
            return;
        }
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        sink.accept(ScrapeEnvelopes.of(samples, target.sourceId(), target.instanceId(), nanos));
        if (failing) {
            failing = false;
            log.info("scraping {} for source id {} works again", target.display(), target.sourceId());
        }
    }

    private void failed(String reason) {
        failures.increment();
        if (!failing) {
            failing = true;
            log.warn("scraping {} for source id {} failed: {}; further failures are counted as scrape.failures "
                    + "and not logged until it works again", target.display(), target.sourceId(), reason);
        }
    }
}
