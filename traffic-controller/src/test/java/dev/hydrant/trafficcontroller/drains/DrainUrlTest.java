package dev.hydrant.trafficcontroller.drains;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The drain URLs of docs/wire.md section 7: what is accepted, what is refused with which error, and redaction. */
class DrainUrlTest {

    @ParameterizedTest
    @CsvSource({
            "syslog://drain.example.com:514, syslog, 514, logs, false",
            "syslog-tls://drain.example.com:6514/?drain-type=all, syslog-tls, 6514, all, false",
            "https://drain.example.com/logs?drain-type=metrics&disable-metadata=true, https, 443, metrics, true",
            "https-batch://user:pw@drain.example.com:8443/p?disable-metadata=false&other=1, https-batch, 8443, logs, false",
            "SYSLOG://[::1]:514, syslog, 514, logs, false"})
    void eachSchemeAndParameter_isRead(String text, String scheme, int port, String type, boolean disableMetadata) {
        DrainUrl url = DrainUrl.parse(text);

        assertThat(url.scheme()).isEqualTo(scheme);
        assertThat(url.port()).isEqualTo(port);
        assertThat(url.type().wire()).isEqualTo(type);
        assertThat(url.disableMetadata()).isEqualTo(disableMetadata);
        assertThat(url.url()).isEqualTo(text);
    }

    @Test
    void anIpv6Host_isGivenWithoutBrackets() {
        assertThat(DrainUrl.parse("syslog://[::1]:514").host()).isEqualTo("::1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "syslog://drain example.com:514 | invalid_url",
            "drain.example.com | invalid_url",
            "syslog://drain.example.com | invalid_url",
            "syslog://drain.example.com:99999 | invalid_url",
            "syslog://drain.example.com:port | invalid_url",
            "syslog:///nohost | invalid_url",
            "ftp://drain.example.com:21 | unsupported_scheme",
            "http://drain.example.com | unsupported_scheme",
            "syslog://drain.example.com:514?drain-type=everything | invalid_parameter",
            "syslog://drain.example.com:514?disable-metadata=yes | invalid_parameter"})
    void aBadUrl_isRefusedWithItsError(String text, String error) {
        assertThatThrownBy(() -> DrainUrl.parse(text)).isInstanceOfSatisfying(DrainRefusal.class,
                refusal -> assertThat(refusal.error()).isEqualTo(error));
    }

    @Test
    void refusalMessages_neverEchoCredentials() {
        for (String text : new String[] {"syslog://admin:s3cret@drain.example.com", "ftp://admin:s3cret@host:21",
                "admin:s3cret@drain.example.com", "syslog://admin:s3cret@drain example.com:514",
                "syslog://admin:s3cret@drain.example.com:514?drain-type=s3cret-type"}) {
            assertThatThrownBy(() -> DrainUrl.parse(text)).isInstanceOfSatisfying(DrainRefusal.class,
                    refusal -> assertThat(refusal.getMessage()).doesNotContain("s3cret ").doesNotContain(":s3cret"));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "syslog://user:pass@drain.example.com:514/?drain-type=all | syslog://user:****@drain.example.com:514/?drain-type=all",
            "https://token@drain.example.com/path@x | https://****@drain.example.com/path@x",
            "https://drain.example.com/?a=b@c | https://drain.example.com/?a=b@c",
            "syslog://drain.example.com:514 | syslog://drain.example.com:514",
            "not a url | not a url"})
    void redaction_hidesTheUserInfoOnly(String url, String redacted) {
        assertThat(DrainUrl.redact(url)).isEqualTo(redacted);
    }

    @Test
    void toString_isRedacted() {
        assertThat(DrainUrl.parse("syslog://user:pass@drain.example.com:514").toString())
                .isEqualTo("syslog://user:****@drain.example.com:514");
    }
}
