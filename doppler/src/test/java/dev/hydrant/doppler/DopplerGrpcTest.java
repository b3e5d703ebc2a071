package dev.hydrant.doppler;

import static dev.hydrant.testsupport.envelopes.Envelopes.counter;
import static dev.hydrant.testsupport.envelopes.Envelopes.event;
import static dev.hydrant.testsupport.envelopes.Envelopes.gauge;
import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static dev.hydrant.testsupport.envelopes.Envelopes.text;
import static dev.hydrant.testsupport.envelopes.Envelopes.timer;
import static dev.hydrant.testsupport.envelopes.Selectors.counters;
import static dev.hydrant.testsupport.envelopes.Selectors.gauges;
import static dev.hydrant.testsupport.envelopes.Selectors.logs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hydrant.api.recent.EnvelopeType;
import dev.hydrant.api.recent.MetaRequest;
import dev.hydrant.api.recent.ReadRequest;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.grpc.MalformedRequests;
import dev.hydrant.plumbing.grpc.OversizeRequests;
import dev.hydrant.testsupport.grpc.RawBytes;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.testsupport.envelopes.Envelopes;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.stream.IntStream;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.EgressRequest;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.IngressGrpc;
import org.cloudfoundry.loggregator.v2.Selector;
import org.cloudfoundry.loggregator.v2.Value;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The doppler as its clients see it: real gRPC over mutual TLS against the running application. */
class DopplerGrpcTest {

    private static final int MAX_SUBSCRIPTIONS = 10;

    @TempDir
    static Path directory;
    static TestDoppler doppler;

    private final List<Subscription<?>> opened = new ArrayList<>();

    @BeforeAll
    static void startDoppler() throws Exception {
        doppler = TestDoppler.start(directory,
                "hydrant.doppler.max-subscriptions=" + MAX_SUBSCRIPTIONS,
                // a stalled subscriber is to lose envelopes within what the stall test sends
                "hydrant.doppler.subscriber-buffer-size=1000",
                "hydrant.doppler.metrics-interval=300ms");
    }

    @AfterAll
    static void stopDoppler() {
        doppler.close();
    }

    @AfterEach
    void cancelSubscriptions() {
        opened.forEach(Subscription::cancel);
        doppler.awaitSubscriptions(0);
    }

    private Subscription<EnvelopeBatch> batched(Selector... selectors) {
        return track(Subscription.batched(doppler, EgressBatchRequest.newBuilder().addAllSelectors(List.of(selectors)).build()));
    }

    private Subscription<EnvelopeBatch> batched(EgressBatchRequest request) {
        return track(Subscription.batched(doppler, request));
    }

    private <T> Subscription<T> track(Subscription<T> subscription) {
        opened.add(subscription);
        return subscription;
    }

    private static List<Envelope> lines(String sourceId, String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> log(sourceId, prefix + i)).toList();
    }

    private static List<List<Envelope>> chunks(List<Envelope> envelopes, int size) {
        List<List<Envelope>> chunks = new ArrayList<>();
        for (int i = 0; i < envelopes.size(); i += size) {
            chunks.add(envelopes.subList(i, Math.min(envelopes.size(), i + size)));
        }
        return chunks;
    }

    @Test
    void everythingSentViaBatchSenderSenderAndSend_comesOutOfBatchedReceiverAndReceiver() {
        Subscription<EnvelopeBatch> batchedReceiver = batched(logs("e2e"));
        Subscription<Envelope> receiver = track(Subscription.single(doppler,
                EgressRequest.newBuilder().addSelectors(logs("e2e")).build()));
        doppler.awaitSubscriptions(2);
        double ingressBefore = doppler.counter("ingress");

        List<Envelope> viaBatchSender = lines("e2e", "batch-", 500);
        List<Envelope> viaSender = lines("e2e", "single-", 200);
        List<Envelope> viaSend = lines("e2e", "unary-", 100);
        Ingress.batchSender(doppler, chunks(viaBatchSender, 100));
        Ingress.sender(doppler, viaSender);
        Ingress.send(doppler, viaSend);

        List<String> expected = new ArrayList<>();
        List.of(viaBatchSender, viaSender, viaSend).forEach(list -> list.forEach(e -> expected.add(text(e))));
        await().until(() -> batchedReceiver.count() == 800 && receiver.count() == 800);
        assertThat(batchedReceiver.received()).extracting(Envelopes::text).containsExactlyElementsOf(expected);
        assertThat(receiver.received()).extracting(Envelopes::text).containsExactlyElementsOf(expected);
        assertThat(batchedReceiver.messages()).as("batches, not one message per envelope").isLessThan(800);
        assertThat(receiver.messages()).isEqualTo(800);
        assertThat(doppler.counter("ingress") - ingressBefore).isEqualTo(800);
    }

    @Test
    void selectors_bySourceTypeCounterNameAndGaugeNames_getExactlyWhatTheyAskFor() {
        Subscription<EnvelopeBatch> appLogs = batched(logs("sel-a"));
        Subscription<EnvelopeBatch> errorCounters = batched(counters("", "sel-errors"));
        Subscription<EnvelopeBatch> cpuMemoryGauges = batched(gauges("sel-b", "cpu", "memory"));
        Subscription<EnvelopeBatch> legacyAllOfA = batched(EgressBatchRequest.newBuilder()
                .setLegacySelector(Selector.newBuilder().setSourceId("sel-a")).build());
        doppler.awaitSubscriptions(4);

        Ingress.send(doppler, List.of(log("sel-a", "a-log"), log("sel-b", "b-log"),
                counter("sel-a", "sel-errors"), counter("sel-b", "sel-requests"),
                gauge("sel-b", "cpu", "memory", "disk"), gauge("sel-b", "cpu"), gauge("sel-a", "cpu", "memory"),
                timer("sel-a", "http"), event("sel-a", "crash")));

        await().until(() -> legacyAllOfA.count() == 5);
        await().until(() -> appLogs.count() == 1 && errorCounters.count() == 1 && cpuMemoryGauges.count() == 1);
        assertThat(appLogs.received()).extracting(Envelopes::text).containsExactly("a-log");
        assertThat(errorCounters.received()).extracting(Envelope::getSourceId).containsExactly("sel-a");
        assertThat(cpuMemoryGauges.received()).singleElement()
                .satisfies(e -> assertThat(e.getGauge().getMetricsMap()).containsKeys("cpu", "memory", "disk"));
        assertThat(legacyAllOfA.received()).extracting(Envelope::getMessageCase).containsExactly(
                Envelope.MessageCase.LOG, Envelope.MessageCase.COUNTER, Envelope.MessageCase.GAUGE,
                Envelope.MessageCase.TIMER, Envelope.MessageCase.EVENT);
    }

    @Test
    void noSelectors_streamStaysOpenAndReceivesNothing() {
        Subscription<EnvelopeBatch> nothing = batched();
        Subscription<EnvelopeBatch> reference = batched(logs(""));
        doppler.awaitSubscriptions(2);
        Ingress.send(doppler, lines("quiet", "line-", 50));
        await().until(() -> reference.count() >= 50);
        assertThat(nothing.count()).isZero();
        assertThat(nothing.error()).isNull();
        assertThat(nothing.completed()).isFalse();
    }

    @Test
    void selectorWithoutType_isRefusedWithInvalidArgument() {
        Subscription<EnvelopeBatch> untyped = batched(logs("x"), Selector.newBuilder().setSourceId("x").build());
        await().until(() -> untyped.error() != null);
        assertThat(untyped.errorCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(untyped.error()).hasMessageContaining("no envelope type");
        Subscription<Envelope> single = track(Subscription.single(doppler,
                EgressRequest.newBuilder().addSelectors(Selector.getDefaultInstance()).build()));
        await().until(() -> single.error() != null);
        assertThat(single.errorCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(doppler.subscriptions()).isZero();
    }

    @Test
    void oneStreamMoreThanMaxSubscriptions_isRefusedWithResourceExhausted_untilOneCloses() {
        List<Subscription<EnvelopeBatch>> full = new ArrayList<>();
        for (int i = 0; i < MAX_SUBSCRIPTIONS; i++) {
            full.add(batched(logs("limit")));
        }
        doppler.awaitSubscriptions(MAX_SUBSCRIPTIONS);
        Subscription<EnvelopeBatch> tooMany = batched(logs("limit"));
        await().until(() -> tooMany.error() != null);
        assertThat(tooMany.errorCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

        full.get(0).cancel();
        doppler.awaitSubscriptions(MAX_SUBSCRIPTIONS - 1);
        Subscription<EnvelopeBatch> replacement = batched(logs("limit"));
        doppler.awaitSubscriptions(MAX_SUBSCRIPTIONS);
        assertThat(replacement.error()).isNull();
    }

    @Test
    void sameShardId_splitsTheStreamDisjointly_whileAnotherShardIdGetsEverything() {
        EgressBatchRequest group = EgressBatchRequest.newBuilder().setShardId("nozzle").addSelectors(logs("sharded")).build();
        Subscription<EnvelopeBatch> first = batched(group);
        Subscription<EnvelopeBatch> second = batched(group);
        Subscription<EnvelopeBatch> otherGroup = batched(group.toBuilder().setShardId("other-nozzle").build());
        doppler.awaitSubscriptions(3);

        Ingress.batchSender(doppler, chunks(lines("sharded", "s-", 1000), 100));

        await().until(() -> first.count() + second.count() == 1000 && otherGroup.count() == 1000);
        Set<String> union = new HashSet<>();
        first.received().forEach(e -> union.add(text(e)));
        second.received().forEach(e -> union.add(text(e)));
        assertThat(union).hasSize(1000);
        assertThat(first.count()).isPositive();
        assertThat(second.count()).isPositive();
    }

    @Test
    void deterministicName_pinsEachCounterNameToOneMember() {
        EgressBatchRequest group = EgressBatchRequest.newBuilder().setShardId("pinned").setDeterministicName("pinned")
                .addSelectors(counters("pinning", "")).build();
        Subscription<EnvelopeBatch> first = batched(group);
        Subscription<EnvelopeBatch> second = batched(group);
        doppler.awaitSubscriptions(2);

        List<Envelope> countersSent = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            for (int name = 0; name < 8; name++) {
                countersSent.add(counter("pinning", "metric-" + name));
            }
        }
        Ingress.batchSender(doppler, chunks(countersSent, 40));

        await().until(() -> first.count() + second.count() == 160);
        Set<String> firstNames = new HashSet<>();
        first.received().forEach(e -> firstNames.add(e.getCounter().getName()));
        Set<String> secondNames = new HashSet<>();
        second.received().forEach(e -> secondNames.add(e.getCounter().getName()));
        assertThat(firstNames).doesNotContainAnyElementsOf(secondNames);
        assertThat(first.count()).isEqualTo(20 * firstNames.size());
    }

    @Test
    void whenSubscriberStalls_othersLoseNothingAndItsLossIsCountedAsDroppedEgress() {
        Subscription<EnvelopeBatch> stalled = track(Subscription.batched(doppler,
                EgressBatchRequest.newBuilder().addSelectors(logs("stall")).build(), true));
        Subscription<EnvelopeBatch> healthy = batched(logs("stall"));
        doppler.awaitSubscriptions(2);
        double droppedBefore = doppler.counter("dropped", "direction", "egress");

        String kilobyte = "x".repeat(1024);
        int sent = 0;
        for (int batch = 0; batch < 60; batch++) {
            List<Envelope> envelopes = lines("stall", batch + "-" + kilobyte + "-", 100);
            Ingress.send(doppler, envelopes);
            sent += envelopes.size();
            int expected = sent;
            await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).until(() -> healthy.count() == expected);
        }
        assertThat(healthy.count()).isEqualTo(sent);
        assertThat(stalled.count()).isZero();
        await().until(() -> doppler.counter("dropped", "direction", "egress") - droppedBefore > 0);

        stalled.resume();
        int total = sent;
        await().until(() -> stalled.count() + (doppler.counter("dropped", "direction", "egress") - droppedBefore) == total);
        assertThat(stalled.count()).isLessThan(total);
        List<Envelope> newestKept = stalled.received();
        assertThat(text(newestKept.get(newestKept.size() - 1))).isEqualTo(text(healthy.received().get(total - 1)));
    }

    @Test
    void malformedIngressMessage_failsOnlyItsOwnCall() {
        Subscription<EnvelopeBatch> subscriber = batched(logs("robust"));
        doppler.awaitSubscriptions(1);
        MethodDescriptor<byte[], byte[]> rawSend = RawBytes.of(IngressGrpc.getSendMethod());
        byte[] garbage = {(byte) 0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x7f, 1, 2, 3};

        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(doppler.channel, rawSend, CallOptions.DEFAULT, garbage))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThat(doppler.counter(MalformedRequests.METRIC)).isEqualTo(1);

        Ingress.send(doppler, List.of(log("robust", "still fine")));
        await().until(() -> subscriber.count() == 1);
        assertThat(text(subscriber.received().get(0))).isEqualTo("still fine");
    }

    @Test
    void oversizeIngressMessages_areCountedAndReportedInOneLineWithoutStackTrace_andValidTrafficStillFlows() {
        Subscription<EnvelopeBatch> subscriber = batched(logs("oversized"));
        doppler.awaitSubscriptions(1);
        byte[] oversize = new byte[GrpcTransport.MAX_MESSAGE_BYTES + 1];
        int sent = 20;
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        ch.qos.logback.classic.Logger root =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logged);
        List<LogRecord> julWarnings = new CopyOnWriteArrayList<>();
        java.util.logging.Logger grpc = java.util.logging.Logger.getLogger("io.grpc");
        Handler julHandler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    julWarnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        grpc.addHandler(julHandler);
        try {
            for (int i = 0; i < sent; i++) {
                assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(doppler.channel,
                        RawBytes.of(IngressGrpc.getSendMethod()), CallOptions.DEFAULT, oversize))
                        .isInstanceOfSatisfying(StatusRuntimeException.class,
                                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
            }
            await().until(() -> doppler.counter(OversizeRequests.METRIC) == sent);

            Ingress.send(doppler, List.of(log("oversized", "still fine")));
            await().until(() -> subscriber.count() == 1);
            assertThat(text(subscriber.received().get(0))).isEqualTo("still fine");
        } finally {
            root.detachAppender(logged);
            grpc.removeHandler(julHandler);
        }
        List<ILoggingEvent> events = List.copyOf(logged.list);
        assertThat(julWarnings).isEmpty();
        assertThat(events).filteredOn(e -> e.getLoggerName().startsWith("io.grpc")).isEmpty();
        assertThat(events).filteredOn(e -> e.getLoggerName().equals(OversizeRequests.class.getName()))
                .hasSizeBetween(1, 2)
                .allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
    }

    @Test
    void usePreferredTags_flattensDeprecatedTagsIntoTagsAsStrings() {
        Subscription<EnvelopeBatch> preferred = batched(EgressBatchRequest.newBuilder().setUsePreferredTags(true)
                .addSelectors(logs("tagged")).build());
        Subscription<EnvelopeBatch> plain = batched(logs("tagged"));
        doppler.awaitSubscriptions(2);
        Envelope tagged = log("tagged", "t").toBuilder()
                .putDeprecatedTags("text", Value.newBuilder().setText("hello").build())
                .putDeprecatedTags("integer", Value.newBuilder().setInteger(42).build())
                .putDeprecatedTags("decimal", Value.newBuilder().setDecimal(1.5).build())
                .putTags("kept", "yes").build();
        Ingress.send(doppler, List.of(tagged));

        await().until(() -> preferred.count() == 1 && plain.count() == 1);
        Envelope flattened = preferred.received().get(0);
        assertThat(flattened.getTagsMap()).containsEntry("text", "hello").containsEntry("integer", "42")
                .containsEntry("decimal", "1.5").containsEntry("kept", "yes");
        assertThat(flattened.getDeprecatedTagsMap()).isEmpty();
        assertThat(plain.received().get(0)).isEqualTo(tagged);
    }

    @Test
    void recentEnvelopes_readHonoursLimitTimeRangeTypesAndOrder_andMetaListsTheSource() {
        List<Envelope> envelopes = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            envelopes.add(log("cached", "line " + i, i * 1_000L));
        }
        envelopes.add(counter("cached", "requests").toBuilder().setTimestamp(31_000L).build());
        Ingress.send(doppler, envelopes);

        List<Envelope> newestFive = read(ReadRequest.newBuilder().setSourceId("cached").setLimit(5)
                .addEnvelopeTypes(EnvelopeType.LOG).build());
        assertThat(newestFive).extracting(Envelopes::text)
                .containsExactly("line 26", "line 27", "line 28", "line 29", "line 30");

        List<Envelope> range = read(ReadRequest.newBuilder().setSourceId("cached")
                .setStartTime(10_000).setEndTime(13_000).setDescending(true).build());
        assertThat(range).extracting(Envelope::getTimestamp)
                .containsExactly(12_000L, 11_000L, 10_000L);

        List<Envelope> countersOnly = read(ReadRequest.newBuilder().setSourceId("cached")
                .addEnvelopeTypes(EnvelopeType.COUNTER).build());
        assertThat(countersOnly).extracting(e -> e.getCounter().getName())
                .containsExactly("requests");

        assertThat(read(ReadRequest.newBuilder().setSourceId("cached").build())).hasSize(31);

        assertThat(doppler.recent().meta(MetaRequest.getDefaultInstance()).getMetaMap().get("cached"))
                .satisfies(meta -> {
                    assertThat(meta.getCount()).isEqualTo(31);
                    assertThat(meta.getOldestTimestamp()).isEqualTo(1_000L);
                    assertThat(meta.getNewestTimestamp()).isEqualTo(31_000L);
                });
        assertThatThrownBy(() -> read(ReadRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    /** Every piece of a read, in order. */
    private List<Envelope> read(ReadRequest request) {
        List<Envelope> envelopes = new ArrayList<>();
        doppler.recent().read(request).forEachRemaining(piece -> envelopes.addAll(piece.getEnvelopes().getBatchList()));
        return envelopes;
    }

    @Test
    void selfMetrics_arriveOnEgressAsTheDopplersOwnEnvelopes() {
        Subscription<EnvelopeBatch> own = batched(counters("doppler", "ingress"), gauges("doppler", "subscriptions"));
        doppler.awaitSubscriptions(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> own.received().stream().anyMatch(Envelope::hasCounter)
                && own.received().stream().anyMatch(Envelope::hasGauge));
        Envelope ingress = own.received().stream().filter(Envelope::hasCounter).findFirst().orElseThrow();
        assertThat(ingress.getSourceId()).isEqualTo("doppler");
        assertThat(ingress.getTagsMap()).containsEntry("origin", "loggregator.doppler");
        Envelope subscriptions = own.received().stream().filter(Envelope::hasGauge).findFirst().orElseThrow();
        assertThat(subscriptions.getGauge().getMetricsMap().get("subscriptions").getValue()).isEqualTo(1.0);
    }

    @Test
    void prometheusEndpoint_showsIngressAndEgressDrops() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + doppler.httpPort() + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).containsPattern("(?m)^ingress_total(\\{[^}]*\\})? ")
                .containsPattern("(?m)^dropped_total\\{[^}]*direction=\"egress\"[^}]*\\} ")
                .containsPattern("(?m)^subscriptions(\\{[^}]*\\})? ")
                .containsPattern("(?m)^subscriber_buffer_fill(\\{[^}]*\\})? ");
    }

    @Test
    void clientWithoutCertificate_isRefused() throws Exception {
        SslContext noClientCertificate = GrpcSslContexts.forClient().trustManager(doppler.serverFiles.caFile().toFile()).build();
        assertRefused(noClientCertificate);
    }

    @Test
    void clientWithCertificateFromAnotherCa_isRefused(@TempDir Path other) throws Exception {
        TlsFiles foreign = CertificateAuthority.create("another-ca").issueFiles(other, "client");
        SslContext foreignCertificate = GrpcSslContexts.forClient()
                .keyManager(foreign.certFile().toFile(), foreign.keyFile().toFile())
                .trustManager(doppler.serverFiles.caFile().toFile()).build();
        assertRefused(foreignCertificate);
    }

    private static void assertRefused(SslContext client) {
        double ingressBefore = doppler.counter("ingress");
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", doppler.grpcPort())
                .sslContext(client).overrideAuthority("doppler").build();
        try {
            EnvelopeBatch batch = EnvelopeBatch.newBuilder().addBatch(log("intruder", "let me in")).build();
            assertThatThrownBy(() -> IngressGrpc.newBlockingStub(channel).withDeadlineAfter(Duration.ofSeconds(30)).send(batch))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            assertThat(doppler.counter("ingress")).isEqualTo(ingressBefore);
        } finally {
            channel.shutdownNow();
        }
    }
}
