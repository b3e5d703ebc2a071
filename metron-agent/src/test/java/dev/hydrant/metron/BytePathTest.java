package dev.hydrant.metron;

import static dev.hydrant.testsupport.Patience.WAIT;
import static dev.hydrant.testsupport.envelopes.Envelopes.counter;
import static dev.hydrant.testsupport.envelopes.Envelopes.event;
import static dev.hydrant.testsupport.envelopes.Envelopes.gauge;
import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static dev.hydrant.testsupport.envelopes.Envelopes.timer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.hydrant.metron.support.Emitter;
import dev.hydrant.metron.support.RawDoppler;
import dev.hydrant.metron.support.RunningMetron;
import dev.hydrant.metron.support.TestPki;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent forwards envelopes as the bytes the emitter sent: a Doppler reading raw bytes gets each envelope's
 * sent encoding followed by nothing but the host tags it missed (so it parses to the sent envelope with those
 * tags), byte for byte the sent encoding when the agent has no host tags; only the envelopes whose own fields
 * change (a counter's total, a source id taken from {@code tags["origin"]}) are encoded again.
 */
class BytePathTest {

    private static final Map<String, String> HOST_TAGS = Map.of("deployment", "cf", "job", "diego-cell",
            "index", "3", "ip", "10.0.0.7");

    @TempDir
    Path dir;

    @Test
    void everyKindOfEnvelopeArrivesAsTheSentBytesFollowedOnlyByTheHostTagsItMissed() throws Exception {
        List<Envelope> sent = List.of(
                log("bytes-log", "hello"),
                log("bytes-own-job", "mine").toBuilder().putTags("job", "my-job").build(),
                gauge("bytes-gauge", "memory", "cpu"),
                timer("bytes-timer", "http"),
                event("bytes-event", "deployed"),
                log("bytes-tagged", "all mine").toBuilder().putAllTags(Map.of("deployment", "d", "job", "j",
                        "index", "i", "ip", "p")).build());
        Map<String, String> settings = new HashMap<>(Map.of("hydrant.metron.deployment", "cf",
                "hydrant.metron.job", "diego-cell", "hydrant.metron.index", "3", "hydrant.metron.ip", "10.0.0.7"));

        Map<String, byte[]> received = sendThroughMetron(sent, settings);

        for (Envelope envelope : sent) {
            byte[] sentBytes = envelope.toByteArray();
            byte[] arrived = received.get(envelope.getSourceId());
            assertThat(Arrays.copyOf(arrived, Math.min(arrived.length, sentBytes.length)))
                    .as("%s starts with the sent bytes", envelope.getSourceId()).isEqualTo(sentBytes);
            assertThat(Envelope.parseFrom(arrived)).isEqualTo(withHostTags(envelope));
        }
        assertThat(received.get("bytes-tagged")).isEqualTo(sent.get(5).toByteArray());
    }

    @Test
    void withoutHostTagsEnvelopesArriveByteIdentical() throws Exception {
        List<Envelope> sent = List.of(
                log("plain-log", "hello"),
                log("plain-log-2", "world").toBuilder().putTags("source_type", "APP/PROC/WEB").build(),
                gauge("plain-gauge", "memory"),
                timer("plain-timer", "http"),
                event("plain-event", "deployed"));

        Map<String, byte[]> received = sendThroughMetron(sent, new HashMap<>());

        for (Envelope envelope : sent) {
            assertThat(received.get(envelope.getSourceId())).as(envelope.getSourceId())
                    .isEqualTo(envelope.toByteArray());
        }
    }

    @Test
    void countersAndEnvelopesWithoutSourceIdParseToWhatTaggingTheParsedEnvelopeGives() throws Exception {
        Envelope noSourceId = log("", "who am I").toBuilder().putTags("origin", "bytes-origin").build();
        Envelope counter = counter("bytes-counter", "requests", 3, 0);
        Map<String, String> settings = new HashMap<>(Map.of("hydrant.metron.deployment", "cf",
                "hydrant.metron.job", "diego-cell", "hydrant.metron.index", "3", "hydrant.metron.ip", "10.0.0.7"));

        Map<String, byte[]> received = sendThroughMetron(List.of(noSourceId, counter), settings);

        assertThat(Envelope.parseFrom(received.get("bytes-origin")))
                .isEqualTo(withHostTags(noSourceId.toBuilder().setSourceId("bytes-origin").build()));
        Envelope withTotal = counter.toBuilder().setCounter(counter.getCounter().toBuilder().setTotal(3)).build();
        assertThat(Envelope.parseFrom(received.get("bytes-counter"))).isEqualTo(withHostTags(withTotal));
    }

    /** What the agent's tagging of the parsed envelope gives: the host tags it has no tag of. */
    private static Envelope withHostTags(Envelope envelope) {
        Envelope.Builder tagged = envelope.toBuilder();
        HOST_TAGS.forEach((key, value) -> {
            if (!envelope.containsTags(key)) {
                tagged.putTags(key, value);
            }
        });
        return tagged.build();
    }

    /** Sends {@code sent} as one batch to a metron forwarding to a raw Doppler; what arrived, by source id. */
    private Map<String, byte[]> sendThroughMetron(List<Envelope> sent, Map<String, String> settings)
            throws InvalidProtocolBufferException {
        TestPki pki = new TestPki(dir);
        try (RawDoppler doppler = RawDoppler.start(pki.doppler)) {
            settings.put("hydrant.metron.dopplers", doppler.address());
            try (RunningMetron metron = RunningMetron.start(pki, settings); Emitter emitter = metron.emitter()) {
                byte[] batch = EnvelopeBatch.newBuilder().addAllBatch(sent).build().toByteArray();
                assertThat(emitter.sendRaw(batch).getCode()).isEqualTo(Status.Code.OK);
                await().atMost(WAIT).until(() -> bySourceId(doppler).size() >= sent.size());
            }
            return bySourceId(doppler);
        }
    }

    /** The envelopes received, by source id, but for the agent's own. */
    private static Map<String, byte[]> bySourceId(RawDoppler doppler) throws InvalidProtocolBufferException {
        Map<String, byte[]> bySourceId = new HashMap<>();
        for (byte[] arrived : doppler.received()) {
            String sourceId = Envelope.parseFrom(arrived).getSourceId();
            if (!sourceId.equals("metron")) {
                assertThat(bySourceId.put(sourceId, arrived)).as("one envelope from %s", sourceId).isNull();
            }
        }
        return bySourceId;
    }
}
