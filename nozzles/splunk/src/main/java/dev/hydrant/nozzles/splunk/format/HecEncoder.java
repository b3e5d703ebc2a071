package dev.hydrant.nozzles.splunk.format;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Envelope;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * Turns a batch of envelopes into HEC requests ({@code /services/collector/event} bodies: JSON event objects
 * one after another), each of at most {@code maxBytes} of JSON (an event larger than that goes alone), to be
 * gzip-compressed by the sender when asked ({@link Chunk#compressed()}). Envelopes that carry nothing Splunk
 * can take are skipped and counted, never thrown. Used by one thread at a time.
 */
public final class HecEncoder {

    /** What one batch became. */
    public record Encoded(List<Chunk> chunks, int skipped) {
    }

    private final EventWriter events;
    private final int maxBytes;
    private final boolean gzip;
    private final JsonFactory factory = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
    private final ByteArrayOutputStream json = new ByteArrayOutputStream(64 * 1024);

    public HecEncoder(Mapping mapping, int maxBytes, boolean gzip) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 1, was " + maxBytes);
        }
        this.events = new EventWriter(mapping);
        this.maxBytes = maxBytes;
        this.gzip = gzip;
    }

    public Encoded encode(List<Envelope> batch) {
        List<Chunk> chunks = new ArrayList<>();
        int skipped = 0;
        json.reset();
        int[] ends = new int[Math.min(batch.size(), 1024)];
        int count = 0;
        JsonGenerator generator = factory.createGenerator(json);
        for (Envelope envelope : batch) {
            int before = json.size();
            if (!events.write(envelope, generator)) {
                skipped++;
                continue;
            }
            generator.flush();
            if (json.size() > maxBytes && count > 0) {
                byte[] all = json.toByteArray();
                chunks.add(chunk(Arrays.copyOf(all, before), Arrays.copyOf(ends, count)));
                json.reset();
                json.write(all, before, all.length - before);
                count = 0;
            }
            if (count == ends.length) {
                ends = Arrays.copyOf(ends, ends.length * 2);
            }
            ends[count++] = json.size();
        }
        generator.close();
        if (count > 0) {
            chunks.add(chunk(json.toByteArray(), Arrays.copyOf(ends, count)));
        }
        return new Encoded(chunks, skipped);
    }

    /** A request of the events of {@code chunk} from the {@code first}th on (after HEC refused one of them). */
    public Chunk rest(Chunk chunk, int first) {
        int start = chunk.ends()[first - 1];
        int[] ends = new int[chunk.events() - first];
        for (int i = 0; i < ends.length; i++) {
            ends[i] = chunk.ends()[first + i] - start;
        }
        return chunk(Arrays.copyOfRange(chunk.json(), start, chunk.json().length), ends);
    }

    private Chunk chunk(byte[] jsonBytes, int[] ends) {
        return new Chunk(gzip ? null : jsonBytes, ends.length, jsonBytes, ends, gzip);
    }
}
