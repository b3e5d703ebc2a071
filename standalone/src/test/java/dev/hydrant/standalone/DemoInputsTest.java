package dev.hydrant.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.nozzle.auth.TokenProvider;
import dev.hydrant.nozzle.client.EnvelopeType;
import dev.hydrant.nozzle.client.HydrantClient;
import dev.hydrant.nozzle.client.ReadRequest;
import dev.hydrant.standalone.stack.Component;
import dev.hydrant.standalone.stack.StandaloneStack;
import dev.hydrant.standalone.token.TokenCommand;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/**
 * What {@code ./hydrant demo} shows beside the shipped app, through the stack as {@code run} starts it: a line
 * appended to a file of the data directory's {@code demo-files/} and the Doppler's own Prometheus metrics, scraped
 * by Metron, both read back through the Traffic Controller.
 */
class DemoInputsTest {

    @TempDir
    Path home;

    @Test
    void aLineAppendedToADemoFileAndTheScrapedDopplerMetricsReachAReader() throws Exception {
        Queue<Envelope> fileApp = new ConcurrentLinkedQueue<>();
        Queue<Envelope> scraped = new ConcurrentLinkedQueue<>();
        try (StandaloneStack stack = TestStacks.start(home);
             HydrantClient client = HydrantClient.builder().baseUrl(stack.trafficControllerUrl())
                     .tokenProvider(TokenProvider.fixed(adminToken())).build()) {
            Disposable logs = client.read(ReadRequest.source("file-app", Set.of(EnvelopeType.LOG))).subscribe(fileApp::add);
            Disposable metrics = client.read(ReadRequest.source(StandaloneStack.DOPPLER_METRICS_SOURCE_ID,
                    Set.of(EnvelopeType.GAUGE, EnvelopeType.COUNTER))).subscribe(scraped::add);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> dopplerSubscriptions(stack) >= 2);

                Path file = home.resolve("demo-files").resolve("file-app.log");
                Files.writeString(file, "order 17 shipped\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);

                await().atMost(Duration.ofSeconds(30)).until(() -> !fileApp.isEmpty());
                await().atMost(Duration.ofSeconds(30)).until(() -> scraped.stream().anyMatch(DemoInputsTest::isSubscriptions));
            } finally {
                logs.dispose();
                metrics.dispose();
            }
        }
        assertThat(fileApp).singleElement().satisfies(envelope -> {
            assertThat(envelope.getLog().getPayload().toStringUtf8()).isEqualTo("order 17 shipped");
            assertThat(envelope.getLog().getType()).isEqualTo(Log.Type.OUT);
            assertThat(envelope.getInstanceId()).isEqualTo("0");
            assertThat(envelope.getTagsMap()).containsEntry("source_type", "FILE");
        });
        // the Doppler's gauge of open egress streams, as its /actuator/prometheus exposes it
        Envelope subscriptions = scraped.stream().filter(DemoInputsTest::isSubscriptions).findFirst().orElseThrow();
        assertThat(subscriptions.getSourceId()).isEqualTo("doppler-metrics");
        assertThat(scraped).anyMatch(envelope -> envelope.hasCounter() && !envelope.getCounter().getName().isEmpty());
    }

    private static boolean isSubscriptions(Envelope envelope) {
        return envelope.hasGauge() && envelope.getGauge().getMetricsMap().containsKey("subscriptions");
    }

    private static double dopplerSubscriptions(StandaloneStack stack) {
        MeterRegistry registry = stack.context(Component.DOPPLER).getBean(MeterRegistry.class);
        var gauge = registry.find("subscriptions").gauge();
        return gauge == null ? 0 : gauge.value();
    }

    private String adminToken() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = TokenCommand.run(List.of("--admin"), new DataDirectory(home), new PrintStream(out, true),
                new PrintStream(new ByteArrayOutputStream()));
        assertThat(code).isZero();
        return out.toString(StandardCharsets.UTF_8).trim();
    }
}
