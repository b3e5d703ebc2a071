package dev.hydrant.doppler.cache;

import dev.hydrant.api.recent.EnvelopeType;
import dev.hydrant.api.recent.MetaInfo;
import dev.hydrant.api.recent.MetaRequest;
import dev.hydrant.api.recent.MetaResponse;
import dev.hydrant.api.recent.ReadRequest;
import dev.hydrant.api.recent.ReadResponse;
import dev.hydrant.api.recent.RecentEnvelopesGrpc;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * {@code hydrant.v1.RecentEnvelopes}: reads of the {@link RecentEnvelopeCache}, answered in pieces
 * by {@link PieceSender}. A limit of 0 means {@value ReadQuery#DEFAULT_LIMIT}; a larger limit than
 * {@value ReadQuery#MAX_LIMIT} is capped.
 */
public final class RecentEnvelopesService extends RecentEnvelopesGrpc.RecentEnvelopesImplBase {

    private final RecentEnvelopeCache cache;

    public RecentEnvelopesService(RecentEnvelopeCache cache) {
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    @Override
    public void read(ReadRequest request, StreamObserver<ReadResponse> response) {
        if (request.getSourceId().isEmpty()) {
            response.onError(Status.INVALID_ARGUMENT.withDescription("source_id is required").asRuntimeException());
            return;
        }
        if (request.getLimit() < 0) {
            response.onError(Status.INVALID_ARGUMENT.withDescription("limit must not be negative").asRuntimeException());
            return;
        }
        int limit = request.getLimit() == 0 ? ReadQuery.DEFAULT_LIMIT : Math.min(request.getLimit(), ReadQuery.MAX_LIMIT);
        ReadQuery query = new ReadQuery(request.getSourceId(), request.getStartTime(), request.getEndTime(),
                types(request), limit, request.getDescending());
        PieceSender.send(cache.read(query), (ServerCallStreamObserver<ReadResponse>) response);
    }

    private static Set<Envelope.MessageCase> types(ReadRequest request) {
        Set<Envelope.MessageCase> types = EnumSet.noneOf(Envelope.MessageCase.class);
        for (EnvelopeType type : request.getEnvelopeTypesList()) {
            switch (type) {
                case LOG -> types.add(Envelope.MessageCase.LOG);
                case COUNTER -> types.add(Envelope.MessageCase.COUNTER);
                case GAUGE -> types.add(Envelope.MessageCase.GAUGE);
                case TIMER -> types.add(Envelope.MessageCase.TIMER);
                case EVENT -> types.add(Envelope.MessageCase.EVENT);
                default -> {
                    return Set.of(); // ANY (or a type this build does not know) means every type
                }
            }
        }
        return types;
    }

    @Override
    public void meta(MetaRequest request, StreamObserver<MetaResponse> response) {
        MetaResponse.Builder meta = MetaResponse.newBuilder();
        cache.meta().forEach((sourceId, stats) -> meta.putMeta(sourceId, MetaInfo.newBuilder()
                .setCount(stats.count())
                .setExpired(stats.expired())
                .setOldestTimestamp(stats.oldestTimestamp())
                .setNewestTimestamp(stats.newestTimestamp())
                .build()));
        response.onNext(meta.build());
        response.onCompleted();
    }
}
