package dev.hydrant.plumbing.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrant.plumbing.config.InvalidSettingException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DopplerResolverTest {

    private final Map<String, InetAddress[]> dns = new HashMap<>();
    private final NameLookup lookup = host -> {
        InetAddress[] answer = dns.get(host);
        if (answer == null) {
            throw new UnknownHostException(host);
        }
        return answer;
    };

    @Test
    void aNameResolvingToManyAddressesIsOneDopplerPerAddress_inTheOrderOfTheEntries() throws Exception {
        dns.put("dopplers.test", new InetAddress[] {ip("10.0.0.1"), ip("10.0.0.2")});
        dns.put("10.0.0.9", new InetAddress[] {ip("10.0.0.9")});
        DopplerResolver resolver = DopplerResolver.of(List.of("10.0.0.9:8082", "dopplers.test:8082"), "s", lookup);

        assertThat(resolver.resolve()).containsExactly(socket("10.0.0.9", 8082), socket("10.0.0.1", 8082),
                socket("10.0.0.2", 8082));
    }

    @Test
    void theSameAddressFromTwoEntriesIsOneDoppler() throws Exception {
        dns.put("a.test", new InetAddress[] {ip("10.0.0.1")});
        dns.put("b.test", new InetAddress[] {ip("10.0.0.1")});
        DopplerResolver resolver = DopplerResolver.of(List.of("a.test:8082", "b.test:8082"), "s", lookup);

        assertThat(resolver.resolve()).containsExactly(socket("10.0.0.1", 8082));
    }

    @Test
    void aNameThatStopsResolvingKeepsItsLastAddresses_andANameThatNeverResolvedStandsForNone() throws Exception {
        dns.put("dopplers.test", new InetAddress[] {ip("10.0.0.1"), ip("10.0.0.2")});
        DopplerResolver resolver = DopplerResolver.of(List.of("dopplers.test:8082", "later.test:8082"), "s", lookup);
        assertThat(resolver.resolve()).containsExactly(socket("10.0.0.1", 8082), socket("10.0.0.2", 8082));

        dns.remove("dopplers.test");
        assertThat(resolver.resolve()).containsExactly(socket("10.0.0.1", 8082), socket("10.0.0.2", 8082));

        dns.put("dopplers.test", new InetAddress[] {ip("10.0.0.2")});
        dns.put("later.test", new InetAddress[] {ip("10.0.0.3")});
        assertThat(resolver.resolve()).containsExactly(socket("10.0.0.2", 8082), socket("10.0.0.3", 8082));
    }

    @Test
    void theFirstEntryOutsideTheRuleStopsConstructionNamingTheSetting() {
        assertThatThrownBy(() -> DopplerResolver.of(List.of("ok:8082", "::1:8082"), "hydrant.traffic-controller.dopplers",
                lookup))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("hydrant.traffic-controller.dopplers: '::1:8082'");
    }

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }

    private static InetSocketAddress socket(String literal, int port) throws UnknownHostException {
        return new InetSocketAddress(ip(literal), port);
    }
}
