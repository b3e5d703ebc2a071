package dev.hydrant.metron.egress;

import static dev.hydrant.testsupport.Patience.WAIT;
import static dev.hydrant.testsupport.envelopes.Envelopes.logs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.metron.support.Encoded;
import dev.hydrant.metron.support.RecordingDoppler;
import dev.hydrant.metron.support.TestPki;
import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import dev.hydrant.plumbing.discovery.DopplerAddress;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Doppler name that resolves to many addresses is many Dopplers, and it is resolved again. */
class DopplerPoolResolutionTest {

    private final AtomicInteger failedLookups = new AtomicInteger();

    @TempDir
    Path dir;

    @Test
    void oneDopplerPerResolvedAddress_reResolutionFollowsChanges_andAnUnresolvableNameKeepsItsLastAddresses()
            throws Exception {
        TestPki pki = new TestPki(dir);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Counter egress = registry.counter("egress");
        Counter dropped = registry.counter("dropped");
        DropOldestBuffer<EncodedEnvelope> buffer = new DropOldestBuffer<>(10_000, n -> { });
        AtomicReference<InetAddress[]> dns = new AtomicReference<>();
        try (RecordingDoppler a = RecordingDoppler.start(pki.doppler, "127.0.0.1", 0);
             RecordingDoppler b = RecordingDoppler.start(pki.doppler, "127.0.0.2", a.port())) {
            dns.set(new InetAddress[] {InetAddress.getByName("127.0.0.1"), InetAddress.getByName("127.0.0.2")});
            DopplerPoolSettings settings = new DopplerPoolSettings(List.of(new DopplerAddress("dopplers.test", a.port())),
                    Duration.ofMillis(100), "doppler", pki.metron, "test.tls",
                    new EgressSettings(100, Duration.ofMillis(50), Duration.ofSeconds(1), 1_000, Duration.ofSeconds(5),
                            Duration.ofMillis(50), Duration.ofSeconds(1), 1),
                    Duration.ofSeconds(1));
            DopplerPool pool = new DopplerPool(settings, host -> answer(dns, host), buffer, egress, dropped);
            pool.start();
            try {
                String first = "127.0.0.1:" + a.port();
                String second = "127.0.0.2:" + a.port();
                assertThat(pool.targets()).containsExactlyInAnyOrder(first, second);
                await().atMost(WAIT).until(() -> pool.connectedStreams() == 2);
                int round = 0;
                while ((a.count() == 0 || b.count() == 0) && round < 20) {
                    buffer.offerAll(Encoded.of(logs("app", "spread", round * 500, (round + 1) * 500)));
                    round++;
                    int sent = round * 500;
                    await().atMost(WAIT).until(() -> a.count() + b.count() == sent);
                }
                assertThat(a.count()).isPositive();
                assertThat(b.count()).isPositive();

                dns.set(new InetAddress[] {InetAddress.getByName("127.0.0.2")});
                await().atMost(WAIT).until(() -> pool.targets().equals(Set.of(second)));
                int aBefore = a.count();
                buffer.offerAll(Encoded.of(logs("app", "after", 0, 1_000)));
                await().atMost(WAIT).until(() -> b.from("app").stream()
                        .filter(e -> e.getLog().getPayload().toStringUtf8().startsWith("after")).count() == 1_000);
                assertThat(a.count()).isEqualTo(aBefore);

                dns.set(null); // the name stops resolving: keep forwarding to what it resolved to last
                int failedBefore = failedLookups.get();
                // several lookups have failed by now (not merely none made yet), and the targets stayed
                await().atMost(WAIT).until(() -> failedLookups.get() >= failedBefore + 3);
                assertThat(pool.targets()).isEqualTo(Set.of(second));
            } finally {
                pool.stop();
            }
            assertThat(dropped.count()).isZero();
        }
    }

    private InetAddress[] answer(AtomicReference<InetAddress[]> dns, String host) throws UnknownHostException {
        InetAddress[] addresses = dns.get();
        if (addresses == null) {
            failedLookups.incrementAndGet();
            throw new UnknownHostException(host);
        }
        return addresses;
    }
}
