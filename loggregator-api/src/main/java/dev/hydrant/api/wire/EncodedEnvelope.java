package dev.hydrant.api.wire;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * One {@code loggregator.v2.Envelope} as it travels the hot path: its encoded bytes, exactly as they arrived,
 * and the few fields routing reads (source id, type, timestamp; a counter's name and a gauge's metric names
 * on demand), read from the bytes without parsing the envelope. An envelope is encoded once in its life: a
 * hop that forwards it frames these bytes into its outgoing batch ({@link EnvelopeFrames}).
 *
 * <p>{@link #of(byte[])} validates the whole envelope as protobuf's parser would (every length, varint and
 * UTF-8 string, at every depth), so what is accepted here parses anywhere downstream. Where the bytes are
 * unusual (the {@code message} oneof given more than once, which protobuf merges), the fields are taken
 * from a full parse instead, so that routing always sees what a parser sees. Immutable; the bytes are
 * never handed out for writing.
 */
public final class EncodedEnvelope {

    private static final int TIMESTAMP = 1 << 3 | WireReader.VARINT;
    private static final int SOURCE_ID = EnvelopeShape.tag(2);
    private static final int TAGS = EnvelopeShape.tag(9);
    private static final int DEPRECATED_TAGS = EnvelopeShape.tag(3);
    private static final int NAME = EnvelopeShape.tag(1);
    private static final int INSTANCE_ID = EnvelopeShape.tag(8);

    private final byte[] bytes;
    private final String sourceId;
    private final Envelope.MessageCase type;
    private final long timestamp;
    private final int messageStart;
    private final int messageLength;
    private final Envelope parsed;

    private EncodedEnvelope(byte[] bytes, String sourceId, Envelope.MessageCase type, long timestamp,
                            int messageStart, int messageLength, Envelope parsed) {
        this.bytes = bytes;
        this.sourceId = sourceId;
        this.type = type;
        this.timestamp = timestamp;
        this.messageStart = messageStart;
        this.messageLength = messageLength;
        this.parsed = parsed;
    }

    /**
     * The envelope encoded in {@code bytes}, which it keeps (the caller must not change them afterwards).
     *
     * @throws MalformedEnvelopeException when the bytes are not a valid envelope
     */
    public static EncodedEnvelope of(byte[] bytes) {
        return of(bytes, null);
    }

    /**
     * As {@link #of(byte[])}; {@code previous}, an envelope read just before (or null), lends its source id
     * string when the bytes spell the same one, so a batch from one source decodes its id once.
     */
    public static EncodedEnvelope of(byte[] bytes, EncodedEnvelope previous) {
        Objects.requireNonNull(bytes, "bytes");
        WireReader reader = new WireReader(bytes, 0, bytes.length);
        try {
            EnvelopeShape.ENVELOPE.validate(reader, bytes.length);
        } catch (MalformedEnvelopeException e) {
            return lenientlyParsed(bytes, e);
        }
        reader = new WireReader(bytes, 0, bytes.length);
        int sourceStart = -1;
        int sourceLength = 0;
        long timestamp = 0;
        int messageField = 0;
        int messageStart = 0;
        int messageLength = 0;
        int messages = 0;
        while (reader.hasMore()) {
            int tag = reader.tag();
            int field = tag >>> 3;
            if (tag == TIMESTAMP) {
                timestamp = reader.varint();
            } else if (tag == SOURCE_ID) {
                sourceLength = reader.length();
                sourceStart = reader.position();
                reader.skip(sourceLength);
            } else if (isMessageField(tag, field)) {
                messageLength = reader.length();
                messageStart = reader.position();
                messageField = field;
                messages++;
                reader.skip(messageLength);
            } else {
                reader.skipValue(tag);
            }
        }
        if (messages > 1) {
            return parsedFallback(bytes);
        }
        String sourceId = sourceStart < 0 ? "" : sourceId(bytes, sourceStart, sourceLength, previous);
        return new EncodedEnvelope(bytes, sourceId, messageCase(messageField), timestamp, messageStart,
                messageLength, null);
    }

    /** The envelope's encoding, made once. */
    public static EncodedEnvelope of(Envelope envelope) {
        return of(envelope.toByteArray());
    }

    private static boolean isMessageField(int tag, int field) {
        return (field >= 4 && field <= 7 || field == 10) && tag == EnvelopeShape.tag(field);
    }

    private static Envelope.MessageCase messageCase(int field) {
        return field == 0 ? Envelope.MessageCase.MESSAGE_NOT_SET : Envelope.MessageCase.forNumber(field);
    }

    private static String sourceId(byte[] bytes, int start, int length, EncodedEnvelope previous) {
        if (previous != null) {
            String known = previous.sourceId;
            // ASCII ids (the usual case) have one byte per char: compare without decoding
            if (known.length() == length && sameAscii(known, bytes, start, length)) {
                return known;
            }
        }
        return new String(bytes, start, length, StandardCharsets.UTF_8);
    }

    private static boolean sameAscii(String known, byte[] bytes, int start, int length) {
        for (int i = 0; i < length; i++) {
            if (known.charAt(i) != bytes[start + i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Bytes the strict reading refused: protobuf's own parser is lenient in places (a varint whose tenth byte
     * says more follows, in some positions), and whatever it accepts is accepted here too, re-encoded once into
     * the canonical bytes every reader takes.
     */
    private static EncodedEnvelope lenientlyParsed(byte[] bytes, MalformedEnvelopeException refusal) {
        Envelope envelope;
        try {
            envelope = Envelope.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw refusal;
        }
        return of(envelope);
    }

    private static EncodedEnvelope parsedFallback(byte[] bytes) {
        try {
            Envelope envelope = Envelope.parseFrom(bytes);
            return new EncodedEnvelope(bytes, envelope.getSourceId(), envelope.getMessageCase(),
                    envelope.getTimestamp(), 0, 0, envelope);
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedEnvelopeException("envelope does not parse: " + e.getMessage(), 0);
        }
    }

    public String sourceId() {
        return sourceId;
    }

    /** Which of log, counter, gauge, timer and event the envelope carries. */
    public Envelope.MessageCase type() {
        return type;
    }

    /** The envelope's timestamp, nanoseconds since the epoch (0 when unset). */
    public long timestamp() {
        return timestamp;
    }

    /** The counter's name; empty when the envelope is not a counter or the name is unset. */
    public String counterName() {
        if (type != Envelope.MessageCase.COUNTER) {
            return "";
        }
        if (parsed != null) {
            return parsed.getCounter().getName();
        }
        return lastString(messageStart, messageStart + messageLength, NAME);
    }

    /** The names of a gauge's metrics, in the order of the bytes (empty when not a gauge). */
    public List<String> gaugeNames() {
        if (type != Envelope.MessageCase.GAUGE) {
            return List.of();
        }
        if (parsed != null) {
            return List.copyOf(parsed.getGauge().getMetricsMap().keySet());
        }
        List<String> names = new ArrayList<>();
        WireReader gauge = new WireReader(bytes, messageStart, messageLength);
        while (gauge.hasMore()) {
            int tag = gauge.tag();
            if (tag != NAME) {
                gauge.skipValue(tag);
                continue;
            }
            int entryLength = gauge.length();
            String key = entryKey(gauge.position(), entryLength);
            gauge.skip(entryLength);
            if (!names.contains(key)) {
                names.add(key);
            }
        }
        return names;
    }

    /** Whether the gauge has a metric named {@code name}. */
    public boolean hasGaugeMetric(String name) {
        return gaugeNames().contains(name);
    }

    /** The value of tag {@code key} (the last one given, as protobuf's map keeps it), or null when absent. */
    public String tag(String key) {
        if (parsed != null) {
            return parsed.getTagsMap().get(key);
        }
        byte[] wanted = key.getBytes(StandardCharsets.UTF_8);
        String value = null;
        WireReader reader = new WireReader(bytes, 0, bytes.length);
        while (reader.hasMore()) {
            int tag = reader.tag();
            if (tag != TAGS) {
                reader.skipValue(tag);
                continue;
            }
            int entryLength = reader.length();
            int entryStart = reader.position();
            reader.skip(entryLength);
            String found = entryValueIfKey(entryStart, entryLength, wanted);
            if (found != null) {
                value = found;
            }
        }
        return value;
    }

    /**
     * This envelope with {@code tags} added where it has no tag of that key yet (an envelope's own tag wins), by
     * appending map entries to the bytes, which protobuf reads as entries of the same map; this envelope
     * itself when it has every key already. Blank keys or values are not added.
     */
    public EncodedEnvelope withTagsIfAbsent(Map<String, String> tags) {
        return withTagsIfAbsent(new TagEntries(tags));
    }

    /** The key of a map entry (field 1, a string); empty when unset. */
    private String entryKey(int start, int length) {
        return lastString(start, start + length, NAME);
    }

    /** The string value (field 2) of a map entry whose key is {@code wanted}, or null when the key differs. */
    private String entryValueIfKey(int start, int length, byte[] wanted) {
        int keyStart = 0;
        int keyLength = 0;
        String value = "";
        WireReader entry = new WireReader(bytes, start, length);
        while (entry.hasMore()) {
            int tag = entry.tag();
            if (tag == NAME) {
                keyLength = entry.length();
                keyStart = entry.position();
                entry.skip(keyLength);
            } else if (tag == EnvelopeShape.tag(2)) {
                int valueLength = entry.length();
                value = new String(bytes, entry.position(), valueLength, StandardCharsets.UTF_8);
                entry.skip(valueLength);
            } else {
                entry.skipValue(tag);
            }
        }
        return Arrays.equals(bytes, keyStart, keyStart + keyLength, wanted, 0, wanted.length) ? value : null;
    }

    /** Bytes of the encoding. */
    public int size() {
        return bytes.length;
    }

    /** Bytes this envelope adds to a batch message ({@code EnvelopeBatch.batch}, field 1): tag, length and encoding. */
    public int framedSize() {
        return 1 + CodedOutputStream.computeUInt32SizeNoTag(bytes.length) + bytes.length;
    }

    /** Writes the encoding to {@code out}. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(bytes);
    }

    /** A copy of the encoding. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** The envelope, parsed from the bytes: for the paths that need every field (conversions, JSON). */
    public Envelope envelope() {
        if (parsed != null) {
            return parsed;
        }
        try {
            return Envelope.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("validated bytes do not parse", e);
        }
    }

    /** Whether the encodings are the same bytes. */
    public boolean sameBytes(EncodedEnvelope other) {
        return Arrays.equals(bytes, other.bytes);
    }

    byte[] bytes() {
        return bytes;
    }

    /** Whether the envelope has {@code deprecated_tags} (which {@code use_preferred_tags} turns into tags). */
    public boolean hasDeprecatedTags() {
        if (parsed != null) {
            return parsed.getDeprecatedTagsCount() > 0;
        }
        WireReader reader = new WireReader(bytes, 0, bytes.length);
        while (reader.hasMore()) {
            int tag = reader.tag();
            if (tag == DEPRECATED_TAGS) {
                return true;
            }
            reader.skipValue(tag);
        }
        return false;
    }

    /** The envelope's instance id (the last given, as protobuf keeps it); empty when unset. */
    public String instanceId() {
        if (parsed != null) {
            return parsed.getInstanceId();
        }
        return lastString(0, bytes.length, INSTANCE_ID);
    }

    /** The bytes of a log's payload (the last given, as protobuf keeps it); 0 when the envelope is not a log. */
    public int logPayloadSize() {
        if (type != Envelope.MessageCase.LOG) {
            return 0;
        }
        if (parsed != null) {
            return parsed.getLog().getPayload().size();
        }
        int size = 0;
        WireReader reader = new WireReader(bytes, messageStart, messageLength);
        while (reader.hasMore()) {
            int tag = reader.tag();
            if (tag == NAME) {
                size = reader.length();
                reader.skip(size);
            } else {
                reader.skipValue(tag);
            }
        }
        return size;
    }

    /** The last string field of tag {@code wanted} between {@code start} and {@code end}; empty when none. */
    private String lastString(int start, int end, int wanted) {
        String value = "";
        WireReader reader = new WireReader(bytes, start, end - start);
        while (reader.hasMore()) {
            int tag = reader.tag();
            if (tag == wanted) {
                int length = reader.length();
                value = new String(bytes, reader.position(), length, StandardCharsets.UTF_8);
                reader.skip(length);
            } else {
                reader.skipValue(tag);
            }
        }
        return value;
    }

    /**
     * As {@link #withTagsIfAbsent(Map)} for tags encoded once ahead: one pass over this envelope's tags finds the
     * keys it has, and the prepared entries of the others are appended in one copy (the hot path of an agent that
     * adds its host's tags to every envelope).
     */
    public EncodedEnvelope withTagsIfAbsent(TagEntries tags) {
        int count = tags.keys.length;
        long all = count == 64 ? -1L : (1L << count) - 1;
        long present = 0;
        if (parsed != null) {
            for (int i = 0; i < count; i++) {
                present |= parsed.containsTags(tags.names[i]) ? 1L << i : 0;
            }
        } else {
            WireReader reader = new WireReader(bytes, 0, bytes.length);
            while (reader.hasMore() && present != all) {
                int tag = reader.tag();
                if (tag != TAGS) {
                    reader.skipValue(tag);
                    continue;
                }
                int entryLength = reader.length();
                int entryStart = reader.position();
                reader.skip(entryLength);
                present |= entryKeyAmong(entryStart, entryLength, tags.keys);
            }
        }
        if ((present & all) == all) {
            return this;
        }
        int added = 0;
        for (int i = 0; i < count; i++) {
            added += (present & 1L << i) == 0 ? tags.entries[i].length : 0;
        }
        byte[] tagged = Arrays.copyOf(bytes, bytes.length + added);
        int at = bytes.length;
        for (int i = 0; i < count; i++) {
            if ((present & 1L << i) == 0) {
                System.arraycopy(tags.entries[i], 0, tagged, at, tags.entries[i].length);
                at += tags.entries[i].length;
            }
        }
        return parsed != null ? of(tagged) : new EncodedEnvelope(tagged, sourceId, type, timestamp, messageStart,
                messageLength, null);
    }

    /** The bit of the key among {@code keys} that the map entry has (0 when none). */
    private long entryKeyAmong(int start, int length, byte[][] keys) {
        int keyStart = 0;
        int keyLength = 0;
        WireReader entry = new WireReader(bytes, start, length);
        while (entry.hasMore()) {
            int tag = entry.tag();
            if (tag == NAME) {
                keyLength = entry.length();
                keyStart = entry.position();
                entry.skip(keyLength);
            } else {
                entry.skipValue(tag);
            }
        }
        for (int i = 0; i < keys.length; i++) {
            if (Arrays.equals(bytes, keyStart, keyStart + keyLength, keys[i], 0, keys[i].length)) {
                return 1L << i;
            }
        }
        return 0;
    }

    /**
     * Up to 64 tags, each encoded once as an entry of an envelope's {@code tags} map, for
     * {@link #withTagsIfAbsent(TagEntries)}; blank keys or values are left out, as there.
     */
    public static final class TagEntries {
        private final String[] names;
        private final byte[][] keys;
        private final byte[][] entries;

        public TagEntries(Map<String, String> tags) {
            List<String> names = new ArrayList<>();
            List<byte[]> entries = new ArrayList<>();
            tags.forEach((key, value) -> {
                if (key != null && !key.isEmpty() && value != null && !value.isEmpty()) {
                    names.add(key);
                    entries.add(entry(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8)));
                }
            });
            if (names.size() > 64) {
                throw new IllegalArgumentException("at most 64 tags, were " + names.size());
            }
            this.names = names.toArray(String[]::new);
            this.keys = names.stream().map(name -> name.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
            this.entries = entries.toArray(byte[][]::new);
        }

        private static byte[] entry(byte[] key, byte[] value) {
            int entryLength = 1 + CodedOutputStream.computeUInt32SizeNoTag(key.length) + key.length
                    + 1 + CodedOutputStream.computeUInt32SizeNoTag(value.length) + value.length;
            byte[] entry = new byte[CodedOutputStream.computeUInt32SizeNoTag(TAGS)
                    + CodedOutputStream.computeUInt32SizeNoTag(entryLength) + entryLength];
            CodedOutputStream out = CodedOutputStream.newInstance(entry);
            try {
                out.writeUInt32NoTag(TAGS);
                out.writeUInt32NoTag(entryLength);
                out.writeByteArray(1, key);
                out.writeByteArray(2, value);
                out.checkNoSpaceLeft();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return entry;
        }

        /** Whether there is no tag to add. */
        public boolean isEmpty() {
            return names.length == 0;
        }
    }

    @Override
    public String toString() {
        return "EncodedEnvelope[" + type + " from " + sourceId + ", " + bytes.length + " bytes]";
    }
}
