package dev.hydrant.trafficcontroller.recent;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hydrant.api.recent.ReadRequest;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.trafficcontroller.auth.Authorizer;
import dev.hydrant.trafficcontroller.auth.ClaimAccessPolicy;
import dev.hydrant.trafficcontroller.auth.Rejections;
import dev.hydrant.trafficcontroller.config.ProxyMetrics;
import dev.hydrant.trafficcontroller.fanin.DopplerPool;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The parameters of {@code /apps/{id}/recentlogs} and {@code /api/v1/read/{source_id}} (docs/wire.md sections 4
 * and 6), decoded by WebFlux as the Traffic Controller serves them: any query is answered (here 503, as no Doppler is
 * known) or refused with a 400 that says what is wrong, and an accepted read asks for 1 to {@link RecentReader#MAX_LIMIT} envelopes. The handlers run for real
 * (auth disabled, no Doppler known, so an accepted read is answered at once with 503: no Doppler answered).
 */
class ReadParametersFuzzTest {

    private static final PathPattern RECENT = PathPatternParser.defaultInstance.parse("/apps/{sourceId}/recentlogs");
    private static final PathPattern READ = PathPatternParser.defaultInstance.parse("/api/v1/read/{sourceId}");

    @TempDir
    static Path tls;
    private static RecentLogsHandler recentLogs;
    private static LogCacheHandler logCache;

    @BeforeAll
    static void handlersWithoutDopplers() throws IOException {
        TlsFiles files = CertificateAuthority.create("fuzz-ca").issueFiles(tls, "traffic-controller");
        ProxyMetrics metrics = new ProxyMetrics(new SimpleMeterRegistry());
        Rejections rejections = new Rejections(metrics);
        Authorizer everyoneIsAdmin = new Authorizer(null, new ClaimAccessPolicy("source_ids"));
        RecentReader reader = new RecentReader(new DopplerPool(List.of(), "hydrant.fuzz.dopplers", "doppler", files,
                "hydrant.fuzz.tls"), Duration.ofSeconds(1), metrics.dopplerMisses());
        recentLogs = new RecentLogsHandler(everyoneIsAdmin, reader, metrics, rejections);
        logCache = new LogCacheHandler(everyoneIsAdmin, reader, metrics, rejections);
    }

    @DictionaryEntries({"?", "&", "limit=", "start_time=", "end_time=", "envelope_types=", "descending=",
            "name_filter=", "LOG", "GAUGE", "ANY", "true", "%"})
    @FuzzTest(maxDuration = "10s")
    void anyReadQueryIsAnsweredOrRefusedWithA400(byte[] input) {
        if (input.length == 0) {
            return;
        }
        // the first byte picks the endpoint, the rest is the source id and the query: "app-1?limit=5"
        boolean v1 = (input[0] & 1) == 1;
        String rest = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        int question = rest.indexOf('?');
        String sourceId = question < 0 ? rest : rest.substring(0, question);
        String query = question < 0 ? "" : rest.substring(question);
        String path = v1 ? "/apps/" + sourceId + "/recentlogs" : "/api/v1/read/" + sourceId;
        URI uri;
        try {
            uri = URI.create(path + query);
        } catch (IllegalArgumentException notARequestLine) {
            return; // the HTTP server answers 400 before any handler
        }
        ServerRequest request = request(uri, v1 ? RECENT : READ);
        if (request == null) {
            return; // another route, or none
        }

        if (!v1) {
            try {
                ReadRequest read = LogCacheHandler.parse(request, request.pathVariable("sourceId"));
                assertThat(read.getLimit()).isBetween(1, RecentReader.MAX_LIMIT);
            } catch (IllegalArgumentException refused) {
                assertThat(refused.getMessage()).isNotBlank();
            }
        }
        ServerResponse response = (v1 ? recentLogs.recentLogs(request) : logCache.read(request))
                .block(Patience.WAIT);
        assertThat(response).isNotNull();
        assertThat(response.statusCode()).isIn(HttpStatus.SERVICE_UNAVAILABLE, HttpStatus.BAD_REQUEST);
    }

    /** The request as the router hands it over, or null when the path is not this route's. */
    private static ServerRequest request(URI uri, PathPattern route) {
        MockServerHttpRequest http = MockServerHttpRequest.method(HttpMethod.GET, uri).build();
        PathPattern.PathMatchInfo match = route.matchAndExtract(http.getPath().pathWithinApplication());
        if (match == null) {
            return null;
        }
        MockServerWebExchange exchange = MockServerWebExchange.from(http);
        exchange.getAttributes().put(RouterFunctions.URI_TEMPLATE_VARIABLES_ATTRIBUTE,
                Map.copyOf(match.getUriVariables()));
        return ServerRequest.create(exchange, HandlerStrategies.withDefaults().messageReaders());
    }
}
