package dev.hydrant.doppler.cache;

import dev.hydrant.api.recent.ReadRequest;
import dev.hydrant.api.recent.ReadResponse;
import dev.hydrant.api.recent.RecentEnvelopesGrpc;
import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.api.wire.EnvelopeFrames;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * {@code RecentEnvelopes.Read} with each piece of the answer, a {@code ReadResponse} holding one
 * {@code EnvelopeBatch}, framed from the cached envelopes' bytes: the field's tag and length, then the
 * batch as {@link EnvelopeFrames#BATCH} writes it. The same bytes protobuf would write for that message.
 */
final class ReadPieces {

    /** {@code ReadResponse.envelopes}: field 1, length delimited. */
    private static final int ENVELOPES_TAG = 1 << 3 | 2;

    /** {@code ReadResponse} as the list of envelopes of its batch. */
    static final MethodDescriptor.Marshaller<List<EncodedEnvelope>> RESPONSE = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(List<EncodedEnvelope> piece) {
            return new Piece(piece);
        }

        @Override
        public List<EncodedEnvelope> parse(InputStream stream) {
            try {
                List<EncodedEnvelope> piece = new ArrayList<>();
                for (Envelope envelope : ReadResponse.parseFrom(stream).getEnvelopes().getBatchList()) {
                    piece.add(EncodedEnvelope.of(envelope));
                }
                return piece;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    /** {@code RecentEnvelopes/Read} with {@link #RESPONSE}. */
    static final MethodDescriptor<ReadRequest, List<EncodedEnvelope>> READ = RecentEnvelopesGrpc.getReadMethod()
            .toBuilder(RecentEnvelopesGrpc.getReadMethod().getRequestMarshaller(), RESPONSE).build();

    private ReadPieces() {
    }

    /** One piece: header, then the batch drained from the envelopes' bytes when gRPC asks. */
    private static final class Piece extends InputStream implements Drainable, KnownLength {
        private final InputStream batch;
        private final byte[] header;
        private int remaining;
        private InputStream copy;

        Piece(List<EncodedEnvelope> envelopes) {
            long size = EnvelopeFrames.batchSize(envelopes);
            if (size > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("a piece of " + size + " bytes cannot be one message");
            }
            this.batch = EnvelopeFrames.BATCH.stream(envelopes);
            this.header = header((int) size);
            this.remaining = header.length + (int) size;
        }

        private static byte[] header(int length) {
            byte[] bytes = new byte[6];
            int h = 0;
            bytes[h++] = (byte) ENVELOPES_TAG;
            while ((length & ~0x7F) != 0) {
                bytes[h++] = (byte) ((length & 0x7F) | 0x80);
                length >>>= 7;
            }
            bytes[h++] = (byte) length;
            return Arrays.copyOf(bytes, h);
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            if (copy != null) {
                return (int) copy.transferTo(target);
            }
            int written = remaining;
            target.write(header);
            ((Drainable) batch).drainTo(target);
            remaining = 0;
            return written;
        }

        @Override
        public int available() throws IOException {
            return copy != null ? copy.available() : remaining;
        }

        @Override
        public int read() throws IOException {
            return copied().read();
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            return copied().read(into, offset, length);
        }

        private InputStream copied() throws IOException {
            if (copy == null) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(remaining, 1));
                drainTo(out);
                copy = new ByteArrayInputStream(out.toByteArray());
            }
            return copy;
        }
    }
}
