package dev.hydrant.trafficcontroller.drains;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrant.plumbing.config.InvalidSettingException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where a drain may point: the default blocked ranges, an allow list, and settings checked at start. */
class AddressPolicyTest {

    private static final List<String> DEFAULT_BLOCKED = List.of("127.0.0.0/8", "::1/128", "10.0.0.0/8",
            "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", "169.254.0.0/16", "fe80::/10", "0.0.0.0/8");

    private static AddressPolicy policy(List<String> allowed) {
        return AddressPolicy.of(new DrainSettings(Path.of("x"), null, null, null, 1, 5, DEFAULT_BLOCKED, allowed));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
            "0.0.0.0", "::1", "fd00::1", "fe80::1", "localhost"})
    void internalAddressesAndNames_areBlockedByDefault(String host) {
        assertThatThrownBy(() -> policy(List.of()).check(host)).isInstanceOfSatisfying(DrainRefusal.class, refusal -> {
            assertThat(refusal.error()).isEqualTo("blocked_address");
            assertThat(refusal.getMessage()).contains("'" + host + "' resolves to").contains("blocked range");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"203.0.113.10", "172.32.0.1", "8.8.8.8", "2001:db8::1"})
    void publicAddresses_areAllowed(String host) {
        policy(List.of()).check(host);
    }

    @Test
    void anAllowedRange_opensPartOfABlockedOne() throws Exception {
        AddressPolicy policy = policy(List.of("127.0.0.1/32"));

        policy.check("127.0.0.1");
        assertThat(policy.blockedRange(InetAddress.getByName("127.0.0.2"))).map(Object::toString).hasValue("127.0.0.0/8");
    }

    @Test
    void aRangeThatDoesNotParse_namesItsSetting() {
        assertThatThrownBy(() -> policy(List.of("10.0.0.0/8", "10.0.0.0/33")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("hydrant.traffic-controller.drains.allowed-ranges[1]: '10.0.0.0/33' has a prefix length "
                        + "outside 0..32");
        assertThatThrownBy(() -> AddressPolicy.of(new DrainSettings(Path.of("x"), null, null, null, 1, 5,
                List.of("internal"), List.of())))
                .hasMessageStartingWith("hydrant.traffic-controller.drains.blocked-ranges[0]: 'internal' is not");
    }
}
