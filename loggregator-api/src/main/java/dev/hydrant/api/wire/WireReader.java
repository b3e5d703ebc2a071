package dev.hydrant.api.wire;

/**
 * Reads protobuf wire format from a byte array between two offsets without allocating: tags, varints,
 * fixed values and the bounds of length-delimited fields. Every read checks its bounds and fails with
 * {@link MalformedEnvelopeException}; one instance reads one region on one thread.
 */
final class WireReader {

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int START_GROUP = 3;
    static final int END_GROUP = 4;
    static final int FIXED32 = 5;

    /** Protobuf's default recursion limit, which bounds nested groups too. */
    static final int MAX_GROUP_DEPTH = 100;

    private final byte[] bytes;
    private int position;
    private final int limit;

    WireReader(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.position = offset;
        this.limit = offset + length;
    }

    boolean hasMore() {
        return position < limit;
    }

    int position() {
        return position;
    }

    /**
     * The next field's tag (field number << 3 | wire type); refuses field number 0, an end-group tag (one that
     * closes no group) and wire types 6 and 7. As protobuf's parser, it reads a varint of up to 10 bytes and
     * keeps its low 32 bits.
     */
    int tag() {
        int at = position;
        int tag = anyTag();
        if ((tag & 7) == END_GROUP) {
            throw new MalformedEnvelopeException("end-group tag outside a group", at);
        }
        return tag;
    }

    private int anyTag() {
        int at = position;
        int tag = (int) varint();
        if ((tag >>> 3) == 0) {
            throw new MalformedEnvelopeException("invalid field tag", at);
        }
        if ((tag & 7) > FIXED32) {
            throw new MalformedEnvelopeException("unsupported wire type " + (tag & 7), at);
        }
        return tag;
    }

    long varint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= limit) {
                throw new MalformedEnvelopeException("truncated varint", position);
            }
            byte b = bytes[position++];
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new MalformedEnvelopeException("varint longer than 10 bytes", position);
    }

    /**
     * Reads a length prefix and returns the length; the field's bytes start at {@link #position()} and are
     * skipped with {@link #skip(int)}.
     */
    int length() {
        int at = position;
        long length = varint();
        if (length > limit - position) {
            throw new MalformedEnvelopeException("length-delimited field past the end", at);
        }
        return (int) length;
    }

    void skip(int count) {
        if (count > limit - position) {
            throw new MalformedEnvelopeException("field past the end", position);
        }
        position += count;
    }

    /** Skips the value of a field whose tag was just read; a group (an unknown field to proto3) up to its end. */
    void skipValue(int tag) {
        switch (tag & 7) {
            case VARINT -> varint();
            case FIXED64 -> skip(8);
            case FIXED32 -> skip(4);
            case START_GROUP -> skipGroup(tag >>> 3, 1);
            default -> skip(length());
        }
    }

    /** Skips a group's fields up to the end-group tag of its field, as protobuf skips an unknown group. */
    private void skipGroup(int field, int depth) {
        if (depth > MAX_GROUP_DEPTH) {
            throw new MalformedEnvelopeException("groups nested too deep", position);
        }
        while (true) {
            if (position >= limit) {
                throw new MalformedEnvelopeException("truncated group", position);
            }
            int at = position;
            int tag = anyTag();
            if ((tag & 7) == END_GROUP) {
                if ((tag >>> 3) != field) {
                    throw new MalformedEnvelopeException("end-group tag of another field", at);
                }
                return;
            }
            if ((tag & 7) == START_GROUP) {
                skipGroup(tag >>> 3, depth + 1);
            } else {
                skipValue(tag);
            }
        }
    }

    /** Checks that the next {@code length} bytes are UTF-8 (as protobuf requires of a proto3 string), then skips them. */
    void skipUtf8(int length) {
        int end = position + length;
        int i = position;
        while (i < end) {
            int b = bytes[i];
            if (b >= 0) {
                i++;
                continue;
            }
            int extra;
            int min;
            if ((b & 0xE0) == 0xC0) {
                extra = 1;
                min = 0x80;
            } else if ((b & 0xF0) == 0xE0) {
                extra = 2;
                min = 0x800;
            } else if ((b & 0xF8) == 0xF0) {
                extra = 3;
                min = 0x10000;
            } else {
                throw new MalformedEnvelopeException("string is not UTF-8", i);
            }
            if (end - i <= extra) {
                throw new MalformedEnvelopeException("string is not UTF-8", i);
            }
            int code = b & (0x3F >> extra);
            for (int k = 1; k <= extra; k++) {
                int next = bytes[i + k];
                if ((next & 0xC0) != 0x80) {
                    throw new MalformedEnvelopeException("string is not UTF-8", i);
                }
                code = (code << 6) | (next & 0x3F);
            }
            if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
                throw new MalformedEnvelopeException("string is not UTF-8", i);
            }
            i += extra + 1;
        }
        position = end;
    }
}
