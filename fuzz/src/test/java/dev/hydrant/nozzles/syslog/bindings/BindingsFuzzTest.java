package dev.hydrant.nozzles.syslog.bindings;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hydrant.nozzles.syslog.drain.Binding;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import tools.jackson.core.JacksonException;

/**
 * The syslog nozzle's side of the drains API: the body of {@code GET /v1/drains?include_secrets=true} as the
 * Traffic Controller (or whatever answers at its address) sends it. Any body is read into bindings or refused
 * with one of the errors {@link BindingsClient#read} turns into "answered JSON the nozzle cannot read"; each
 * binding's drain URL, whatever it holds, is shown in logs only as {@link Binding#redactedUrl()}, which never
 * throws and never shows the URL's user info.
 */
class BindingsFuzzTest {

    @DictionaryEntries({"\"drains\"", "\"generation\"", "\"id\"", "\"source_id\"", "\"url\"",
            "\"drain_type\"", "\"disable_metadata\"", "\"cert\"", "\"key\"", "\"ca\"", "syslog://", "https://",
            "user:password@", "null", "true"})
    @FuzzTest(maxDuration = "10s")
    void anyBindingsBodyIsReadOrRefused(byte[] bytes) {
        String body = new String(bytes, StandardCharsets.UTF_8);
        BindingsClient.Snapshot snapshot;
        try {
            snapshot = BindingsClient.parse(body);
        } catch (JacksonException | IllegalArgumentException | NullPointerException refused) {
            return;
        }
        for (Binding binding : snapshot.bindings()) {
            String redacted = binding.redactedUrl();
            assertThat(redacted).isNotNull();
            userInfo(binding.url()).ifPresent(info -> assertThat(redacted).doesNotContain(info));
        }
    }

    /** A URL's raw user info, when long enough to be told apart from the rest of the URL. */
    private static Optional<String> userInfo(String url) {
        try {
            String info = new URI(url).getRawUserInfo();
            boolean distinct = info != null && info.length() >= 12 && url.indexOf(info) == url.lastIndexOf(info);
            return distinct ? Optional.of(info) : Optional.empty();
        } catch (URISyntaxException notAUrl) {
            return Optional.empty();
        }
    }
}
