package dev.hydrant.nozzle.client;

/** How a {@link HydrantClient} reads streams from the Traffic Controller. */
public enum Transport {
    /** v2 server-sent events, {@code GET /v2/read} (docs/wire.md section 5), on the HTTP port. */
    SSE,
    /** v1 websocket, {@code /firehose/{id}} and {@code /apps/{id}/stream} (section 4); frames converted to v2. */
    WEBSOCKET,
    /** v2 gRPC {@code loggregator.v2.Egress/BatchedReceiver} with mutual TLS, on the gRPC port. */
    GRPC
}
