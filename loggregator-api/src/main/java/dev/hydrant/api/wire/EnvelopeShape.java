package dev.hydrant.api.wire;

/**
 * The shape of {@code loggregator.v2.Envelope} and of the messages inside it, as far as validation needs it
 * (docs/wire.md section 2): which fields are strings that must be UTF-8 and which are messages to check in
 * turn. A field this does not name, or a known number with another wire type, is an unknown field: skipped,
 * and kept in the bytes, as protobuf's own parser keeps it.
 */
enum EnvelopeShape {
    ENVELOPE, TAG_ENTRY, DEPRECATED_TAG_ENTRY, VALUE, LOG, COUNTER, GAUGE, GAUGE_ENTRY, GAUGE_VALUE, TIMER, EVENT;

    private static final int STRING_1 = tag(1);
    private static final int STRING_2 = tag(2);

    /** The tag of field {@code number} with wire type "length delimited". */
    static int tag(int number) {
        return number << 3 | WireReader.LENGTH_DELIMITED;
    }

    /** Whether the field with {@code tag} is a string (UTF-8 checked). */
    boolean isString(int tag) {
        return switch (this) {
            case ENVELOPE -> tag == tag(2) || tag == tag(8);
            case TAG_ENTRY, EVENT -> tag == STRING_1 || tag == STRING_2;
            case DEPRECATED_TAG_ENTRY, VALUE, COUNTER, GAUGE_ENTRY, GAUGE_VALUE, TIMER -> tag == STRING_1;
            case LOG, GAUGE -> false;
        };
    }

    /** The shape of the message in the field with {@code tag}, or null when it is not a message. */
    EnvelopeShape message(int tag) {
        return switch (this) {
            case ENVELOPE -> switch (tag >>> 3) {
                case 3 -> tag == tag(3) ? DEPRECATED_TAG_ENTRY : null;
                case 4 -> tag == tag(4) ? LOG : null;
                case 5 -> tag == tag(5) ? COUNTER : null;
                case 6 -> tag == tag(6) ? GAUGE : null;
                case 7 -> tag == tag(7) ? TIMER : null;
                case 9 -> tag == tag(9) ? TAG_ENTRY : null;
                case 10 -> tag == tag(10) ? EVENT : null;
                default -> null;
            };
            case DEPRECATED_TAG_ENTRY -> tag == STRING_2 ? VALUE : null;
            case GAUGE -> tag == STRING_1 ? GAUGE_ENTRY : null;
            case GAUGE_ENTRY -> tag == STRING_2 ? GAUGE_VALUE : null;
            default -> null;
        };
    }

    /** Checks a message of this shape between the reader's position and {@code end}; fails on the first fault. */
    void validate(WireReader reader, int end) {
        while (reader.position() < end) {
            int tag = reader.tag();
            if ((tag & 7) != WireReader.LENGTH_DELIMITED) {
                reader.skipValue(tag);
            } else {
                int length = reader.length();
                if (reader.position() + length > end) {
                    throw new MalformedEnvelopeException("length-delimited field past the end of its message",
                            reader.position());
                }
                EnvelopeShape inner = message(tag);
                if (inner != null) {
                    inner.validate(reader, reader.position() + length);
                } else if (isString(tag)) {
                    reader.skipUtf8(length);
                } else {
                    reader.skip(length);
                }
            }
            if (reader.position() > end) {
                throw new MalformedEnvelopeException("field past the end of its message", end);
            }
        }
    }
}
