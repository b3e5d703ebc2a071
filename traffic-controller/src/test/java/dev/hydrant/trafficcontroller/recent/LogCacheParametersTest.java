package dev.hydrant.trafficcontroller.recent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrant.api.recent.EnvelopeType;
import dev.hydrant.api.recent.ReadRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * The parameters of {@code GET /api/v1/read/{source_id}} as WebFlux decodes them, including the inputs the fuzz
 * target {@code ReadParametersFuzzTest} (module fuzz) found.
 */
class LogCacheParametersTest {

    @Test
    void envelopeTypesWithoutAValue_namesNoTypeInsteadOfFailingTheRequest() {
        // found by fuzzing: "?envelope_types" (no "=") is a parameter whose value is null, and the read
        // failed with a NullPointerException (a 500) instead of reading every type
        ReadRequest read = LogCacheHandler.parse(request("/api/v1/read/app-1?envelope_types"), "app-1");

        assertThat(read.getEnvelopeTypesList()).isEmpty();
        assertThat(read.getSourceId()).isEqualTo("app-1");
    }

    @Test
    void envelopeTypesWithoutAValueBesideNamedTypes_keepsTheNamedTypes() {
        ReadRequest read = LogCacheHandler.parse(
                request("/api/v1/read/app-1?envelope_types&envelope_types=log,gauge"), "app-1");

        assertThat(read.getEnvelopeTypesList()).containsExactly(EnvelopeType.LOG, EnvelopeType.GAUGE);
    }

    @Test
    void anUnknownEnvelopeType_isRefusedWithAMessage() {
        assertThatThrownBy(() -> LogCacheHandler.parse(request("/api/v1/read/app-1?envelope_types=bogus"), "app-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("envelope_types must be among");
    }

    private static ServerRequest request(String uri) {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(uri).build());
        exchange.getAttributes().put(RouterFunctions.URI_TEMPLATE_VARIABLES_ATTRIBUTE, Map.of("sourceId", "app-1"));
        return ServerRequest.create(exchange, HandlerStrategies.withDefaults().messageReaders());
    }
}
