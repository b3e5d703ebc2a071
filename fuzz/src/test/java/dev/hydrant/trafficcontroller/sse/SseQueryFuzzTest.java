package dev.hydrant.trafficcontroller.sse;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hydrant.trafficcontroller.fanin.EgressLimits;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.cloudfoundry.loggregator.v2.Selector;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.util.MultiValueMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * The query of {@code GET /v2/read} (docs/wire.md section 5): any query string the server lets through is
 * either refused with a 400 and one of the documented error codes, or becomes a subscription the egress limits
 * accept (one to {@code max-selectors} selectors, each with a type, a bounded shard id), as WebFlux decodes it.
 */
class SseQueryFuzzTest {

    private static final Set<String> ERRORS = Set.of("empty_query", "missing_counter_name", "missing_gauge_name",
            "missing_envelope_type", "invalid_shard_id", "invalid_deterministic_name", "too_many_selectors");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final EgressLimits limits = new EgressLimits(64);

    @DictionaryEntries({"source_id=", "log", "counter", "counter.name=", "gauge", "gauge.name=", "timer",
            "event", "shard_id=", "deterministic_name=", "&", "%"})
    @FuzzTest(maxDuration = "10s")
    void anyQueryIsASubscriptionWithinTheLimitsOrA400(byte[] bytes) {
        String query = new String(bytes, StandardCharsets.UTF_8);
        URI uri;
        try {
            uri = URI.create("/v2/read?" + query);
        } catch (IllegalArgumentException notARequestLine) {
            return; // the HTTP server answers 400 before any handler
        }
        MultiValueMap<String, String> params = MockServerHttpRequest.method(HttpMethod.GET, uri).build().getQueryParams();

        ReadQuery parsed = ReadQuery.parse(params, limits);

        assertThat(parsed.sourceIds()).doesNotContainNull().allSatisfy(id -> assertThat(id).isNotBlank());
        if (parsed.error() != null) {
            assertThat(parsed.request()).isNull();
            assertThat(parsed.error().status()).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(ERRORS).contains(JSON.readTree(parsed.error().body()).path("error").asString());
            return;
        }
        assertThat(limits.violation(parsed.request())).isNull();
        assertThat(parsed.request().getSelectorsList())
                .allSatisfy(selector -> assertThat(selector.getMessageCase()).isNotEqualTo(Selector.MessageCase.MESSAGE_NOT_SET));
    }
}
