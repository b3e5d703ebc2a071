package dev.hydrant.nozzle.autoconfigure;

import dev.hydrant.nozzle.client.EnvelopeType;
import dev.hydrant.nozzle.client.Transport;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of a nozzle app, under {@code hydrant.nozzle}.
 *
 * @param url             the Traffic Controller's HTTP address (SSE, websocket, recent logs)
 * @param transport       sse, websocket or grpc
 * @param subscriptionId  nozzle instances sharing it split the firehose between them
 * @param sourceIds       read only these sources (app streams) instead of the firehose
 * @param types           envelope types to read
 * @param token           a fixed bearer token; or use client-id, client-secret and token-url
 * @param clientId        OAuth2 client id for the client credentials grant
 * @param clientSecret    its secret
 * @param tokenUrl        the token endpoint (UAA {@code /oauth/token}, Keycloak {@code .../openid-connect/token}, ...)
 * @param scope           scopes to ask the token endpoint for; none means the client's own
 * @param batchSize       envelopes per sink write at most
 * @param batchInterval   a smaller batch is written after this long
 * @param bufferSize      envelopes held for the sink at most; the oldest are dropped beyond (and counted)
 * @param sinkMaxAttempts sink attempts per batch before the batch is dropped
 * @param shutdownTimeout how long a graceful shutdown keeps writing what is buffered
 * @param grpc            the gRPC egress, for transport grpc
 * @param reconnect       backoff and dead-stream detection
 * @param caFile          PEM CA that signs the Traffic Controller's https address (SSE, websocket, recent logs),
 *                        also trusted for an https token-url and, unless grpc.ca-file is set, for gRPC
 * @param certFile        this nozzle's client certificate (PEM), for an https Traffic Controller that asks for one
 * @param keyFile         its PKCS#8 key (PEM)
 * @param failFast        end the app (exit status 1) at the first permanent problem (a refused token, an untrusted
 *                        certificate, a wrong scheme) instead of retrying it every max-backoff until it is fixed
 */
@Validated
@ConfigurationProperties("hydrant.nozzle")
public record NozzleProperties(
        @DefaultValue("http://localhost:8081") @NotNull URI url,
        @DefaultValue("sse") @NotNull Transport transport,
        @DefaultValue("hydrant-nozzle") @NotBlank String subscriptionId,
        @DefaultValue List<@NotBlank String> sourceIds,
        @DefaultValue({"log", "counter", "gauge", "timer", "event"}) @NotEmpty Set<EnvelopeType> types,
        String token,
        String clientId,
        String clientSecret,
        URI tokenUrl,
        String scope,
        @DefaultValue("100") @Min(1) @Max(100_000) int batchSize,
        @DefaultValue("100ms") @NotNull Duration batchInterval,
        @DefaultValue("10000") @Min(1) int bufferSize,
        @DefaultValue("5") @Min(1) int sinkMaxAttempts,
        @DefaultValue("10s") @NotNull Duration shutdownTimeout,
        @DefaultValue @Valid Grpc grpc,
        @DefaultValue @Valid Reconnect reconnect,
        Path caFile,
        Path certFile,
        Path keyFile,
        @DefaultValue("false") boolean failFast) {

    /** Settings prefix, for error messages. */
    public static final String PREFIX = "hydrant.nozzle";

    /**
     * @param target     host:port of the gRPC egress
     * @param serverName the name its certificate must be valid for
     * @param certFile   this nozzle's client certificate (PEM)
     * @param keyFile    its PKCS#8 key (PEM)
     * @param caFile     the CA that signs the server (PEM)
     */
    public record Grpc(@DefaultValue("localhost:8089") @NotBlank String target,
                       @DefaultValue("reverselogproxy") @NotBlank String serverName,
                       Path certFile, Path keyFile, Path caFile) {
    }

    /**
     * @param minBackoff  first wait after a lost connection
     * @param maxBackoff  longest wait between attempts
     * @param idleTimeout    an SSE or websocket stream silent this long (no data, heartbeat or ping) is dead
     * @param connectTimeout a stream the server has not accepted this long after the attempt began is tried again
     */
    public record Reconnect(@DefaultValue("500ms") @NotNull Duration minBackoff,
                            @DefaultValue("15s") @NotNull Duration maxBackoff,
                            @DefaultValue("65s") @NotNull Duration idleTimeout,
                            @DefaultValue("10s") @NotNull Duration connectTimeout) {
    }
}
