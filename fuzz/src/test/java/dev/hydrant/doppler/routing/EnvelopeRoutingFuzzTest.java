package dev.hydrant.doppler.routing;

import static dev.hydrant.testsupport.envelopes.Selectors.counters;
import static dev.hydrant.testsupport.envelopes.Selectors.events;
import static dev.hydrant.testsupport.envelopes.Selectors.gauges;
import static dev.hydrant.testsupport.envelopes.Selectors.logs;
import static dev.hydrant.testsupport.envelopes.Selectors.timers;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.hydrant.api.select.Selectors;
import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.api.wire.MalformedEnvelopeException;
import java.util.ArrayList;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Selector;

/**
 * Routing on bytes (issue 12): any bytes an emitter sends as one envelope are either refused as malformed
 * ({@link MalformedEnvelopeException}, and then nothing is routed) or routed on the fields read from the
 * bytes exactly as the Traffic Controller's matcher ({@link Selectors}) selects the fully parsed envelope: a
 * subscriber of its own gets the envelope when its selectors match, a shard group (also one placing counters
 * and gauges by name) gives it to exactly one member when theirs match, and what is delivered is the very
 * bytes that were sent (or, for bytes only protobuf-java's lenient reading takes, their canonical encoding).
 * Nothing else: no other exception.
 */
class EnvelopeRoutingFuzzTest {

    private static final List<List<Selector>> ALONE = List.of(
            List.of(logs("")), List.of(logs("app-1")), List.of(counters("", "")), List.of(counters("app-1", "requests")),
            List.of(gauges("")), List.of(gauges("", "cpu", "memory")), List.of(timers("")), List.of(events("app-1")),
            List.of(logs("app-1"), counters("", ""), gauges("app-2", "cpu")));
    private static final List<Selector> GROUPED = List.of(logs(""), counters("", ""), gauges(""));

    private final Router router = new Router(100);
    private final List<List<EncodedEnvelope>> alone = new ArrayList<>();
    private final List<List<EncodedEnvelope>> group = new ArrayList<>();
    private final List<List<EncodedEnvelope>> pinned = new ArrayList<>();

    EnvelopeRoutingFuzzTest() {
        for (List<Selector> selectors : ALONE) {
            alone.add(subscribe(new SubscriptionSpec(selectors, "", "")));
        }
        for (int i = 0; i < 3; i++) {
            group.add(subscribe(new SubscriptionSpec(GROUPED, "group", "")));
            pinned.add(subscribe(new SubscriptionSpec(GROUPED, "pinned", "pinned")));
        }
    }

    private List<EncodedEnvelope> subscribe(SubscriptionSpec spec) {
        List<EncodedEnvelope> delivered = new ArrayList<>();
        router.subscribe(spec, delivered::addAll);
        return delivered;
    }

    @FuzzTest(maxDuration = "10s")
    void anyEnvelopeBytesAreRefusedOrRoutedAsTheirParsedFormIsSelected(byte[] bytes) {
        EncodedEnvelope encoded;
        try {
            encoded = EncodedEnvelope.of(bytes.clone());
        } catch (MalformedEnvelopeException refused) {
            return;
        }
        Envelope parsed;
        try {
            parsed = Envelope.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("accepted bytes that protobuf refuses", e);
        }
        router.route(List.of(encoded));
        byte[] canonical = parsed.toByteArray();

        for (int i = 0; i < ALONE.size(); i++) {
            assertThat(alone.get(i)).as("selectors %s", ALONE.get(i))
                    .hasSize(Selectors.matchesAny(ALONE.get(i), parsed) ? 1 : 0)
                    .allSatisfy(delivered -> assertThat(delivered.toByteArray()).isIn(bytes, canonical));
        }
        int expected = Selectors.matchesAny(GROUPED, parsed) ? 1 : 0;
        assertThat(group.stream().mapToInt(List::size).sum()).isEqualTo(expected);
        assertThat(pinned.stream().mapToInt(List::size).sum()).isEqualTo(expected);
        pinned.stream().flatMap(List::stream)
                .forEach(delivered -> assertThat(delivered.toByteArray()).isIn(bytes, canonical));
        alone.forEach(List::clear);
        group.forEach(List::clear);
        pinned.forEach(List::clear);
    }
}
