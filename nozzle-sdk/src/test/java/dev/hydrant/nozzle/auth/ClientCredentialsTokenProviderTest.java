package dev.hydrant.nozzle.auth;

import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static dev.hydrant.testsupport.envelopes.Envelopes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.nozzle.client.HydrantClient;
import dev.hydrant.nozzle.client.ReconnectPolicy;
import dev.hydrant.nozzle.client.Transport;
import dev.hydrant.nozzle.wire.FakeTokenEndpoint;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class ClientCredentialsTokenProviderTest {

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        private volatile Instant now = Instant.parse("2030-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void tokenIsFetchedOnceWithClientCredentials_andSharedByConcurrentCallers() {
        try (FakeTokenEndpoint uaa = new FakeTokenEndpoint("nozzle", "s3cret&more", 3600)) {
            TokenProvider tokens = ClientCredentialsTokenProvider.builder(uaa.tokenUri(), "nozzle", "s3cret&more")
                    .scope("doppler.firehose").build();

            List<String> got = Flux.range(0, 8).flatMap(i -> tokens.token()).collectList().block(Duration.ofSeconds(5));

            assertThat(got).containsOnly("token-1").hasSize(8);
            assertThat(uaa.issued()).isEqualTo(1);
            assertThat(uaa.forms()).containsExactly("grant_type=client_credentials&scope=doppler.firehose");
        }
    }

    @Test
    void tokenIsRenewedShortlyBeforeItExpires() {
        ManualClock clock = new ManualClock();
        try (FakeTokenEndpoint uaa = new FakeTokenEndpoint("nozzle", "secret", 600)) {
            TokenProvider tokens = ClientCredentialsTokenProvider.builder(uaa.tokenUri(), "nozzle", "secret")
                    .refreshBefore(Duration.ofSeconds(30)).clock(clock).build();

            tokens.token().as(StepVerifier::create).expectNext("token-1").expectComplete().verify(Duration.ofSeconds(5));
            clock.advance(Duration.ofSeconds(569));
            tokens.token().as(StepVerifier::create).expectNext("token-1").expectComplete().verify(Duration.ofSeconds(5));
            clock.advance(Duration.ofSeconds(2));
            tokens.token().as(StepVerifier::create).expectNext("token-2").expectComplete().verify(Duration.ofSeconds(5));
            assertThat(uaa.issued()).isEqualTo(2);
        }
    }

    @Test
    void aRefusedTokenIsReplaced() {
        try (FakeTokenEndpoint uaa = new FakeTokenEndpoint("nozzle", "secret", 3600)) {
            TokenProvider tokens = ClientCredentialsTokenProvider.create(uaa.tokenUri(), "nozzle", "secret");
            assertThat(tokens.token().block(Duration.ofSeconds(5))).isEqualTo("token-1");

            tokens.invalidate("token-1");

            assertThat(tokens.token().block(Duration.ofSeconds(5))).isEqualTo("token-2");
            assertThat(tokens.token().block(Duration.ofSeconds(5))).isEqualTo("token-2");
        }
    }

    @Test
    void wrongClientSecret_failsWithTheEndpointsAnswer_andIsNotCached() {
        try (FakeTokenEndpoint uaa = new FakeTokenEndpoint("nozzle", "secret", 3600)) {
            TokenProvider tokens = ClientCredentialsTokenProvider.create(uaa.tokenUri(), "nozzle", "wrong");

            tokens.token().as(StepVerifier::create)
                    .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("answered 401"))
                    .verify(Duration.ofSeconds(5));
            assertThat(uaa.forms()).hasSize(1);
            tokens.token().as(StepVerifier::create).expectError().verify(Duration.ofSeconds(5));
            assertThat(uaa.forms()).hasSize(2);
        }
    }

    @Test
    void whenTheTrafficControllerRefusesTheToken_theStreamOpensWithAFreshOne() {
        List<Envelope> received = new CopyOnWriteArrayList<>();
        try (FakeTokenEndpoint uaa = new FakeTokenEndpoint("nozzle", "secret", 3600);
             FakeTrafficController server = new FakeTrafficController()
                     .acceptAuthorization("bearer token-2"::equals).start()) {
            HydrantClient client = HydrantClient.builder()
                    .baseUrl(server.baseUrl())
                    .transport(Transport.SSE)
                    .tokenProvider(ClientCredentialsTokenProvider.create(uaa.tokenUri(), "nozzle", "secret"))
                    .reconnect(new ReconnectPolicy(Duration.ofMillis(50), Duration.ofMillis(200), 0.5, Duration.ofSeconds(5)))
                    .build();
            Disposable subscription = client.firehose("sub").subscribe(received::add);
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    server.publish(log("app", "after refresh"));
                    return !received.isEmpty();
                });
                assertThat(text(received.get(0))).isEqualTo("after refresh");
                assertThat(server.requests()).extracting(r -> r.substring(r.indexOf('|') + 2))
                        .startsWith("bearer token-1", "bearer token-2");
                assertThat(uaa.issued()).isEqualTo(2);
            } finally {
                subscription.dispose();
            }
        }
    }

    @Test
    void fixedToken_dropsABearerPrefix() {
        assertThat(TokenProvider.fixed("bearer abc").token().block()).isEqualTo("abc");
        assertThat(Mono.from(TokenProvider.none().token()).block()).isEmpty();
    }
}
