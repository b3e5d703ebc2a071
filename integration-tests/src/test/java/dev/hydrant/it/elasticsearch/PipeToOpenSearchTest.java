package dev.hydrant.it.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.nozzles.elasticsearch.ElasticsearchNozzleApplication;
import dev.hydrant.standalone.DataDirectory;
import dev.hydrant.standalone.shipper.AppInstance;
import dev.hydrant.standalone.shipper.LogShipper;
import dev.hydrant.standalone.shipper.ShipCommand;
import dev.hydrant.standalone.shipper.ShipperSettings;
import dev.hydrant.standalone.stack.Component;
import dev.hydrant.standalone.stack.StackSettings;
import dev.hydrant.standalone.stack.StandaloneStack;
import dev.hydrant.standalone.token.TokenCommand;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.opensearch.OpenSearchNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole pipe into OpenSearch: an app's lines sent by the log shipper (`hydrant ship`) through Metron, Doppler
 * and the Traffic Controller (the standalone stack, in this JVM), read from the firehose by the Elasticsearch
 * nozzle app (its own Spring context, as an operator runs it) with an admin token, and found in a real OpenSearch
 * 2.19 by source id, time range and text.
 */
class PipeToOpenSearchTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path home;
    private static StandaloneStack stack;
    private static OpenSearchNode node;

    @BeforeAll
    static void start() throws Exception {
        node = OpenSearchNode.shared();
        stack = StandaloneStack.start(StackSettings.parse(List.of(DataDirectory.OPTION + home,
                "--hydrant.doppler.port=0", "--hydrant.metron.port=0", "--hydrant.metron.udp-port=0",
                "--hydrant.traffic-controller.grpc-port=0", "--server.port=0",
                "--traffic-controller.management.server.port=0", "--hydrant.doppler.metrics-interval=1h",
                "--hydrant.metron.metrics-interval=1h", "--hydrant.traffic-controller.metrics.interval=1h"), Map.of()));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static JsonNode json(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as("%s", answer.body()).isBetween(200, 299);
        return JSON.readTree(answer.body());
    }

    @Test
    void anAppsLinesFromTheEmitter_areFoundBySourceIdTimeRangeAndText() throws Exception {
        String stream = "hydrant-pipe";
        try (ConfigurableApplicationContext nozzle = startNozzle(stream)) {
            await("the nozzle's firehose subscribed at Doppler").atMost(Patience.PATIENCE)
                    .until(() -> dopplerSubscriptions() >= 1);
            Instant from = Instant.now();
            LogShipper shipper = LogShipper.start(ShipperSettings.defaults(
                    new AppInstance("shipped-app", "2", AppInstance.APP_SOURCE_TYPE),
                    new DataDirectory(home).pki().filesFor(ShipCommand.CERTIFICATE_NAME),
                    List.of("bash", "-c", "for i in $(seq 1 200); do echo \"order $i shipped to Lisbon\"; done"))
                    .withMetron("127.0.0.1:" + stack.metronPort()));
            assertThat(shipper.awaitExit()).isZero();
            assertThat(shipper.sent()).isEqualTo(200);
            Instant to = Instant.now();

            String bySource = "{\"query\":{\"term\":{\"source_id\":\"shipped-app\"}}}";
            await("the app's 200 lines in OpenSearch").atMost(Patience.PATIENCE).untilAsserted(() -> {
                json(node.send("POST", stream + "/_refresh", null));
                assertThat(json(node.send("POST", stream + "/_count", bySource)).path("count").asInt()).isEqualTo(200);
            });
            JsonNode hits = json(node.send("POST", stream + "/_search", """
                    {"query":{"bool":{"filter":[{"term":{"source_id":"shipped-app"}},
                     {"range":{"@timestamp":{"gte":"%s","lte":"%s"}}}],
                     "must":[{"match_phrase":{"message":"order 142 shipped"}}]}}}""".formatted(from, to)))
                    .path("hits").path("hits");
            assertThat(hits).hasSize(1);
            JsonNode document = hits.get(0).path("_source");
            assertThat(document.path("message").asString()).isEqualTo("order 142 shipped to Lisbon");
            assertThat(document.path("instance_id").asString()).isEqualTo("2");
            assertThat(document.path("log_type").asString()).isEqualTo("OUT");
            assertThat(document.path("tags").path("source_type").asString()).isEqualTo("APP/PROC/WEB");
            assertThat(json(node.send("POST", stream + "/_count", """
                    {"query":{"bool":{"filter":[{"term":{"source_id":"shipped-app"}},
                     {"range":{"@timestamp":{"lt":"%s"}}}]}}}""".formatted(from))).path("count").asInt()).isZero();
        }
    }

    /** The nozzle app reading the stack's firehose with an admin token into the data stream {@code stream}. */
    private static ConfigurableApplicationContext startNozzle(String stream) {
        String settings = "hydrant.nozzle.";
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", 0);
        properties.put(settings + "url", stack.trafficControllerUrl());
        properties.put(settings + "token", token());
        properties.put(settings + "batch-interval", "20ms");
        properties.put(settings + "elasticsearch.url", node.url().toString());
        properties.put(settings + "elasticsearch.replicas", 0);
        properties.put(settings + "elasticsearch.name", stream);
        properties.put(settings + "elasticsearch.template-name", stream);
        properties.put(settings + "elasticsearch.min-backoff", "20ms");
        properties.put(settings + "elasticsearch.max-backoff", "200ms");
        return new SpringApplicationBuilder(ElasticsearchNozzleApplication.class)
                .properties(ElasticsearchNozzleApplication.BOOT_DEFAULTS)
                .properties(properties)
                .initializers(PipeToOpenSearchTest::ownEventLoops)
                .run();
    }

    /**
     * Event loops of the nozzle's own: Boot's default factory takes the JVM's global ones and disposes them when
     * the nozzle's context closes, under the Traffic Controller that still runs in this JVM.
     */
    private static void ownEventLoops(ConfigurableApplicationContext context) {
        ((GenericApplicationContext) context).registerBean(ReactorResourceFactory.class, () -> {
            ReactorResourceFactory factory = new ReactorResourceFactory();
            factory.setUseGlobalResources(false);
            factory.setShutdownQuietPeriod(Duration.ZERO);
            return factory;
        });
    }

    private static double dopplerSubscriptions() {
        MeterRegistry registry = stack.context(Component.DOPPLER).getBean(MeterRegistry.class);
        var gauge = registry.find("subscriptions").gauge();
        return gauge == null ? 0 : gauge.value();
    }

    /** An admin token, as {@code hydrant token --admin} prints it. */
    private static String token() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = TokenCommand.run(List.of("--admin"), new DataDirectory(home), new PrintStream(out, true),
                new PrintStream(new ByteArrayOutputStream()));
        assertThat(code).isZero();
        return out.toString(StandardCharsets.UTF_8).trim();
    }
}
