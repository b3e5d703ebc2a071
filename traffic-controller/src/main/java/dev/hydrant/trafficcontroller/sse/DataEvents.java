package dev.hydrant.trafficcontroller.sse;

import dev.hydrant.api.json.EnvelopeJson;
import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.trafficcontroller.fanin.OncePerEnvelope;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code data:} events of {@code /v2/read}: one batch as proto3 JSON, {@code {"batch":[...]}}, the same
 * text {@link EnvelopeJson#toJson(org.cloudfoundry.loggregator.v2.EnvelopeBatch)} prints for it. Each
 * envelope's JSON is made once and shared by every reader sent the same envelope ({@link OncePerEnvelope});
 * an event is those texts joined, written once into its bytes.
 */
public final class DataEvents {

    private static final byte[] START = "data: {\"batch\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "]}\n\n".getBytes(StandardCharsets.US_ASCII);

    private final OncePerEnvelope<byte[]> json = new OncePerEnvelope<>(
            envelope -> EnvelopeJson.toJson(envelope.envelope()).getBytes(StandardCharsets.UTF_8));

    /** The event of one batch, in UTF-8. */
    public byte[] event(List<EncodedEnvelope> batch) {
        int n = batch.size();
        byte[][] texts = new byte[n][];
        int length = START.length + END.length + Math.max(0, n - 1);
        for (int i = 0; i < n; i++) {
            texts[i] = json.apply(batch.get(i));
            length += texts[i].length;
        }
        byte[] event = new byte[length];
        System.arraycopy(START, 0, event, 0, START.length);
        int at = START.length;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                event[at++] = ',';
            }
            System.arraycopy(texts[i], 0, event, at, texts[i].length);
            at += texts[i].length;
        }
        System.arraycopy(END, 0, event, at, END.length);
        return event;
    }

    /** Envelopes turned into JSON so far: one per envelope sent when readers share them. */
    public long conversions() {
        return json.conversions();
    }
}
