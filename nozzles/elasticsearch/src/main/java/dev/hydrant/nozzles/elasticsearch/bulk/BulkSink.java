package dev.hydrant.nozzles.elasticsearch.bulk;

import dev.hydrant.nozzle.runtime.NozzleSink;
import dev.hydrant.nozzles.elasticsearch.http.ClusterClient;
import dev.hydrant.nozzles.elasticsearch.http.ClusterError;
import dev.hydrant.nozzles.elasticsearch.http.ClusterStatus;
import dev.hydrant.nozzles.elasticsearch.template.TemplateInstaller;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * The nozzle's sink: each batch the SDK hands it becomes up to {@code concurrency} {@code _bulk} requests sent
 * at once (the batch split evenly), and {@link #write} returns when every document is settled: indexed,
 * rejected for good (counted by reason, each kind logged once) or, after {@code maxRetries} resends of what
 * the cluster refused for now (429 and 503 items, failed requests), given up and counted. When nothing of a
 * batch got through (the cluster is down or refuses the credentials) it throws, so the SDK counts the failure,
 * turns its health DOWN and sends the whole batch again with its own backoff: no document is sent twice.
 */
public final class BulkSink implements NozzleSink {

    private final ClusterClient client;
    private final ClusterStatus status;
    private final TemplateInstaller template;
    private final DocumentWriter documents;
    private final BulkMetrics metrics;
    private final ItemErrorLog errorLog = new ItemErrorLog();
    private final int concurrency;
    private final int maxRetries;
    private final Duration minBackoff;
    private final Duration maxBackoff;

    public BulkSink(ClusterClient client, ClusterStatus status, TemplateInstaller template, DocumentWriter documents,
                    BulkMetrics metrics, int concurrency, int maxRetries, Duration minBackoff, Duration maxBackoff) {
        this.client = client;
        this.status = status;
        this.template = template;
        this.documents = documents;
        this.metrics = metrics;
        this.concurrency = concurrency;
        this.maxRetries = maxRetries;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
    }

    @Override
    public void write(List<Envelope> batch) throws ClusterUnavailableException {
        if (!template.ensureInstalled()) {
            throw new ClusterUnavailableException("the index template " + template.name() + " is not installed: "
                    + status.lastError());
        }
        long now = System.currentTimeMillis() * 1_000_000L;
        List<byte[]> pending = new ArrayList<>(batch.size());
        for (Envelope envelope : batch) {
            pending.add(documents.item(envelope, now));
        }
        boolean settledAny = false;
        for (int attempt = 0; ; attempt++) {
            Round round = send(pending);
            settledAny |= round.settled > 0;
            if (round.retry.isEmpty()) {
                return;
            }
            if (!settledAny) {
                throw new ClusterUnavailableException(round.lastError == null ? "every document was refused for now"
                        : round.lastError.message());
            }
            if (attempt >= maxRetries) {
                metrics.failed(round.retry.size());
                errorLog.gaveUp(round.retry.size(), round.lastError == null ? "429/503 items"
                        : round.lastError.kind().name().toLowerCase(Locale.ROOT));
                return;
            }
            metrics.retried(round.retry.size());
            LockSupport.parkNanos(backoffNanos(attempt));
            if (Thread.currentThread().isInterrupted()) {
                metrics.failed(round.retry.size());
                return;
            }
            pending = round.retry;
        }
    }

    /** What one round of bulks left to send again, how many documents it settled, and its last request failure. */
    private static final class Round {
        final List<byte[]> retry = new ArrayList<>();
        int settled;
        ClusterError lastError;
    }

    private Round send(List<byte[]> items) {
        int parts = Math.min(concurrency, items.size());
        List<List<byte[]>> chunks = new ArrayList<>(parts);
        List<CompletableFuture<HttpResponse<byte[]>>> answers = new ArrayList<>(parts);
        List<Long> started = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            List<byte[]> chunk = items.subList(items.size() * p / parts, items.size() * (p + 1) / parts);
            chunks.add(chunk);
            metrics.requestSent();
            started.add(System.nanoTime());
            answers.add(client.bulk(body(chunk)));
        }
        Round round = new Round();
        for (int p = 0; p < parts; p++) {
            List<byte[]> chunk = chunks.get(p);
            ClusterError error;
            try {
                HttpResponse<byte[]> answer = answers.get(p).join();
                if (answer.statusCode() == 200) {
                    metrics.requestDone(System.nanoTime() - started.get(p), true);
                    status.succeeded();
                    settle(chunk, answer.body(), round);
                    continue;
                }
                error = ClusterError.ofStatus(answer.statusCode(), new String(answer.body(), StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                error = ClusterError.of(e);
            }
            metrics.requestDone(System.nanoTime() - started.get(p), false);
            status.failed("sending a bulk request", error);
            round.lastError = error;
            round.retry.addAll(chunk);
        }
        return round;
    }

    private void settle(List<byte[]> chunk, byte[] answer, Round round) {
        BulkAnswer parsed = BulkAnswer.parse(answer);
        int indexed = 0;
        for (int i = 0; i < chunk.size(); i++) {
            BulkAnswer.Item item = parsed.item(i);
            if (item.ok()) {
                indexed++;
            } else if (item.retriable()) {
                round.retry.add(chunk.get(i));
                continue;
            } else {
                RejectReason reason = RejectReason.of(item.type());
                metrics.rejected(reason);
                errorLog.rejected(item.type(), item.status(), item.reason(), reason);
            }
            round.settled++;
        }
        metrics.indexed(indexed);
    }

    private static byte[] body(List<byte[]> chunk) {
        int size = 0;
        for (byte[] item : chunk) {
            size += item.length;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(size);
        for (byte[] item : chunk) {
            body.writeBytes(item);
        }
        return body.toByteArray();
    }

    private long backoffNanos(int attempt) {
        long base = minBackoff.toNanos() << Math.min(attempt, 20);
        long capped = Math.min(base <= 0 ? Long.MAX_VALUE : base, maxBackoff.toNanos());
        return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    }
}
