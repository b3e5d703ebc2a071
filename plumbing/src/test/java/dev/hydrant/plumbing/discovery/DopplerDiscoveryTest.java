package dev.hydrant.plumbing.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DopplerDiscoveryTest {

    private final AtomicReference<InetAddress[]> dns = new AtomicReference<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final DopplerResolver resolver = new DopplerResolver(List.of(new DopplerAddress("dopplers.test", 8082)),
            host -> {
                lookups.incrementAndGet();
                InetAddress[] answer = dns.get();
                if (answer == null) {
                    throw new UnknownHostException(host);
                }
                return answer;
            });

    @Test
    void startTellsTheListenerAtOnce_thenEveryIntervalOnlyWhatChanged() throws Exception {
        dns.set(new InetAddress[] {ip("10.0.0.1"), ip("10.0.0.2")});
        try (DopplerDiscovery discovery = new DopplerDiscovery(resolver, recorder(), "test-resolver")) {
            discovery.start(Duration.ofMillis(20));
            assertThat(events).containsExactly("+10.0.0.1:8082", "+10.0.0.2:8082");
            assertThat(discovery.current()).containsExactlyInAnyOrder(socket("10.0.0.1"), socket("10.0.0.2"));

            dns.set(new InetAddress[] {ip("10.0.0.2"), ip("10.0.0.3")});
            await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 4);
            assertThat(events.subList(2, 4)).containsExactly("+10.0.0.3:8082", "-10.0.0.1:8082");

            dns.set(null); // the name stops resolving: its last addresses stay
            int before = lookups.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> lookups.get() >= before + 3);
            assertThat(events).hasSize(4);
            assertThat(discovery.current()).containsExactlyInAnyOrder(socket("10.0.0.2"), socket("10.0.0.3"));
        }
    }

    @Test
    void anAddressTheListenerCouldNotAddIsOfferedAgainOnTheNextResolution() throws Exception {
        dns.set(new InetAddress[] {ip("10.0.0.1")});
        AtomicInteger attempts = new AtomicInteger();
        DopplerDiscovery.Listener refusingOnce = new DopplerDiscovery.Listener() {
            @Override
            public void added(InetSocketAddress doppler) {
                if (attempts.incrementAndGet() == 1) {
                    throw new IllegalStateException("not now");
                }
                events.add("+" + DopplerAddress.of(doppler));
            }

            @Override
            public void removed(InetSocketAddress doppler) {
                events.add("-" + DopplerAddress.of(doppler));
            }
        };
        try (DopplerDiscovery discovery = new DopplerDiscovery(resolver, refusingOnce, "test-resolver")) {
            discovery.refresh();
            assertThat(discovery.current()).isEmpty();

            discovery.refresh();
            assertThat(events).containsExactly("+10.0.0.1:8082");
            assertThat(discovery.current()).containsExactly(socket("10.0.0.1"));
        }
    }

    @Test
    void afterCloseTheListenerHearsNothingMore() throws Exception {
        dns.set(new InetAddress[] {ip("10.0.0.1")});
        DopplerDiscovery discovery = new DopplerDiscovery(resolver, recorder(), "test-resolver");
        discovery.start(Duration.ofMillis(20));
        discovery.close();

        dns.set(new InetAddress[] {ip("10.0.0.2")});
        discovery.refresh();

        assertThat(events).containsExactly("+10.0.0.1:8082");
    }

    private DopplerDiscovery.Listener recorder() {
        return new DopplerDiscovery.Listener() {
            @Override
            public void added(InetSocketAddress doppler) {
                events.add("+" + DopplerAddress.of(doppler));
            }

            @Override
            public void removed(InetSocketAddress doppler) {
                events.add("-" + DopplerAddress.of(doppler));
            }
        };
    }

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    private static InetSocketAddress socket(String literal) throws UnknownHostException {
        return new InetSocketAddress(ip(literal), 8082);
    }
}
