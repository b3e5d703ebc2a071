package dev.hydrant.trafficcontroller.support;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.cloudfoundry.dropsonde.events.EventFactory;

/**
 * A v1 websocket consumer written against the wire only: the JDK's WebSocket client, each
 * binary message parsed with the generated dropsonde parser. {@code reading=false} makes a
 * consumer that takes the first frame and then stops reading.
 */
public final class V1Client implements WebSocket.Listener, AutoCloseable {

    public final List<EventFactory.Envelope> received = new CopyOnWriteArrayList<>();
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final boolean reading;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private WebSocket socket;

    private V1Client(boolean reading) {
        this.reading = reading;
    }

    public static V1Client connect(URI uri, String token, boolean reading) {
        V1Client client = new V1Client(reading);
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (token != null) {
            builder.header("Authorization", "bearer " + token);
        }
        try {
            client.socket = builder.buildAsync(uri, client).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new CompletionException(e.getCause() != null ? e.getCause() : e);
        }
        return client;
    }

    /** The HTTP status of a refused upgrade. */
    public static int refusalStatus(URI uri, String token) {
        try {
            connect(uri, token, true).close();
            return 101;
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    public static String refusalBody(URI uri, String token) {
        try {
            connect(uri, token, true).close();
            return "";
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return String.valueOf(refused.getResponse().body());
            }
            throw e;
        }
    }

    public void resume() {
        socket.request(Long.MAX_VALUE);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        partial.writeBytes(bytes);
        if (last) {
            try {
                received.add(EventFactory.Envelope.parseFrom(partial.toByteArray()));
            } catch (InvalidProtocolBufferException e) {
                closed.completeExceptionally(e);
            }
            partial.reset();
        }
        if (reading || !last) {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }

    @Override
    public void close() {
        socket.abort();
    }
}
