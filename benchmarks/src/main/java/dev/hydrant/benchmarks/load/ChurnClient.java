package dev.hydrant.benchmarks.load;

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
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client that comes and goes: each {@link #visit()} opens the app's websocket stream,
 * {@code /apps/{id}/stream} (docs/wire.md section 4), waits for its first frame, then closes
 * normally (aborting if the server does not answer the close), so that every visit makes and
 * ends a subscription in the Traffic Controller and in the Doppler.
 */
final class ChurnClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final long FIRST_FRAME_SECONDS = 5;
    private static final long CLOSE_SECONDS = 2;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT).build();
    private final URI uri;
    private final String token;
    private final AtomicLong visits = new AtomicLong();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong frames = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile String lastFailure;

    ChurnClient(URI base, String sourceId, String token) {
        this.uri = URI.create("ws://" + base.getAuthority() + "/apps/" + sourceId + "/stream");
        this.token = Objects.requireNonNull(token, "token");
    }

    /** One visit; never throws (a failure is counted and kept for the report). */
    void visit() {
        visits.incrementAndGet();
        Listener listener = new Listener();
        WebSocket socket;
        try {
            socket = http.newWebSocketBuilder().header("Authorization", "bearer " + token)
                    .connectTimeout(CONNECT_TIMEOUT).buildAsync(uri, listener)
                    .get(CONNECT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            fail("connect: " + (e instanceof ExecutionException ? e.getCause() : e));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            if (listener.firstFrame.await(FIRST_FRAME_SECONDS, TimeUnit.SECONDS)) {
                served.incrementAndGet();
            } else {
                fail("no frame within " + FIRST_FRAME_SECONDS + " s");
            }
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "leaving");
            if (!listener.closed.await(CLOSE_SECONDS, TimeUnit.SECONDS)) {
                socket.abort();
            }
        } catch (InterruptedException e) {
            socket.abort();
            Thread.currentThread().interrupt();
        }
    }

    private void fail(String why) {
        failed.incrementAndGet();
        lastFailure = why;
    }

    long visits() {
        return visits.get();
    }

    /** Visits that got at least one frame. */
    long served() {
        return served.get();
    }

    long frames() {
        return frames.get();
    }

    long failed() {
        return failed.get();
    }

    String lastFailure() {
        return lastFailure;
    }

    private final class Listener implements WebSocket.Listener {

        private final CountDownLatch firstFrame = new CountDownLatch(1);
        private final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            if (last) {
                frames.incrementAndGet();
                firstFrame.countDown();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.countDown();
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.countDown();
        }
    }
}
