package dev.hydrant.testsupport.websocket;

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
import java.util.concurrent.TimeoutException;
import org.cloudfoundry.dropsonde.events.EventFactory;
import org.cloudfoundry.dropsonde.events.LogFactory;

/**
 * A v1 websocket consumer written against the wire only: the JDK's websocket client with
 * {@code Authorization: bearer <token>} (or the {@code authorization} cookie), each binary message
 * parsed with the generated dropsonde parser. One that is not {@code reading} takes the first
 * message and then stops reading until {@link #resume()}.
 */
public final class V1Client implements WebSocket.Listener, AutoCloseable {

    /** A refused upgrade: the HTTP status (101 when it was not refused) and the WWW-Authenticate challenge, if any. */
    public record Refusal(int status, Optional<String> challenge) {
    }

    /** Every envelope received, in order of arrival. */
    public final List<EventFactory.Envelope> received = new CopyOnWriteArrayList<>();
    /** Completes with the close code when the server closes the stream, -1 when the connection breaks. */
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final boolean reading;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private volatile WebSocket socket;

    private V1Client(boolean reading) {
        this.reading = reading;
    }

    /** A consumer that reads everything it is sent. */
    public static V1Client connect(URI uri, String token) {
        return connect(uri, token, true);
    }

    public static V1Client connect(URI uri, String token, boolean reading) {
        return open(uri, builder(token), new V1Client(reading));
    }

    /**
     * Connects with the token in an {@code authorization} cookie instead of the header, as a browser
     * showing a page of the Traffic Controller's own host would: with that host as {@code Origin}
     * (a cookie token from another origin is refused).
     */
    public static V1Client connectWithCookie(URI uri, String cookieValue) {
        String scheme = "wss".equals(uri.getScheme()) ? "https" : "http";
        WebSocket.Builder builder = builder(null)
                .header("Cookie", "authorization=" + URLEncoder.encode(cookieValue, StandardCharsets.UTF_8))
                .header("Origin", scheme + "://" + uri.getRawAuthority());
        return open(uri, builder, new V1Client(true));
    }

    /** Tries to connect; a refused upgrade answers its status, an accepted one status 101 (and is closed). */
    public static Refusal refusal(URI uri, String token) {
        try {
            WebSocket accepted = builder(token).buildAsync(uri, new V1Client(true)).get(20, TimeUnit.SECONDS);
            accepted.abort();
            return new Refusal(101, Optional.empty());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return new Refusal(refused.getResponse().statusCode(),
                        refused.getResponse().headers().firstValue("WWW-Authenticate"));
            }
            throw new AssertionError("connecting to " + uri + " failed otherwise", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("connecting to " + uri + " got no answer", e);
        }
    }

    /** The HTTP status of a refused upgrade, 101 when the upgrade was accepted. */
    public static int refusalStatus(URI uri, String token) {
        return refusal(uri, token).status();
    }

    private static V1Client open(URI uri, WebSocket.Builder builder, V1Client client) {
        try {
            client.socket = builder.buildAsync(uri, client).get(20, TimeUnit.SECONDS);
            return client;
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
    public List<LogFactory.LogMessage> logs(String appId) {
        return received.stream()
                .filter(EventFactory.Envelope::hasLogMessage)
                .map(EventFactory.Envelope::getLogMessage)
                .filter(log -> log.getAppId().equals(appId))
                .toList();
    }

    /** The texts of {@link #logs}. */
    public List<String> texts(String appId) {
        return logs(appId).stream().map(log -> log.getMessage().toStringUtf8()).toList();
    }

    /** Reads again, everything, after a consumer that was not reading. */
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
            } catch (Exception e) {
                closed.completeExceptionally(new AssertionError("unparseable frame", e));
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
        WebSocket current = socket;
        if (current != null) {
            current.abort();
        }
    }
}
