package dev.hydrant.nozzle.client;

import static dev.hydrant.testsupport.envelopes.Envelopes.counter;
import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static dev.hydrant.testsupport.envelopes.Envelopes.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.nozzle.auth.TokenProvider;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class RecentLogsTest {

    private final FakeTrafficController server = new FakeTrafficController().start();

    @AfterEach
    void stop() {
        server.close();
    }

    private HydrantClient client() {
        return HydrantClient.builder().baseUrl(server.baseUrl()).tokenProvider(TokenProvider.fixed("t")).build();
    }

    @Test
    void recentLogs_readsTheMultipartV1Answer_asV2EnvelopesOldestFirst() {
        server.recentLogs("app-1", List.of(log("app-1", "second", 2_000), log("app-1", "first", 1_000),
                log("app-1", "third\r\n--with a line that looks like a delimiter", 3_000)));

        client().recentLogs("app-1", 50).as(StepVerifier::create)
                .assertNext(envelopes -> {
                    assertThat(envelopes).extracting(e -> text(e))
                            .containsExactly("first", "second", "third\r\n--with a line that looks like a delimiter");
                    assertThat(envelopes).allMatch(e -> e.getSourceId().equals("app-1"));
                })
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        assertThat(server.requests()).containsExactly("GET /apps/app-1/recentlogs?limit=50 | bearer t");
    }

    @Test
    void recentLogs_ofASourceWithoutLogs_isEmpty() {
        client().recentLogs("quiet-app", 10).as(StepVerifier::create)
                .expectNext(List.of()).expectComplete().verify(Duration.ofSeconds(5));
    }

    @Test
    void recentEnvelopes_readsTheLogCacheStyleJson() {
        server.recentLogs("app-2", List.of(log("app-2", "hello"), counter("app-2", "requests", 7)));

        client().recentEnvelopes("app-2", 100).as(StepVerifier::create)
                .assertNext(envelopes -> {
                    assertThat(envelopes).hasSize(2);
                    assertThat(text(envelopes.get(0))).isEqualTo("hello");
                    assertThat(envelopes.get(1).getCounter().getDelta()).isEqualTo(7);
                })
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void aRefusalIsReportedWithTheStatus() {
        server.acceptAuthorization(header -> false);

        client().recentEnvelopes("app-3", 100).as(StepVerifier::create)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(HydrantClientException.class)
                        .hasMessageContaining("answered 404 not_found"))
                .verify(Duration.ofSeconds(5));
        assertThat(server.requests()).hasSize(2);
    }
}
