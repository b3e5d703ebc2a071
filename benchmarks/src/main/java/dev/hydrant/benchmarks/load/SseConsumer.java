package dev.hydrant.benchmarks.load;

import dev.hydrant.api.json.EnvelopeJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;

/**
 * One consumer of the Traffic Controller's RLP-gateway stream, {@code /v2/read?log&shard_id=<id>}
 * with an admin bearer token (docs/wire.md section 5). Events are assembled line by line as the SSE
 * format says; each {@code data:} event is one EnvelopeBatch in proto3 JSON, decoded with
 * {@link EnvelopeJson}. Heartbeat and closing events are not envelopes. Lines are requested a
 * small window ahead, so a harness that falls behind is felt through TCP by the Traffic
 * Controller (which then drops oldest in the client's buffer).
 */
final class SseConsumer implements LoadConsumer, Flow.Subscriber<String> {

    /** Lines requested ahead of the one being handled. */
    private static final int WINDOW = 64;
    private static final long CANCEL_WAIT_MILLIS = 1_000;

    private final String shardId;
    /** The one source read, or null for every source. */
    private final String sourceId;
    private final HarnessClock clock;
    private final Receipts receipts;
    private final CountDownLatch closed = new CountDownLatch(1);
    /** The event being assembled; only the subscriber thread touches these. */
    private final StringBuilder data = new StringBuilder();
    private String event = "";

    private volatile Flow.Subscription subscription;
    private volatile String failure;
    private volatile boolean closing;

    SseConsumer(String shardId, HarnessClock clock, int emitters) {
        this(shardId, null, clock, emitters);
    }

    /** A consumer of one source id's logs only ({@code &source_id=...}), or of every source when it is null. */
    SseConsumer(String shardId, String sourceId, HarnessClock clock, int emitters) {
        this.shardId = Objects.requireNonNull(shardId, "shardId");
        this.sourceId = sourceId;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.receipts = new Receipts(emitters);
    }

    /**
     * Opens the stream on the Traffic Controller at {@code base} (http://host:port). It does not
     * wait for the answer: a server may hold its head back until the first event, and the probe
     * that follows proves the stream (a refusal shows as {@link #failure()}).
     */
    void subscribe(HttpClient http, URI base, String token) {
        URI uri = base.resolve("/v2/read?log&shard_id=" + shardId
                + (sourceId == null ? "" : "&source_id=" + sourceId));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Authorization", "bearer " + token)
                .header("Accept", "text/event-stream")
                .GET()
                .build();
        http.sendAsync(request, this::answer).whenComplete((response, error) -> {
            if (!closing && failure == null) {
                failure = error != null ? error.toString() : "the traffic controller ended the stream";
            }
            closed.countDown();
        });
    }

    private HttpResponse.BodySubscriber<Void> answer(HttpResponse.ResponseInfo info) {
        if (info.statusCode() != 200) {
            failure = "HTTP " + info.statusCode() + " from /v2/read";
            return HttpResponse.BodySubscribers.discarding();
        }
        return HttpResponse.BodySubscribers.fromLineSubscriber(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(WINDOW);
    }

    @Override
    public void onNext(String line) {
        if (line.isEmpty()) {
            dispatch();
        } else if (line.startsWith("data:")) {
            if (!data.isEmpty()) {
                data.append('\n');
            }
            data.append(line, line.startsWith("data: ") ? 6 : 5, line.length());
        } else if (line.startsWith("event:")) {
            event = line.substring(line.startsWith("event: ") ? 7 : 6);
        }
        subscription.request(1);
    }

    /** An event is complete: a default (message) event carries a batch; heartbeats and closing do not. */
    private void dispatch() {
        if (!data.isEmpty() && (event.isEmpty() || event.equals("message"))) {
            record(data.toString());
            receipts.publish();
        }
        data.setLength(0);
        event = "";
    }

    private void record(String json) {
        EnvelopeBatch batch;
        try {
            batch = EnvelopeJson.batchFromJson(json);
        } catch (IllegalArgumentException e) {
            receipts.other();
            return;
        }
        long now = clock.nowEpochNanos();
        for (Envelope envelope : batch.getBatchList()) {
            if (envelope.hasLog() && LoadEnvelopes.SOURCE_ID.equals(envelope.getSourceId())) {
                receipts.run(envelope.getLog().getPayload(), envelope.getTimestamp(), now);
            } else if (LoadEnvelopes.PROBE_SOURCE_ID.equals(envelope.getSourceId())) {
                receipts.probe();
            } else {
                receipts.other();
            }
        }
    }

    @Override
    public void onError(Throwable error) {
        if (!closing) {
            failure = error.toString();
        }
        closed.countDown();
    }

    @Override
    public void onComplete() {
        if (!closing) {
            failure = "the traffic controller ended the stream";
        }
        closed.countDown();
    }

    @Override
    public ConsumerKind kind() {
        return ConsumerKind.SSE;
    }

    @Override
    public String subscription() {
        return shardId;
    }

    @Override
    public Receipts receipts() {
        return receipts;
    }

    @Override
    public String failure() {
        return failure;
    }

    /**
     * Cancels the stream (the HTTP client closes the connection). A cancelled line subscriber is
     * not always told that its stream ended, so the wait is short.
     */
    @Override
    public void close(long timeout, TimeUnit unit) throws InterruptedException {
        closing = true;
        Flow.Subscription open = subscription;
        if (open != null) {
            open.cancel();
        }
        closed.await(Math.min(unit.toMillis(timeout), CANCEL_WAIT_MILLIS), TimeUnit.MILLISECONDS);
        closed.countDown();
    }
}
