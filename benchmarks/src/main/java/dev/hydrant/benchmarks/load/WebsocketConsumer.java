package dev.hydrant.benchmarks.load;

import com.google.protobuf.InvalidProtocolBufferException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.cloudfoundry.dropsonde.events.EventFactory;
import org.cloudfoundry.dropsonde.events.LogFactory;

/**
 * One consumer of the Traffic Controller's v1 websocket firehose,
 * {@code /firehose/<subscription>?filter-type=logs} with an admin bearer token (docs/wire.md section 4).
 * Each binary frame is one dropsonde Envelope; a LogMessage of the run carries the harness's
 * payload, so the (emitter, sequence) prefix is read from it and the latency from the v1
 * envelope's timestamp. It asks for a small window of frames and one more per frame handled, so
 * a harness that falls behind is felt by the Traffic Controller as a slow consumer. The JDK
 * client answers pings with pongs by itself.
 */
final class WebsocketConsumer implements LoadConsumer, WebSocket.Listener {

    /** Frames requested ahead of the one being handled. */
    private static final int WINDOW = 64;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private final String subscription;
    private final HarnessClock clock;
    private final Receipts receipts;
    private final CountDownLatch closed = new CountDownLatch(1);

    /** Parts of a frame that came in pieces; only the listener thread touches it. */
    private ByteBuffer partial;
    private volatile WebSocket socket;
    private volatile String failure;
    private volatile boolean closing;

    WebsocketConsumer(String subscription, HarnessClock clock, int emitters) {
        this.subscription = Objects.requireNonNull(subscription, "subscription");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.receipts = new Receipts(emitters);
    }

    /** Opens the firehose on the Traffic Controller at {@code base} (http or https://host:port); waits for the upgrade. */
    void subscribe(HttpClient http, URI base, String token) throws InterruptedException {
        String scheme = "https".equals(base.getScheme()) ? "wss://" : "ws://";
        URI uri = URI.create(scheme + base.getAuthority() + "/firehose/" + subscription + "?filter-type=logs");
        try {
            socket = http.newWebSocketBuilder()
                    .header("Authorization", "bearer " + token)
                    .connectTimeout(CONNECT_TIMEOUT)
                    .buildAsync(uri, this)
                    .get(CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("cannot open the websocket firehose " + uri + ": " + cause, cause);
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(WINDOW);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        if (!last || partial != null) {
            partial = append(partial, data);
            if (!last) {
                webSocket.request(1);
                return null;
            }
            data = partial.flip();
            partial = null;
        }
        record(data);
        receipts.publish();
        webSocket.request(1);
        return null;
    }

    private void record(ByteBuffer frame) {
        EventFactory.Envelope envelope;
        try {
            envelope = EventFactory.Envelope.parseFrom(frame);
        } catch (InvalidProtocolBufferException e) {
            receipts.other();
            return;
        }
        if (!envelope.hasLogMessage()) {
            receipts.other();
            return;
        }
        LogFactory.LogMessage log = envelope.getLogMessage();
        if (LoadEnvelopes.SOURCE_ID.equals(log.getAppId())) {
            receipts.run(log.getMessage(), envelope.getTimestamp(), clock.nowEpochNanos());
        } else if (LoadEnvelopes.PROBE_SOURCE_ID.equals(log.getAppId())) {
            receipts.probe();
        } else {
            receipts.other();
        }
    }

    private static ByteBuffer append(ByteBuffer to, ByteBuffer more) {
        if (to == null || to.remaining() < more.remaining()) {
            int held = to == null ? 0 : to.position();
            ByteBuffer grown = ByteBuffer.allocate(Math.max(4096, 2 * (held + more.remaining())));
            if (to != null) {
                grown.put(to.flip());
            }
            to = grown;
        }
        return to.put(more);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        if (last) {
            receipts.other();
            receipts.publish();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        if (!closing) {
            failure = "closed by the traffic controller: " + statusCode + (reason.isEmpty() ? "" : " " + reason);
        }
        closed.countDown();
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        if (!closing) {
            failure = error.toString();
        }
        closed.countDown();
    }

    @Override
    public ConsumerKind kind() {
        return ConsumerKind.WEBSOCKET;
    }

    @Override
    public String subscription() {
        return subscription;
    }

    @Override
    public Receipts receipts() {
        return receipts;
    }

    @Override
    public String failure() {
        return failure;
    }

    /** Sends a normal close and waits for the server's; aborts the connection if it does not come. */
    @Override
    public void close(long timeout, TimeUnit unit) throws InterruptedException {
        closing = true;
        WebSocket open = socket;
        if (open == null) {
            return;
        }
        if (!open.isOutputClosed()) {
            open.sendClose(WebSocket.NORMAL_CLOSURE, "load run finished");
        }
        if (!closed.await(timeout, unit)) {
            open.abort();
        }
    }
}
