package dev.hydrant.trafficcontroller.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrant.plumbing.config.InvalidSettingException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which Origins may use a token from the authorization cookie. */
class AllowedOriginsTest {

    private final AllowedOrigins origins = AllowedOrigins.of(List.of("https://Console.Example.com:443",
            "http://localhost:3000"), "hydrant.traffic-controller.auth.allowed-origins");

    @Test
    void aListedOrigin_matchesWithoutCaseAndWithItsDefaultPortLeftOut() {
        assertThat(origins.allows("https://console.example.com", "tc.example.com")).isTrue();
        assertThat(origins.allows("HTTPS://CONSOLE.EXAMPLE.COM:443", "tc.example.com")).isTrue();
        assertThat(origins.allows("http://localhost:3000", "tc.example.com")).isTrue();
    }

    @Test
    void anotherSchemeOrPortOrSubdomainOfAListedOrigin_doesNotMatch() {
        assertThat(origins.allows("http://console.example.com", "tc.example.com")).isFalse();
        assertThat(origins.allows("https://console.example.com:8443", "tc.example.com")).isFalse();
        assertThat(origins.allows("https://evil.console.example.com", "tc.example.com")).isFalse();
        assertThat(origins.allows("http://localhost:3001", "tc.example.com")).isFalse();
    }

    @Test
    void theRequestsOwnHost_isAllowedWhateverItsSchemeAndPort() {
        assertThat(origins.allows("https://tc.example.com", "tc.example.com")).isTrue();
        assertThat(origins.allows("http://TC.example.com:8081", "tc.example.com:8081")).isTrue();
        assertThat(origins.allows("https://tc.example.com", "tc.example.com:8081")).isTrue();
        assertThat(origins.allows("http://[::1]:8081", "[::1]:8081")).isTrue();
        assertThat(origins.allows("https://tc.example.com.evil.net", "tc.example.com")).isFalse();
        assertThat(origins.allows("https://evil.net", "evil.net.tc.example.com")).isFalse();
    }

    @Test
    void anOpaqueMalformedOrMissingOrigin_isNeverAllowed() {
        assertThat(origins.allows("null", "null")).isFalse();
        assertThat(origins.allows("file:///home/page.html", "tc.example.com")).isFalse();
        assertThat(origins.allows("https://tc.example.com/path", "tc.example.com")).isFalse();
        assertThat(origins.allows("not a url", "tc.example.com")).isFalse();
        assertThat(origins.allows(null, "tc.example.com")).isFalse();
        assertThat(origins.allows("https://tc.example.com", null)).isFalse();
    }

    @Test
    void anEntryThatIsNotAnOrigin_isRefusedNamingItsIndex() {
        assertThatThrownBy(() -> AllowedOrigins.of(List.of("https://ok.example.com", "console.example.com"), "x.allowed-origins"))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("x.allowed-origins[1]: 'console.example.com' is not a web origin");
    }
}
