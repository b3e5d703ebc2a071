package dev.hydrant.api.json;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.util.Objects;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;

/**
 * The proto3 JSON form of v2 envelopes that the RLP gateway and the Log Cache style read API speak
 * (docs/wire.md section 5).
 *
 * <p>Output: default values are emitted; the keys are {@code source_id}, {@code instance_id},
 * {@code deprecated_tags} and lowerCamel for all others; int64 and uint64 are JSON strings;
 * {@code log.payload} is standard base64; enums by name ({@code "OUT"}). The text is compact: it never
 * contains a line break, so it fits on one SSE {@code data:} line.
 *
 * <p>Input: proto3 JSON as above; unknown fields are ignored, and both the json names and the proto
 * field names are accepted. Malformed input raises {@link IllegalArgumentException}.
 *
 * <p>The printer and parser are immutable and built once; all methods are thread-safe.
 */
public final class EnvelopeJson {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
            .alwaysPrintFieldsWithNoPresence()
            .omittingInsignificantWhitespace();

    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private EnvelopeJson() {
    }

    /** The batch as one line of proto3 JSON: {@code {"batch":[...]}}. */
    public static String toJson(EnvelopeBatch batch) {
        Objects.requireNonNull(batch, "batch");
        return print(batch, 256 * Math.max(1, batch.getBatchCount()));
    }

    /** The envelope as one line of proto3 JSON. */
    public static String toJson(Envelope envelope) {
        Objects.requireNonNull(envelope, "envelope");
        return print(envelope, 256);
    }

    /** Parses a JSON {@code EnvelopeBatch}; throws {@link IllegalArgumentException} when it is not one. */
    public static EnvelopeBatch batchFromJson(String json) {
        EnvelopeBatch.Builder builder = EnvelopeBatch.newBuilder();
        parse(json, builder, "EnvelopeBatch");
        return builder.build();
    }

    /** Parses a JSON {@code Envelope}; throws {@link IllegalArgumentException} when it is not one. */
    public static Envelope envelopeFromJson(String json) {
        Envelope.Builder builder = Envelope.newBuilder();
        parse(json, builder, "Envelope");
        return builder.build();
    }

    private static String print(MessageOrBuilder message, int sizeHint) {
        StringBuilder out = new StringBuilder(sizeHint);
        try {
            PRINTER.appendTo(message, out);
        } catch (IOException e) {
            // Only Any without a type registry can fail; the v2 envelope has none.
            throw new IllegalStateException("cannot print " + message.getDescriptorForType().getName(), e);
        }
        return out.toString();
    }

    private static void parse(String json, Message.Builder builder, String type) {
        Objects.requireNonNull(json, "json");
        if (json.isBlank()) {
            throw new IllegalArgumentException("Not a JSON " + type + ": the text is empty");
        }
        try {
            PARSER.merge(json, builder);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("Not a JSON " + type + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Not a JSON " + type + ": " + e, e);
        }
    }
}
