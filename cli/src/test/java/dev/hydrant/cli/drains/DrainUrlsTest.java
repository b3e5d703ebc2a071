package dev.hydrant.cli.drains;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** --type sets the URL's drain-type; URLs are shown with their credentials hidden, as the API shows them. */
class DrainUrlsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "syslog://h:514 | all | syslog://h:514?drain-type=all",
            "syslog://h:514/?disable-metadata=true | metrics | syslog://h:514/?disable-metadata=true&drain-type=metrics",
            "syslog://h:514?drain-type=logs&x=1 | all | syslog://h:514?x=1&drain-type=all",
            "https://h/p?drain-type=logs#f | metrics | https://h/p?drain-type=metrics#f"})
    void typeSetsTheDrainTypeParameter_replacingAnyEarlierOne(String url, String type, String expected) {
        assertThat(DrainUrls.withType(url, type)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "syslog://user:pass@h:514 | syslog://user:****@h:514",
            "https://token@h/p | https://****@h/p",
            "https://h/p?a=b@c | https://h/p?a=b@c"})
    void redact_hidesTheCredentialsAsTheApiDoes(String url, String expected) {
        assertThat(DrainUrls.redact(url)).isEqualTo(expected);
    }
}
