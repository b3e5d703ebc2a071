package dev.hydrant.metron.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrant.plumbing.config.InvalidSettingException;
import org.junit.jupiter.api.Test;

class DopplerAddressTest {

    @Test
    void hostNamesIpv4AndBracketedIpv6AreAccepted() {
        assertThat(DopplerAddress.parse("doppler.service.internal:8082", "s"))
                .isEqualTo(new DopplerAddress("doppler.service.internal", 8082));
        assertThat(DopplerAddress.parse(" 10.0.0.1:8082 ", "s")).isEqualTo(new DopplerAddress("10.0.0.1", 8082));
        assertThat(DopplerAddress.parse("[::1]:8082", "s")).isEqualTo(new DopplerAddress("::1", 8082));
        assertThat(new DopplerAddress("::1", 8082)).hasToString("[::1]:8082");
    }

    @Test
    void entriesWithoutAUsablePortAreRefusedNamingTheSetting() {
        for (String bad : new String[] {"doppler", "doppler:", ":8082", "doppler:http", "doppler:70000", "::1:8082"}) {
            assertThatThrownBy(() -> DopplerAddress.parse(bad, "hydrant.metron.dopplers"))
                    .isInstanceOf(InvalidSettingException.class)
                    .hasMessageStartingWith("hydrant.metron.dopplers");
        }
    }
}
