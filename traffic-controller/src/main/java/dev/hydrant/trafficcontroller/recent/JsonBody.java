package dev.hydrant.trafficcontroller.recent;

import dev.hydrant.api.json.EnvelopeJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * The body of {@code /api/v1/read}: {@code {"envelopes":{"batch":[...]}}}, the text the batch's
 * {@link EnvelopeJson} form gives, written once into an array of its exact size from each envelope's JSON.
 * A read may hold 32 MiB of envelopes: the whole text is never built as a string, copied into a larger one
 * and encoded again, only each envelope's text is.
 */
final class JsonBody {

    private static final byte[] START = "{\"envelopes\":{\"batch\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "]}}".getBytes(StandardCharsets.US_ASCII);

    private JsonBody() {
    }

    static byte[] of(List<Envelope> envelopes) {
        int n = envelopes.size();
        byte[][] texts = new byte[n][];
        long length = START.length + END.length + Math.max(0, n - 1);
        for (int i = 0; i < n; i++) {
            texts[i] = EnvelopeJson.toJson(envelopes.get(i)).getBytes(StandardCharsets.UTF_8);
            length += texts[i].length;
        }
        byte[] body = new byte[Math.toIntExact(length)];
        System.arraycopy(START, 0, body, 0, START.length);
        int at = START.length;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                body[at++] = ',';
            }
            System.arraycopy(texts[i], 0, body, at, texts[i].length);
            at += texts[i].length;
            texts[i] = null; // let it go as the body fills
        }
        System.arraycopy(END, 0, body, at, END.length);
        return body;
    }
}
