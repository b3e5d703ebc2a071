package dev.hydrant.doppler.cache;

import dev.hydrant.api.recent.ReadRequest;
import dev.hydrant.api.recent.ReadResponse;
import dev.hydrant.api.recent.RecentEnvelopesGrpc;
import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.api.wire.EnvelopeFrames;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * {@code RecentEnvelopes.Read} with each piece of the answer, a {@code ReadResponse} holding one
 * {@code EnvelopeBatch}, framed from the cached envelopes' bytes: the field's tag and length, then the
 * batch as {@link EnvelopeFrames#BATCH} writes it. The same bytes protobuf would write for that message.
 */
final class ReadPieces {

    /** {@code ReadResponse.envelopes}: field 1. */
    private static final int ENVELOPES_FIELD = 1;

    /** {@code ReadResponse} as the list of envelopes of its batch. */
    static final MethodDescriptor.Marshaller<List<EncodedEnvelope>> RESPONSE = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(List<EncodedEnvelope> piece) {
            return EnvelopeFrames.batchInField(ENVELOPES_FIELD, piece);
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
}
