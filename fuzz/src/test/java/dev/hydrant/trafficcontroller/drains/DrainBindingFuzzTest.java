package dev.hydrant.trafficcontroller.drains;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;

/**
 * The body of {@code POST /v1/drains} and its drain URL (traffic-controller/README.md, docs/wire.md section 7),
 * checked as {@link Drains#create} checks it before resolving the host: any body is refused with a
 * {@link DrainRefusal} 400 of a documented code, or gives a binding whose URL has a supported scheme, a host and a
 * port in 1..65535. Neither the refusal's message nor the redacted URL shows the URL's password.
 */
class DrainBindingFuzzTest {

    private static final Set<String> CODES = Set.of("invalid_request", "invalid_url", "unsupported_scheme",
            "invalid_parameter", "invalid_certificate");

    @DictionaryEntries({"\"source_id\"", "\"url\"", "\"cert\"", "\"key\"", "\"ca\"", "syslog://",
            "syslog-tls://", "https://", "https-batch://", "drain-type=", "disable-metadata=", "metrics", "all",
            "-----BEGIN CERTIFICATE-----", "-----BEGIN PRIVATE KEY-----", "%"})
    @FuzzTest(maxDuration = "10s")
    void anyBindingIsCheckedOrRefusedWithA400(byte[] bytes) {
        String body = new String(bytes, StandardCharsets.UTF_8);
        NewBinding binding;
        try {
            binding = NewBinding.parse(body);
        } catch (DrainRefusal refused) {
            assertRefusal(refused);
            return;
        }
        if (binding.url().length() > Drains.MAX_URL) {
            return; // refused by Drains.create before parsing
        }
        Optional<String> password = password(binding.url());
        DrainUrl url;
        try {
            url = DrainUrl.parse(binding.url());
            ClientCertificates.check(binding.cert(), binding.key(), binding.ca());
        } catch (DrainRefusal refused) {
            assertRefusal(refused);
            password.ifPresent(secret -> assertThat(refused.getMessage()).doesNotContain(secret));
            return;
        }
        assertThat(DrainUrl.SCHEMES).contains(url.scheme());
        assertThat(url.host()).isNotEmpty();
        assertThat(url.port()).isBetween(1, 65535);
        assertThat(url.type()).isNotNull();
        assertThat(url.toString()).isEqualTo(url.redacted());
        password.ifPresent(secret -> assertThat(url.redacted()).doesNotContain(secret));
    }

    private static void assertRefusal(DrainRefusal refused) {
        assertThat(refused.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(CODES).contains(refused.error());
        assertThat(refused.getMessage()).isNotBlank();
    }

    /**
     * The password in a URL's user info, when it is long enough to be told apart from the rest of the text (and
     * appears nowhere else in the URL).
     */
    private static Optional<String> password(String url) {
        try {
            String userInfo = new URI(url).getRawUserInfo();
            int colon = userInfo == null ? -1 : userInfo.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            String secret = userInfo.substring(colon + 1);
            boolean distinct = secret.length() >= 12 && url.indexOf(secret) == url.lastIndexOf(secret);
            return distinct ? Optional.of(secret) : Optional.empty();
        } catch (URISyntaxException notAUrl) {
            return Optional.empty();
        }
    }
}
