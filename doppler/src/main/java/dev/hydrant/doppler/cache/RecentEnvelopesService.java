package dev.hydrant.doppler.cache;

import dev.hydrant.api.recent.EnvelopeType;
import dev.hydrant.api.recent.MetaInfo;
import dev.hydrant.api.recent.MetaRequest;
import dev.hydrant.api.recent.MetaResponse;
import dev.hydrant.api.recent.ReadRequest;
import dev.hydrant.api.recent.RecentEnvelopesGrpc;
import dev.hydrant.api.wire.EncodedEnvelope;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * {@code hydrant.v1.RecentEnvelopes}: reads of the {@link RecentEnvelopeCache}, answered in pieces
 * by {@link PieceSender}. A limit of 0 means {@value ReadQuery#DEFAULT_LIMIT}; a larger limit than
 * {@value ReadQuery#MAX_LIMIT} is capped. The answer is framed from the cached envelopes' bytes
 * ({@link ReadPieces}), so a read returns exactly the bytes that were received.
 */
public final class RecentEnvelopesService implements BindableService {

    private final RecentEnvelopeCache cache;

    public RecentEnvelopesService(RecentEnvelopeCache cache) {
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    @Override
    public ServerServiceDefinition bindService() {
        ServiceDescriptor descriptor = ServiceDescriptor.newBuilder(RecentEnvelopesGrpc.SERVICE_NAME)
                .setSchemaDescriptor(RecentEnvelopesGrpc.getServiceDescriptor().getSchemaDescriptor())
                .addMethod(ReadPieces.READ)
                .addMethod(RecentEnvelopesGrpc.getMetaMethod())
                .build();
        return ServerServiceDefinition.builder(descriptor)
                .addMethod(ReadPieces.READ, ServerCalls.asyncServerStreamingCall(this::read))
                .addMethod(RecentEnvelopesGrpc.getMetaMethod(), ServerCalls.asyncUnaryCall(this::meta))
                .build();
    }

    void read(ReadRequest request, StreamObserver<List<EncodedEnvelope>> response) {
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
        PieceSender.send(cache.read(query), (ServerCallStreamObserver<List<EncodedEnvelope>>) response);
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

    void meta(MetaRequest request, StreamObserver<MetaResponse> response) {
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
