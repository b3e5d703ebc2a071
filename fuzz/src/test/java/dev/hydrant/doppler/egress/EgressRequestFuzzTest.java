package dev.hydrant.doppler.egress;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.hydrant.api.select.Selectors;
import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.doppler.routing.InvalidSelectorException;
import dev.hydrant.doppler.routing.Router;
import dev.hydrant.doppler.routing.SubscriptionSpec;
import dev.hydrant.testsupport.envelopes.Envelopes;
import dev.hydrant.trafficcontroller.fanin.EgressLimits;
import java.util.ArrayList;
import java.util.List;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Selector;

/**
 * The selectors of a v2 egress request (docs/wire.md section 2) as a nozzle sends them: the Traffic
 * Controller's limits refuse it with a message, or it subscribes at a Doppler's router, which either refuses a
 * selector without a type ({@link InvalidSelectorException}) or delivers exactly the envelopes that
 * {@link Selectors} (the Traffic Controller's matcher) selects with the same selectors. Nothing else: no other
 * exception, no unbounded work.
 */
class EgressRequestFuzzTest {

    private static final List<Envelope> ENVELOPES = List.of(
            Envelopes.log("app-1", "hello"),
            Envelopes.counter("app-1", "requests", 3),
            Envelopes.gauge("app-2", "cpu", "memory"),
            Envelopes.timer("app-2", "http"),
            Envelopes.event("", "deployed"),
            Envelope.newBuilder().setSourceId("app-1").build());
    /** The same envelopes as the Doppler routes them: as their bytes. */
    private static final List<EncodedEnvelope> ENCODED = ENVELOPES.stream().map(EncodedEnvelope::of).toList();

    private final EgressLimits limits = new EgressLimits(64);
    private final Router router = new Router(10);

    @FuzzTest(maxDuration = "10s")
    void acceptedSelectorsSelectAtTheDopplerAsAtTheTrafficController(byte[] bytes) {
        EgressBatchRequest request;
        try {
            request = EgressBatchRequest.parseFrom(bytes);
        } catch (InvalidProtocolBufferException refusedWithInvalidArgument) {
            return;
        }
        String violation = limits.violation(request);
        if (violation != null) {
            assertThat(violation).isNotBlank();
            return;
        }
        SubscriptionSpec spec = EgressService.spec(request.hasLegacySelector(), request.getLegacySelector(),
                request.getSelectorsList(), request.getShardId(), request.getDeterministicName());
        List<Envelope> delivered = new ArrayList<>();
        Router.Registration registration;
        try {
            registration = router.subscribe(spec, envelopes -> envelopes.forEach(e -> delivered.add(e.envelope())));
        } catch (InvalidSelectorException refused) {
            assertThat(spec.selectors())
                    .anyMatch(selector -> selector.getMessageCase() == Selector.MessageCase.MESSAGE_NOT_SET);
            return;
        }
        try {
            router.route(ENCODED);
        } finally {
            registration.close();
        }
        List<Envelope> expected = ENVELOPES.stream()
                .filter(envelope -> Selectors.matchesAny(spec.selectors(), envelope)).toList();
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(expected);
    }
}
