package dev.hydrant.nozzles.syslog.drain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressPolicyTest {

    private final AddressPolicy defaults = new AddressPolicy(AddressPolicy.DEFAULT_BLOCKED, List.of());

    @Test
    void byDefault_loopbackPrivateAndLinkLocalAddressesAreRefused_publicOnesAllowed() throws Exception {
        for (String blocked : List.of("127.0.0.1", "127.9.9.9", "::1", "10.1.2.3", "172.16.0.1", "172.31.255.255",
                "192.168.1.1", "169.254.169.254", "fe80::1", "fd00::1", "0.0.0.0")) {
            assertThat(defaults.permits(InetAddress.getByName(blocked))).as(blocked).isFalse();
        }
        for (String allowed : List.of("8.8.8.8", "172.32.0.1", "2001:db8::1", "1.1.1.1")) {
            assertThat(defaults.permits(InetAddress.getByName(allowed))).as(allowed).isTrue();
        }
    }

    @Test
    void aNameResolvingIntoABlockedRange_isRefusedAtConnect() {
        assertThatThrownBy(() -> defaults.resolve("localhost"))
                .isInstanceOf(AddressPolicy.BlockedAddressException.class)
                .hasMessageContaining("localhost");
    }

    @Test
    void anAllowedRange_overridesTheBlockedOnes() throws Exception {
        AddressPolicy local = new AddressPolicy(AddressPolicy.DEFAULT_BLOCKED, List.of("127.0.0.0/8", "::1/128"));
        assertThat(local.resolve("localhost").isLoopbackAddress()).isTrue();
        assertThat(local.permits(InetAddress.getByName("10.0.0.1"))).isFalse();
    }

    @Test
    void aRangeThatIsNotAddressSlashPrefix_isRefusedByName() {
        assertThatThrownBy(() -> new AddressPolicy(List.of("10.0.0.0"), List.of())).hasMessageContaining("10.0.0.0");
        assertThatThrownBy(() -> new AddressPolicy(List.of("example.com/8"), List.of())).hasMessageContaining("example.com");
        assertThatThrownBy(() -> new AddressPolicy(List.of("10.0.0.0/33"), List.of())).hasMessageContaining("out of range");
    }
}
