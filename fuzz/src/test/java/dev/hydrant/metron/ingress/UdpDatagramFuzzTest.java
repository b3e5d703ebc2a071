package dev.hydrant.metron.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.hydrant.api.convert.Conversions;
import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.metron.tagging.CounterTotals;
import dev.hydrant.metron.tagging.EnvelopeTagger;
import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cloudfoundry.dropsonde.events.EventFactory;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * The v1 UDP ingress (docs/wire.md section 3): any datagram is either accepted (one envelope in the agent's
 * buffer, counted as ingress) or counted as {@code udp.malformed}; the conversion to v2 never throws, and what it
 * gives converts back to v1 (as the Traffic Controller's v1 egress does) without throwing, into envelopes that
 * serialise.
 */
class UdpDatagramFuzzTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Counter ingress = registry.counter("ingress");
    private final Counter malformed = registry.counter("udp.malformed");
    private final DropOldestBuffer<EncodedEnvelope> buffer = new DropOldestBuffer<>(16, dropped -> { });
    private final UdpIngress udp = new UdpIngress("127.0.0.1", 0, "hydrant.metron.udp-port",
            new IngressService(new EnvelopeTagger(Map.of("deployment", "fuzz", "job", "metron"),
                    new CounterTotals(1000, resets -> { })), buffer, ingress), malformed);

    @FuzzTest(maxDuration = "10s")
    void anyDatagramIsAcceptedOrCountedAsMalformed(byte[] datagram) {
        double before = ingress.count() + malformed.count();
        udp.receive(datagram);
        assertThat(ingress.count() + malformed.count()).isEqualTo(before + 1);
        buffer.drainTo(new ArrayList<>(), 16);

        EventFactory.Envelope v1;
        try {
            v1 = EventFactory.Envelope.parseFrom(datagram);
        } catch (InvalidProtocolBufferException notAnEnvelope) {
            return;
        }
        Optional<Envelope> v2 = Conversions.toV2(v1);
        if (v2.isPresent()) {
            List<EventFactory.Envelope> back = Conversions.toV1(v2.get());
            back.forEach(EventFactory.Envelope::toByteArray);
        }
    }
}
