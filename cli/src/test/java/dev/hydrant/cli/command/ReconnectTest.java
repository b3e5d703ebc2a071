package dev.hydrant.cli.command;

import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.cli.CliRun;
import dev.hydrant.cli.ExitCode;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Traffic Controller is killed and restarted under a running {@code hydrant logs}. */
class ReconnectTest {

    @TempDir
    Path home;

    private final FakeTrafficController server = new FakeTrafficController().token("dev-token", "app-1");

    @AfterEach
    void stop() {
        server.close();
    }

    private void publishUntilPrinted(CliRun run, String message) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            server.publish(log("app-1", message, System.currentTimeMillis() * 1_000_000L));
            return run.out().contains(message);
        });
    }

    private static void readRequestHead(Socket socket) throws Exception {
        InputStream in = socket.getInputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int b = in.read(); b >= 0 && matched < 4; b = in.read()) {
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
            if (matched == 4) {
                return;
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "sse"})
    void whenTheTrafficControllerIsKilledAndRestarted_logsResumesAndSaysSoOnce(String transport) throws Exception {
        server.start();
        CliRun run = new CliRun(home, Map.of("HYDRANT_TARGET", server.baseUrl(), "HYDRANT_TOKEN", "dev-token"))
                .start("logs", "app-1", "--transport", transport);
        publishUntilPrinted(run, "before");

        server.stop();
        await("connection lost, err: " + run.err()).atMost(Duration.ofSeconds(30))
                .until(() -> run.err().contains(StreamSession.LOST));
        // While it restarts, the port answers 503 (as a load balancer in front of it would): count the attempts.
        AtomicInteger attempts = new AtomicInteger();
        try (ServerSocket restarting = new ServerSocket(server.port(), 50, InetAddress.getLoopbackAddress())) {
            Thread dropper = new Thread(() -> {
                while (!restarting.isClosed()) {
                    try (Socket socket = restarting.accept()) {
                        attempts.incrementAndGet();
                        readRequestHead(socket);
                        socket.getOutputStream().write(("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    } catch (Exception closed) {
                        return;
                    }
                }
            });
            dropper.start();
            await("attempts").atMost(Duration.ofSeconds(30)).until(() -> attempts.get() >= 5);
        }
        server.start();
        publishUntilPrinted(run, "after");

        assertThat(run.interrupt()).isEqualTo(ExitCode.OK);
        assertThat(run.errLines()).containsExactly(StreamSession.LOST, StreamSession.BACK);
        assertThat(run.out()).contains("OUT before").contains("OUT after");
    }
}
