package dev.hydrant.plumbing.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrant.plumbing.config.InvalidSettingException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DopplerAddressTest {

    private static final String SETTING = "hydrant.metron.dopplers";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            doppler:8082                     | doppler                  | 8082 | doppler:8082
            doppler.service.internal:8082    | doppler.service.internal | 8082 | doppler.service.internal:8082
            doppler_z1-0.example:1           | doppler_z1-0.example     | 1    | doppler_z1-0.example:1
            '  10.0.0.1:8082  '              | 10.0.0.1                 | 8082 | 10.0.0.1:8082
            127.0.0.1:65535                  | 127.0.0.1                | 65535| 127.0.0.1:65535
            [::1]:8082                       | ::1                      | 8082 | [::1]:8082
            [fd00:10::2]:8082                | fd00:10::2               | 8082 | [fd00:10::2]:8082
            [::ffff:10.0.0.1]:8082           | ::ffff:10.0.0.1          | 8082 | [::ffff:10.0.0.1]:8082
            """)
    void hostNamesIpv4AndBracketedIpv6WithAPortAreAccepted(String entry, String host, int port, String written) {
        DopplerAddress address = DopplerAddress.parse(entry, SETTING);

        assertThat(address).isEqualTo(new DopplerAddress(host, port));
        assertThat(address).hasToString(written);
        assertThat(DopplerAddress.parse(address.toString(), SETTING)).isEqualTo(address);
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ::1:8082              | is an IPv6 address without brackets: write [address]:port
            fd00:10::2            | is an IPv6 address without brackets: write [address]:port
            ::1                   | is an IPv6 address without brackets: write [address]:port
            doppler               | has no port: write host:port
            [::1]                 | has no port: write [address]:port
            [::1]8082             | has no port: write [address]:port
            [::1:8082             | opens a bracket it does not close
            doppler:              | has no port after its colon
            [::1]:                | has no port after its colon
            :8082                 | has no host
            doppler:http          | has a port that is not a number from 1 to 65535
            doppler:+8082         | has a port that is not a number from 1 to 65535
            doppler:-1            | has a port that is not a number from 1 to 65535
            doppler:123456        | has a port that is not a number from 1 to 65535
            doppler:70000         | has a port outside 1..65535
            doppler:0             | has a port outside 1..65535
            [::1]:0               | has a port outside 1..65535
            dop pler:8082         | has a host that is neither a DNS name nor an IP address
            http://doppler:8082   | is not host:port
            doppler:8082:8083     | is not host:port
            [doppler]:8082        | has no IPv6 address in its brackets
            [10.0.0.1]:8082       | has no IPv6 address in its brackets
            [::zz]:8082           | has no IPv6 address in its brackets
            """)
    void otherEntriesAreRefusedWithAMessageNamingTheSettingAndTheEntry(String entry, String problem) {
        assertThatThrownBy(() -> DopplerAddress.parse(entry, SETTING))
                .isInstanceOfSatisfying(InvalidSettingException.class, e -> assertThat(e.setting()).isEqualTo(SETTING))
                .hasMessageStartingWith(SETTING + ": '" + entry + "' ")
                .hasMessageContaining(problem);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t"})
    void anEmptyEntryIsRefusedNamingTheSetting(String entry) {
        assertThatThrownBy(() -> DopplerAddress.parse(entry, SETTING))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage(SETTING + ": '' is empty: write host:port");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.2   | 127.0.0.2:8082
            ::1         | [0:0:0:0:0:0:0:1]:8082
            fe80::1%1   | [fe80:0:0:0:0:0:0:1]:8082
            """)
    void aResolvedAddressIsWrittenAsItsLiteralWithoutAZone(String ip, String written) throws Exception {
        InetSocketAddress resolved = new InetSocketAddress(InetAddress.getByName(ip), 8082);

        assertThat(DopplerAddress.of(resolved)).hasToString(written);
    }
}
