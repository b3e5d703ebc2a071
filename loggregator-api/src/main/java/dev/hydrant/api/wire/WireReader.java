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
    static final int FIXED32 = 5;

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
     * The next field's tag (field number << 3 | wire type); refuses field number 0 and group wire types. As
     * protobuf's parser, it reads a varint of up to 10 bytes and keeps its low 32 bits.
     */
    int tag() {
        int at = position;
        int tag = (int) varint();
        if ((tag >>> 3) == 0) {
            throw new MalformedEnvelopeException("invalid field tag", at);
        }
        int wireType = tag & 7;
        if (wireType != VARINT && wireType != FIXED64 && wireType != LENGTH_DELIMITED && wireType != FIXED32) {
            throw new MalformedEnvelopeException("unsupported wire type " + wireType, at);
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

    /** Skips the value of a field whose tag was just read. */
    void skipValue(int tag) {
        switch (tag & 7) {
            case VARINT -> varint();
            case FIXED64 -> skip(8);
            case FIXED32 -> skip(4);
            default -> skip(length());
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
