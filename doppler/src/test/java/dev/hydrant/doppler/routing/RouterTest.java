package dev.hydrant.doppler.routing;

import static dev.hydrant.testsupport.envelopes.Envelopes.counter;
import static dev.hydrant.testsupport.envelopes.Envelopes.event;
import static dev.hydrant.testsupport.envelopes.Envelopes.gauge;
import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static dev.hydrant.testsupport.envelopes.Envelopes.timer;
import static dev.hydrant.testsupport.envelopes.Selectors.counters;
import static dev.hydrant.testsupport.envelopes.Selectors.events;
import static dev.hydrant.testsupport.envelopes.Selectors.gauges;
import static dev.hydrant.testsupport.envelopes.Selectors.logs;
import static dev.hydrant.testsupport.envelopes.Selectors.timers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrant.api.wire.EncodedEnvelope;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Selector;
import org.junit.jupiter.api.Test;

class RouterTest {

    private final Router router = new Router(5000);

    /** A sink that records what it gets and how many deliveries it took. */
    static final class Recorder implements SubscriberSink {
        final List<Envelope> received = new ArrayList<>();
        int deliveries;

        @Override
        public synchronized void deliver(List<EncodedEnvelope> envelopes) {
            deliveries++;
            envelopes.forEach(envelope -> received.add(envelope.envelope()));
        }
    }

    /** Routes the envelopes as they arrive at the doppler: as their bytes. */
    private void route(List<Envelope> batch) {
        router.route(batch.stream().map(EncodedEnvelope::of).toList());
    }

    private Recorder subscribe(Selector... selectors) {
        Recorder recorder = new Recorder();
        router.subscribe(SubscriptionSpec.of(selectors), recorder);
        return recorder;
    }

    private Recorder subscribe(String shardId, String deterministicName, Selector... selectors) {
        Recorder recorder = new Recorder();
        router.subscribe(new SubscriptionSpec(List.of(selectors), shardId, deterministicName), recorder);
        return recorder;
    }

    private static final List<Envelope> MIXED = List.of(
            log("app-a", "one"), counter("app-a", "requests"), gauge("app-a", "cpu", "memory"),
            timer("app-a", "http"), event("app-a", "crash"),
            log("app-b", "two"), counter("app-b", "errors"), gauge("app-b", "cpu"));

    @Test
    void selectorBySourceId_getsOnlyThatSourcesTypeInOrder() {
        Recorder logsOfA = subscribe(logs("app-a"));
        route(List.of(log("app-a", "1"), log("app-b", "x"), counter("app-a", "c"), log("app-a", "2")));
        assertThat(logsOfA.received).extracting(Envelope::getSourceId, e -> e.getLog().getPayload().toStringUtf8())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("app-a", "1"), org.assertj.core.groups.Tuple.tuple("app-a", "2"));
    }

    @Test
    void emptySourceId_selectsEverySource() {
        Recorder allLogs = subscribe(logs(""));
        route(MIXED);
        assertThat(allLogs.received).extracting(Envelope::getSourceId).containsExactly("app-a", "app-b");
    }

    @Test
    void eachTypeSelector_getsOnlyItsType() {
        Recorder counters = subscribe(counters("", ""));
        Recorder gauges = subscribe(gauges(""));
        Recorder timers = subscribe(timers(""));
        Recorder events = subscribe(events(""));
        route(MIXED);
        assertThat(counters.received).extracting(e -> e.getCounter().getName()).containsExactly("requests", "errors");
        assertThat(gauges.received).hasSize(2).allMatch(Envelope::hasGauge);
        assertThat(timers.received).extracting(e -> e.getTimer().getName()).containsExactly("http");
        assertThat(events.received).extracting(e -> e.getEvent().getTitle()).containsExactly("crash");
    }

    @Test
    void aFirehoseOfSeveralTypes_getsEachOfThemInOrder_besideManySubscribersOfOtherTypes() {
        Recorder logsAndCounters = subscribe(logs(""), counters("", ""));
        List<Recorder> others = IntStream.range(0, 50).mapToObj(i -> subscribe(counters("", "metric-" + i))).toList();
        route(MIXED);
        assertThat(logsAndCounters.received).extracting(Envelope::getMessageCase).containsExactly(
                Envelope.MessageCase.LOG, Envelope.MessageCase.COUNTER, Envelope.MessageCase.LOG, Envelope.MessageCase.COUNTER);
        assertThat(others).allMatch(recorder -> recorder.received.isEmpty());
    }

    @Test
    void counterName_andGaugeNames_narrowTheSelection() {
        Recorder errors = subscribe(counters("", "errors"));
        Recorder cpuAndMemory = subscribe(gauges("", "memory", "cpu"));
        Recorder cpu = subscribe(gauges("", "cpu"));
        route(MIXED);
        assertThat(errors.received).extracting(Envelope::getSourceId).containsExactly("app-b");
        assertThat(cpuAndMemory.received).extracting(Envelope::getSourceId).containsExactly("app-a");
        assertThat(cpu.received).extracting(Envelope::getSourceId).containsExactly("app-a", "app-b");
    }

    @Test
    void noSelectors_receiveNothing_butCountAsSubscription() {
        Recorder nothing = subscribe();
        route(MIXED);
        assertThat(nothing.received).isEmpty();
        assertThat(router.subscriptions()).isEqualTo(1);
    }

    @Test
    void untypedSelector_isRefusedNamingTheProblem() {
        Selector untyped = Selector.newBuilder().setSourceId("app-a").build();
        assertThatThrownBy(() -> router.subscribe(SubscriptionSpec.of(logs(""), untyped), envelopes -> { }))
                .isInstanceOf(InvalidSelectorException.class)
                .hasMessageContaining("selector 1").hasMessageContaining("no envelope type");
        assertThat(router.subscriptions()).isZero();
    }

    @Test
    void envelopeMatchingSeveralSelectors_isDeliveredOnce_inOneDeliveryPerBatch() {
        Recorder overlapping = subscribe(logs("app-a"), logs(""), logs("app-a"));
        route(List.of(log("app-a", "1"), log("app-a", "2"), log("app-b", "3")));
        assertThat(overlapping.received).extracting(e -> e.getLog().getPayload().toStringUtf8()).containsExactly("1", "2", "3");
        assertThat(overlapping.deliveries).isEqualTo(1);
    }

    @Test
    void subscriberWithSelectorsForTwoSources_getsBoth_andNoOther() {
        Recorder two = subscribe(logs("app-a"), counters("app-b", ""));
        route(MIXED);
        assertThat(two.received).extracting(Envelope::getSourceId, Envelope::getMessageCase).containsExactly(
                org.assertj.core.groups.Tuple.tuple("app-a", Envelope.MessageCase.LOG),
                org.assertj.core.groups.Tuple.tuple("app-b", Envelope.MessageCase.COUNTER));
    }

    @Test
    void closedRegistration_receivesNothingMore_andIsNoLongerCounted() {
        Recorder recorder = new Recorder();
        Router.Registration registration = router.subscribe(SubscriptionSpec.of(logs("")), recorder);
        route(List.of(log("a", "before")));
        registration.close();
        registration.close();
        route(List.of(log("a", "after")));
        assertThat(recorder.received).hasSize(1);
        assertThat(router.subscriptions()).isZero();
    }

    @Test
    void beyondMaxSubscriptions_subscribeIsRefused() {
        Router small = new Router(2);
        small.subscribe(SubscriptionSpec.of(logs("")), e -> { });
        Router.Registration second = small.subscribe(SubscriptionSpec.of(logs("")), e -> { });
        assertThatThrownBy(() -> small.subscribe(SubscriptionSpec.of(logs("")), e -> { }))
                .isInstanceOf(SubscriptionLimitException.class).hasMessageContaining("at most 2");
        second.close();
        small.subscribe(SubscriptionSpec.of(logs("")), e -> { });
        assertThat(small.subscriptions()).isEqualTo(2);
    }

    @Test
    void shardGroupMembers_getDisjointSetsCoveringEverything_whileOthersGetAll() {
        Recorder first = subscribe("group", "", logs(""));
        Recorder second = subscribe("group", "", logs(""));
        Recorder other = subscribe("other", "", logs(""));
        Recorder alone = subscribe(logs(""));
        List<Envelope> batch = IntStream.range(0, 1000).mapToObj(i -> log("app-" + (i % 7), "line " + i)).toList();
        route(batch);

        Set<Envelope> union = new HashSet<>(first.received);
        union.addAll(second.received);
        assertThat(first.received.size() + second.received.size()).isEqualTo(1000);
        assertThat(union).hasSize(1000);
        assertThat(first.received).isNotEmpty();
        assertThat(second.received).isNotEmpty();
        assertThat(other.received).hasSize(1000);
        assertThat(alone.received).hasSize(1000);
    }

    @Test
    void shardGroupWithDifferentSelectors_givesEachEnvelopeToOneMemberThatMatchesIt() {
        Recorder logsOnly = subscribe("group", "", logs(""));
        Recorder logsAndCounters = subscribe("group", "", logs(""), counters("", ""));
        List<Envelope> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            batch.add(log("a", "l" + i));
            batch.add(counter("a", "c" + i));
        }
        route(batch);
        assertThat(logsOnly.received).allMatch(Envelope::hasLog);
        assertThat(logsAndCounters.received.stream().filter(Envelope::hasCounter)).hasSize(100);
        assertThat(logsOnly.received.size() + logsAndCounters.received.size()).isEqualTo(200);
    }

    @Test
    void deterministicName_pinsEachCounterNameAndGaugeNameSetToOneMember() {
        List<Recorder> members = List.of(
                subscribe("group", "pinned", counters("", ""), gauges("")),
                subscribe("group", "pinned", counters("", ""), gauges("")),
                subscribe("group", "pinned", counters("", ""), gauges("")));
        for (int round = 0; round < 20; round++) {
            route(List.of(counter("a", "requests"), counter("b", "errors"), counter("c", "latency"),
                    gauge("a", "cpu", "memory"), gauge("b", "memory", "cpu"), gauge("c", "disk")));
        }
        for (String name : List.of("requests", "errors", "latency")) {
            assertThat(members).filteredOn(m -> m.received.stream().anyMatch(e -> e.getCounter().getName().equals(name)))
                    .as("members that got counter %s", name).hasSize(1);
        }
        assertThat(members).filteredOn(m -> m.received.stream().anyMatch(e -> e.getGauge().containsMetrics("cpu")))
                .as("the cpu+memory gauge, whatever the key order, goes to one member").hasSize(1);
        assertThat(members.stream().mapToInt(m -> m.received.size()).sum()).isEqualTo(120);
    }

    @Test
    void withoutDeterministicName_oneCounterNameIsSpreadOverTheGroup() {
        Recorder first = subscribe("group", "", counters("", ""));
        Recorder second = subscribe("group", "", counters("", ""));
        route(IntStream.range(0, 10).mapToObj(i -> counter("a", "requests")).toList());
        assertThat(first.received).hasSize(5);
        assertThat(second.received).hasSize(5);
    }

    @Test
    void thousandsOfAppSubscribers_eachGetOnlyTheirOwnApp() {
        List<Recorder> apps = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            apps.add(subscribe(logs("app-" + i)));
        }
        Recorder firehose = subscribe(logs(""));
        route(IntStream.range(0, 4000).mapToObj(i -> log("app-" + (i % 2000), "line " + i)).toList());
        assertThat(apps).allSatisfy(app -> assertThat(app.received).hasSize(2).allMatch(e -> e.getSourceId()
                .equals(app.received.get(0).getSourceId())));
        assertThat(firehose.received).hasSize(4000);
    }

    @Test
    void aSinkThatThrows_doesNotCostOtherSubscribers() {
        router.subscribe(SubscriptionSpec.of(logs("")), envelopes -> {
            throw new IllegalStateException("broken sink");
        });
        Recorder healthy = subscribe(logs(""));
        route(List.of(log("a", "1")));
        route(List.of(log("a", "2")));
        assertThat(healthy.received).hasSize(2);
    }
}
