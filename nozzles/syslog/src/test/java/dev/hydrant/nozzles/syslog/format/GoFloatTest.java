package dev.hydrant.nozzles.syslog.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected strings are what Go's strconv.FormatFloat(v, 'g', -1, 64) prints. */
class GoFloatTest {

    @ParameterizedTest
    @CsvSource({
        "0.25, 0.25",
        "1.234e-06, 1.234e-06",
        "0.0001, 0.0001",
        "0.00001, 1e-05",
        "123456, 123456",
        "1234567, 1.234567e+06",
        "1000000, 1e+06",
        "0.1, 0.1",
        "-2.5, -2.5",
        "0, 0",
        "100, 100",
        "1e21, 1e+21",
        "1.7976931348623157e308, 1.7976931348623157e+308",
        "5e-324, 5e-324",
        "0.30000000000000004, 0.30000000000000004"})
    void writesTheShortestRoundTrippingForm(double value, String expected) {
        assertThat(GoFloat.format(value)).isEqualTo(expected);
    }
}
