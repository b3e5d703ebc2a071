package dev.hydrant.metron.tagging;

import static dev.hydrant.testsupport.envelopes.Envelopes.counter;
import static dev.hydrant.testsupport.envelopes.Envelopes.event;
import static dev.hydrant.testsupport.envelopes.Envelopes.gauge;
import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static dev.hydrant.testsupport.envelopes.Envelopes.timer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.metron.support.Encoded;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.Test;

/**
 * Tagging on bytes gives what tagging the parsed envelope gave: the host tags an envelope misses, an empty
 * source id taken from {@code tags["origin"]}, counter totals; an envelope with nothing to add keeps its bytes.
 */
class EnvelopeTaggerTest {

    private static final Map<String, String> HOST_TAGS = hostTags();

    private static Map<String, String> hostTags() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("deployment", "cf");
        tags.put("job", "diego-cell");
        tags.put("index", "3");
        tags.put("ip", "10.0.0.7");
        tags.put("blank", " ");
        return tags;
    }

    @Test
    void everyKindOfEnvelopeParsesToTheParsedEnvelopeTaggedAsBefore() {
        List<Envelope> sent = List.of(
                log("app", "plain"),
                log("app", "own job").toBuilder().putTags("job", "my-job").build(),
                log("app", "empty own ip").toBuilder().putTags("ip", "").build(),
                log("", "no source id").toBuilder().putTags("origin", "gorouter").build(),
                log("", "no origin either"),
                gauge("app", "memory", "cpu"),
                timer("app", "http"),
                event("app", "deployed"),
                counter("app", "requests", 3, 0),
                counter("app", "requests", 4, 0),
                counter("app", "requests", 0, 100),
                counter("", "requests", 2, 0).toBuilder().putTags("origin", "router").build());
        EnvelopeTagger tagger = new EnvelopeTagger(HOST_TAGS, new CounterTotals(100, resets -> { }));
        CounterTotals expectedTotals = new CounterTotals(100, resets -> { });

        List<EncodedEnvelope> batch = Encoded.of(sent);
        tagger.tag(batch);

        List<Envelope> expected = new ArrayList<>();
        for (Envelope envelope : sent) {
            expected.add(taggedAsBefore(envelope, expectedTotals));
        }
        assertThat(Encoded.parsed(batch)).containsExactlyElementsOf(expected);
    }

    @Test
    void anEnvelopeCarryingEveryHostTagKeepsItsBytesAndTheAppendedOnesAreWhatTheMapWouldAppend() {
        Envelope all = log("app", "all mine").toBuilder().putAllTags(Map.of("deployment", "d", "job", "j",
                "index", "i", "ip", "p")).build();
        Envelope some = log("app", "some").toBuilder().putTags("index", "9").putTags("source_type", "APP").build();
        EnvelopeTagger tagger = new EnvelopeTagger(HOST_TAGS, new CounterTotals(100, resets -> { }));
        EncodedEnvelope allEncoded = EncodedEnvelope.of(all);
        EncodedEnvelope someEncoded = EncodedEnvelope.of(some);

        assertThat(tagger.tag(allEncoded)).isSameAs(allEncoded);
        EncodedEnvelope tagged = tagger.tag(someEncoded);
        byte[] sentBytes = some.toByteArray();
        assertThat(java.util.Arrays.copyOf(tagged.toByteArray(), sentBytes.length)).isEqualTo(sentBytes);
        Map<String, String> notBlank = Map.of("deployment", "cf", "job", "diego-cell", "index", "3", "ip", "10.0.0.7");
        assertThat(tagged.envelope()).isEqualTo(someEncoded.withTagsIfAbsent(notBlank).envelope());
        assertThat(tagged.size()).isEqualTo(someEncoded.withTagsIfAbsent(notBlank).size());
        assertThat(tagged.sourceId()).isEqualTo("app");
        assertThat(tagged.tag("index")).isEqualTo("9");
    }

    @Test
    void withoutHostTagsAnEnvelopeWithASourceIdIsLeftAsItIs() {
        EnvelopeTagger tagger = new EnvelopeTagger(Map.of(), new CounterTotals(100, resets -> { }));
        EncodedEnvelope envelope = EncodedEnvelope.of(log("app", "plain"));

        assertThat(tagger.tag(envelope)).isSameAs(envelope);
    }

    /** The tagging of the parsed envelope, as the agent did it before it worked on bytes. */
    private static Envelope taggedAsBefore(Envelope envelope, CounterTotals totals) {
        Envelope.Builder builder = envelope.toBuilder();
        if (envelope.getSourceId().isEmpty()) {
            builder.setSourceId(envelope.getTagsOrDefault("origin", ""));
        }
        HOST_TAGS.forEach((key, value) -> {
            if (!value.isBlank() && !envelope.containsTags(key)) {
                builder.putTags(key, value);
            }
        });
        if (envelope.hasCounter()) {
            var c = envelope.getCounter();
            builder.getCounterBuilder().setTotal(totals.apply(builder.getSourceId(), c.getName(), c.getDelta(),
                    c.getTotal()));
        }
        return builder.build();
    }
}
