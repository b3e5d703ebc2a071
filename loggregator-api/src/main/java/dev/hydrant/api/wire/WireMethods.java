package dev.hydrant.api.wire;

import io.grpc.MethodDescriptor;
import java.util.List;
import org.cloudfoundry.loggregator.v2.BatchSenderResponse;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.EgressGrpc;
import org.cloudfoundry.loggregator.v2.EgressRequest;
import org.cloudfoundry.loggregator.v2.IngressGrpc;
import org.cloudfoundry.loggregator.v2.IngressResponse;
import org.cloudfoundry.loggregator.v2.SendResponse;

/**
 * The methods of {@code loggregator.v2.Ingress} and {@code loggregator.v2.Egress} with their envelopes carried
 * as bytes ({@link EnvelopeFrames}): the same names, types and wire format as the generated stubs', for
 * servers ({@code ServerServiceDefinition.builder(IngressGrpc.SERVICE_NAME).addMethod(...)}) and clients
 * ({@code ClientCalls} on {@code channel.newCall(...)}) on the hot path. The other messages keep protobuf's
 * marshallers.
 */
public final class WireMethods {

    /** {@code Ingress/Sender}: a client stream of single envelopes. */
    public static final MethodDescriptor<EncodedEnvelope, IngressResponse> INGRESS_SENDER =
            IngressGrpc.getSenderMethod().toBuilder(EnvelopeFrames.ENVELOPE,
                    IngressGrpc.getSenderMethod().getResponseMarshaller()).build();

    /** {@code Ingress/BatchSender}: a client stream of batches. */
    public static final MethodDescriptor<List<EncodedEnvelope>, BatchSenderResponse> INGRESS_BATCH_SENDER =
            IngressGrpc.getBatchSenderMethod().toBuilder(EnvelopeFrames.BATCH,
                    IngressGrpc.getBatchSenderMethod().getResponseMarshaller()).build();

    /** {@code Ingress/Send}: one batch, unary. */
    public static final MethodDescriptor<List<EncodedEnvelope>, SendResponse> INGRESS_SEND =
            IngressGrpc.getSendMethod().toBuilder(EnvelopeFrames.BATCH,
                    IngressGrpc.getSendMethod().getResponseMarshaller()).build();

    /** {@code Egress/Receiver}: a server stream of single envelopes. */
    public static final MethodDescriptor<EgressRequest, EncodedEnvelope> EGRESS_RECEIVER =
            EgressGrpc.getReceiverMethod().toBuilder(EgressGrpc.getReceiverMethod().getRequestMarshaller(),
                    EnvelopeFrames.ENVELOPE).build();

    /** {@code Egress/BatchedReceiver}: a server stream of batches. */
    public static final MethodDescriptor<EgressBatchRequest, List<EncodedEnvelope>> EGRESS_BATCHED_RECEIVER =
            EgressGrpc.getBatchedReceiverMethod().toBuilder(EgressGrpc.getBatchedReceiverMethod().getRequestMarshaller(),
                    EnvelopeFrames.BATCH).build();

    private WireMethods() {
    }
}
