package dev.hydrant.plumbing.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.grpc.Server;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gRPC server started on a port that another listener still holds, as a restarted component meets it. */
class BindRetryTest {

    @TempDir
    Path dir;

    private TlsFiles tls;
    private final AtomicInteger builds = new AtomicInteger();

    @BeforeEach
    void pki() {
        tls = CertificateAuthority.create("test-ca").issueFiles(dir.resolve("server"), "doppler");
    }

    @Test
    void whenThePortIsFreedWithinThePatience_theServerStartsOnIt() throws Exception {
        ServerSocket holder = holdAPort();
        int port = holder.getLocalPort();
        CompletableFuture<Server> started = CompletableFuture.supplyAsync(() -> {
            try {
                return BindRetry.start(serverOn(port), Duration.ofSeconds(60));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        // the first attempt met the port in use and a later one is coming
        await().atMost(Duration.ofSeconds(30)).until(() -> builds.get() >= 2);
        assertThat(started).isNotDone();

        holder.close();

        Server server = started.get(30, TimeUnit.SECONDS);
        try {
            assertThat(server.getPort()).isEqualTo(port);
        } finally {
            GrpcTransport.shutdown(server, 1_000);
        }
    }

    @Test
    void whenThePortStaysInUse_theStartFailsAfterThePatience() throws Exception {
        try (ServerSocket holder = holdAPort()) {
            // patience far above one failed attempt, even on a busy machine, so a second attempt is sure
            assertThatThrownBy(() -> BindRetry.start(serverOn(holder.getLocalPort()), Duration.ofSeconds(2)))
                    .isInstanceOf(IOException.class);
            assertThat(builds.get()).as("attempts").isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void withNoPatience_aPortInUseFailsAtTheFirstAttempt() throws Exception {
        try (ServerSocket holder = holdAPort()) {
            assertThatThrownBy(() -> BindRetry.start(serverOn(holder.getLocalPort()), Duration.ZERO))
                    .isInstanceOf(IOException.class);
            assertThat(builds.get()).as("attempts").isEqualTo(1);
        }
    }

    @Test
    void aFailureOtherThanAPortInUse_isNotRetried() {
        // an address this machine does not have: no retry can help
        assertThatThrownBy(() -> BindRetry.start(() -> {
            builds.incrementAndGet();
            return GrpcTransport.server("192.0.2.1", 0, tls, "test.tls").build();
        }, Duration.ofSeconds(60))).isInstanceOf(IOException.class);
        assertThat(builds.get()).as("attempts").isEqualTo(1);
    }

    private Supplier<Server> serverOn(int port) {
        return () -> {
            builds.incrementAndGet();
            return GrpcTransport.server("127.0.0.1", port, tls, "test.tls").build();
        };
    }

    private static ServerSocket holdAPort() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return socket;
    }
}
