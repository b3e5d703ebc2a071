package dev.hydrant.testsupport.fake;

import dev.hydrant.api.convert.V1Conversion;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.cloudfoundry.dropsonde.events.EventFactory;
import org.cloudfoundry.loggregator.v2.Envelope;

/** What the fake answers with, apart from its routing: the {@code /v2/read} selection and the recent-logs body. */
final class Answers {

    private Answers() {
    }

    /** The selector semantics of /v2/read for the flags the fake understands: source_id and the type flags. */
    static boolean selects(Set<String> flags, Envelope envelope) {
        boolean anySource = flags.stream().noneMatch(f -> f.startsWith("source_id="));
        if (!anySource && !flags.contains("source_id=" + envelope.getSourceId())) {
            return false;
        }
        return switch (envelope.getMessageCase()) {
            case LOG -> flags.contains("log");
            case COUNTER -> flags.contains("counter");
            case GAUGE -> flags.contains("gauge");
            case TIMER -> flags.contains("timer");
            case EVENT -> flags.contains("event");
            case MESSAGE_NOT_SET -> false;
        };
    }

    /** The envelopes in v1 as a multipart/x-protobuf body: one dropsonde Envelope a part, no part headers. */
    static byte[] multipart(List<Envelope> envelopes, String boundary) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Envelope envelope : envelopes) {
            for (EventFactory.Envelope v1 : V1Conversion.toV1(envelope)) {
                body.writeBytes(("--" + boundary + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                body.writeBytes(v1.toByteArray());
                body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }
}
