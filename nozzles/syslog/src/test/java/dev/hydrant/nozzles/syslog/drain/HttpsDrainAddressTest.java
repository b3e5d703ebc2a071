package dev.hydrant.nozzles.syslog.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.nozzles.syslog.servers.HttpsDrainServer;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.testsupport.Patience;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An HTTPS drain is connected at the address its name resolved to when the blocked ranges were checked, never
 * at a second answer: the names here exist only in the test's own resolver, so the system's resolver could not
 * find them. Loopback is blocked but for 127.0.0.1; the servers listen on every address, so a client that went
 * to 127.0.0.2 would get in.
 */
class HttpsDrainAddressTest {

    @TempDir
    Path dir;

    private final Map<String, String> dns = new ConcurrentHashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DrainMetrics metrics = new DrainMetrics(registry, 10);
    private CertificateAuthority ca;
    private String caPem;
    private HttpsDrainServer server;
    private DrainWriter writer;

    @BeforeEach
    void start() throws Exception {
        ca = CertificateAuthority.create("drain-ca");
        caPem = Files.readString(ca.writeCertificate(dir.resolve("ca.crt")));
        server = new HttpsDrainServer(ca, false, InetAddress.getByName("0.0.0.0"));
    }

    @AfterEach
    void stop() {
        if (writer != null) {
            writer.close();
        }
        server.close();
    }

    /** Starts a writer for {@code url} whose host names resolve through {@link #dns} only. */
    private DrainWriter writer(String id, String url, int bufferSize) {
        AddressPolicy policy = new AddressPolicy(List.of("127.0.0.0/8"), List.of("127.0.0.1/32"), host -> {
            lookups.incrementAndGet();
            String address = dns.get(host);
            if (address == null) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName(address)};
        });
        DrainSettings settings = new DrainSettings(bufferSize, 10, Duration.ofMillis(50), Duration.ofMillis(200),
                Duration.ofSeconds(10), policy);
        Binding binding = new Binding(id, "app-1", url, DrainType.LOGS, false, null, null, caPem);
        writer = new DrainFactory(settings).start(binding, metrics.bind(id));
        return writer;
    }

    private double counter(String name, String id) {
        var counter = registry.find(name).tag("drain", id).counter();
        return counter == null ? 0 : counter.count();
    }

    private static byte[] line(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aNameIsConnectedAtTheAddressItWasCheckedAt_withTheCertificateCheckedForThatName() {
        dns.put("drain.test", "127.0.0.1");
        DrainWriter drain = writer("pinned", "https://drain.test:" + server.port() + "/in", 100);

        drain.offer(line("one"));
        drain.offer(line("two"));

        await().atMost(Patience.WAIT).until(() -> counter(DrainMetrics.WRITTEN, "pinned") == 2);
        assertThat(server.posts()).extracting(body -> new String(body, StandardCharsets.UTF_8))
                .containsExactly("one", "two");
        assertThat(counter(DrainMetrics.FAILED, "pinned")).isZero();
    }

    @Test
    void aNameTheCertificateDoesNotHold_isRefused_thoughItsAddressIsOneTheCertificateNames() {
        // the certificate holds drain.test, localhost and 127.0.0.1: a check against the address would pass
        dns.put("other.test", "127.0.0.1");
        DrainWriter drain = writer("wrong-name", "https://other.test:" + server.port() + "/in", 100);

        drain.offer(line("one"));

        await().atMost(Patience.WAIT).until(() -> counter(DrainMetrics.FAILED, "wrong-name") == 1);
        assertThat(server.posts()).isEmpty();
        assertThat(counter(DrainMetrics.WRITTEN, "wrong-name")).isZero();
    }

    @Test
    void aNameThatResolvesIntoABlockedRangeAtConnectTime_isNeverConnected_andWhatItLosesIsCounted() {
        // bound while the name pointed elsewhere; by the time the nozzle connects it points inward
        dns.put("rebound.test", "127.0.0.2");
        DrainWriter drain = writer("rebound", "https://rebound.test:" + server.port() + "/in", 1);

        drain.offer(line("one"));
        drain.offer(line("two"));
        drain.offer(line("three"));

        // a writer that had connected would have taken the lines from its one-line buffer instead
        await().atMost(Patience.WAIT).until(() -> counter(DrainMetrics.DROPPED, "rebound") == 2 && lookups.get() >= 2);
        assertThat(server.posts()).isEmpty();
        assertThat(counter(DrainMetrics.WRITTEN, "rebound")).isZero();
        assertThat(drain.takeLost()).isEqualTo(2);
    }
}
