package dev.hydrant.it.trafficcontroller;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.cloudfoundry.dropsonde.events.EventFactory;
import org.cloudfoundry.dropsonde.events.LogFactory;

/**
 * A v1 consumer written from docs/wire.md section 4 alone: the JDK's websocket client with
 * {@code Authorization: bearer <token>} (or the {@code authorization} cookie), every binary
 * message parsed with the generated dropsonde parser.
 */
final class V1Consumer implements WebSocket.Listener, AutoCloseable {

    /** A refused upgrade: the HTTP status and the WWW-Authenticate challenge, if any. */
    record Refusal(int status, Optional<String> challenge) {
    }

    final List<EventFactory.Envelope> envelopes = new CopyOnWriteArrayList<>();
    /** Completes with a description when the server closes the stream or the connection breaks. */
    final CompletableFuture<String> ended = new CompletableFuture<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private volatile WebSocket socket;

    private V1Consumer() {
    }

    static V1Consumer connect(URI uri, String token) {
        return open(uri, token, new V1Consumer());
    }

    /** Connects with the token in an {@code authorization} cookie instead of the header. */
    static V1Consumer connectWithCookie(URI uri, String cookieValue) {
        V1Consumer consumer = new V1Consumer();
        try {
            consumer.socket = builder(null)
                    .header("Cookie", "authorization=" + URLEncoder.encode(cookieValue, StandardCharsets.UTF_8))
                    .buildAsync(uri, consumer).get(20, TimeUnit.SECONDS);
            return consumer;
        } catch (Exception e) {
            throw new AssertionError("cannot connect to " + uri, e);
        }
    }

    /** Tries to connect and expects a refusal of the upgrade. */
    static Refusal refusal(URI uri, String token) {
        try {
            V1Consumer consumer = new V1Consumer();
            WebSocket socket = builder(token).buildAsync(uri, consumer).get(20, TimeUnit.SECONDS);
            socket.abort();
            throw new AssertionError("the upgrade to " + uri + " was accepted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return new Refusal(refused.getResponse().statusCode(),
                        refused.getResponse().headers().firstValue("WWW-Authenticate"));
            }
            throw new AssertionError("connecting to " + uri + " failed otherwise", e.getCause());
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    private static V1Consumer open(URI uri, String token, V1Consumer consumer) {
        try {
            consumer.socket = builder(token).buildAsync(uri, consumer).get(20, TimeUnit.SECONDS);
            return consumer;
        } catch (Exception e) {
            throw new AssertionError("cannot connect to " + uri, e);
        }
    }

    private static WebSocket.Builder builder(String token) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10));
        if (token != null) {
            builder.header("Authorization", "bearer " + token);
        }
        return builder;
    }

    /** The log messages received from {@code appId}, in order of arrival. */
    List<LogFactory.LogMessage> logs(String appId) {
        return envelopes.stream()
                .filter(EventFactory.Envelope::hasLogMessage)
                .map(EventFactory.Envelope::getLogMessage)
                .filter(log -> log.getAppId().equals(appId))
                .toList();
    }

    List<String> texts(String appId) {
        return logs(appId).stream().map(log -> log.getMessage().toStringUtf8()).toList();
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
                envelopes.add(EventFactory.Envelope.parseFrom(partial.toByteArray()));
            } catch (Exception e) {
                ended.complete("unparseable frame: " + e);
            }
            partial.reset();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        ended.complete("closed " + statusCode + " " + reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        ended.complete("broken: " + error);
    }

    @Override
    public void close() {
        WebSocket current = socket;
        if (current != null) {
            current.abort();
        }
    }
}
