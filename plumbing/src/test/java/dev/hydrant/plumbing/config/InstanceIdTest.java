package dev.hydrant.plumbing.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InstanceIdTest {

    @ParameterizedTest(name = "setting ''{0}'', host name ''{1}'' -> {2}")
    @CsvSource(nullValues = "null", textBlock = """
            cell-7,     host-a, cell-7
            '  cell-7 ', host-a, cell-7
            null,       host-a, host-a
            '',         host-a, host-a
            '   ',      host-a, host-a
            null,       null,   0
            '',         '',     0
            """)
    void theSettingWins_thenTheHostName_thenZero(String configured, String hostName, String expected) {
        assertThat(InstanceId.resolve(configured, () -> hostName)).isEqualTo(expected);
    }

    @Test
    void withoutASettingThisMachinesHostNameIsUsed() {
        assertThat(InstanceId.resolve(null)).isNotBlank().isEqualTo(InstanceId.resolve(""));
    }
}
