package dev.hydrant.nozzle.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.hydrant.nozzle.wire.LogCapture;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.Disposable;

/**
 * A server that accepts connections and closes them without answering (a Traffic Controller going down or
 * coming up behind its port): the stream keeps retrying with backoff, it does not give up. And a server that
 * accepts connections and then says nothing at all: each attempt is given up after the connect timeout, long
 * before the idle timeout, and tried again.
 */
class UnansweredConnectionTest {

    private static final ReconnectPolicy FAST = new ReconnectPolicy(
            Duration.ofMillis(50), Duration.ofMillis(200), 0.5, Duration.ofSeconds(5));

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"SSE", "WEBSOCKET"})
    void whenTheServerClosesConnectionsWithoutAnswering_theStreamKeepsRetrying(Transport transport) throws Exception {
        AtomicInteger connections = new AtomicInteger();
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             LogCapture log = new LogCapture(HydrantClient.class)) {
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket connection = server.accept()) {
                        connections.incrementAndGet();
                        connection.getInputStream().read(new byte[8192]);
                    } catch (Exception closed) {
                        return;
                    }
                }
            }, "unanswering-server");
            acceptor.setDaemon(true);
            acceptor.start();
            HydrantClient client = HydrantClient.builder()
                    .baseUrl("http://127.0.0.1:" + server.getLocalPort())
                    .transport(transport)
                    .reconnect(FAST)
                    .build();
            Disposable subscription = client.stream("app-1").subscribe(envelope -> { },
                    ended::complete, () -> ended.complete(null));
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> connections.get() >= 5 || ended.isDone());

                assertThat(ended).as("the stream ended").isNotDone();
                assertThat(log.lines(Level.ERROR, "Giving up")).isEmpty();
                assertThat(log.lines(Level.WARN, "Cannot connect")).hasSize(1);
            } finally {
                subscription.dispose();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"SSE", "WEBSOCKET"})
    void whenTheServerAcceptsButNeverAnswers_eachAttemptEndsAtTheConnectTimeout(Transport transport) throws Exception {
        ReconnectPolicy policy = new ReconnectPolicy(Duration.ofMillis(50), Duration.ofMillis(100), 0.5,
                Duration.ofSeconds(60), Duration.ofMillis(400));
        AtomicInteger connections = new AtomicInteger();
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             LogCapture log = new LogCapture(HydrantClient.class)) {
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        held.add(server.accept()); // read nothing, answer nothing, close nothing
                        connections.incrementAndGet();
                    } catch (Exception closed) {
                        return;
                    }
                }
            }, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
            HydrantClient client = HydrantClient.builder()
                    .baseUrl("http://127.0.0.1:" + server.getLocalPort())
                    .transport(transport)
                    .reconnect(policy)
                    .build();
            long start = System.nanoTime();
            Disposable subscription = client.stream("app-1").subscribe(envelope -> { });
            try {
                // well within the idle timeout (60 s) even on a busy machine: the connect timeout ended them
                await().atMost(Duration.ofSeconds(30)).until(() -> connections.get() >= 3);

                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(policy.idleTimeout());
                assertThat(log.lines(Level.WARN, "did not accept the stream within 400 ms")).hasSize(1);
                assertThat(log.lines(Level.ERROR, "Giving up")).isEmpty();
            } finally {
                subscription.dispose();
                for (Socket socket : held) {
                    socket.close();
                }
            }
        }
    }
}
