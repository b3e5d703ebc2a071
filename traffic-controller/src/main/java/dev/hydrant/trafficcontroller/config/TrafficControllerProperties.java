package dev.hydrant.trafficcontroller.config;

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
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the Traffic Controller, under {@code hydrant.traffic-controller}.
 *
 * @param dopplers                every Doppler, as host:port (an IPv6 address in brackets); a DNS name resolving to many hosts stands for all of them
 * @param dopplerResolveInterval  how often the names in {@code dopplers} are resolved again
 * @param dopplerServerName       the name the Dopplers' certificates must be valid for
 * @param tls                     client certificate towards the Dopplers, also the server certificate of the gRPC egress
 * @param grpcHost                address the gRPC egress binds to
 * @param grpcPort                port of the gRPC egress ({@code loggregator.v2.Egress}, mutual TLS); 0 picks one
 * @param maxGrpcStreams          open gRPC egress streams allowed at once; beyond, RESOURCE_EXHAUSTED
 * @param maxSelectors            selectors one gRPC egress or /v2/read request may carry; beyond, INVALID_ARGUMENT
 *                                (gRPC) or 400 (SSE)
 * @param clientBufferSize        envelopes buffered per client (drop oldest when full)
 * @param slowConsumerTimeout     a websocket consumer that cannot take the next envelope for this long is cut
 * @param pingInterval            websocket ping period; no pong within one more period closes with 1008
 * @param sseHeartbeat            an SSE stream with nothing to send for this long gets a heartbeat event
 * @param sseStreamTimeout        an SSE stream is closed (with a closing event) after this long
 * @param recentLogsDeadline      how long recent-log reads wait for the Dopplers
 * @param auth                    how bearer tokens are checked
 * @param publicTls               optional TLS of the public HTTP/websocket listener
 * @param metrics                 where the Traffic Controller's own metric envelopes go
 * @param instanceId              instance id of the Traffic Controller's own envelopes; when blank the host name, else "0"
 * @param shutdownGrace           how long a stopping Traffic Controller gives its open client streams (gRPC,
 *                                websocket, SSE) before it closes them
 */
@Validated
@ConfigurationProperties("hydrant.traffic-controller")
public record TrafficControllerProperties(
        @DefaultValue("127.0.0.1:8082") @NotEmpty List<@NotBlank String> dopplers,
        @DefaultValue("30s") @NotNull Duration dopplerResolveInterval,
        @DefaultValue("doppler") @NotBlank String dopplerServerName,
        @DefaultValue @Valid Tls tls,
        @DefaultValue("0.0.0.0") @NotBlank String grpcHost,
        @DefaultValue("8089") @Min(0) @Max(65535) int grpcPort,
        @DefaultValue("500") @Min(1) int maxGrpcStreams,
        @DefaultValue("100") @Min(1) @Max(10000) int maxSelectors,
        @DefaultValue("1000") @Min(1) int clientBufferSize,
        @DefaultValue("5s") @NotNull Duration slowConsumerTimeout,
        @DefaultValue("30s") @NotNull Duration pingInterval,
        @DefaultValue("15s") @NotNull Duration sseHeartbeat,
        @DefaultValue("14m") @NotNull Duration sseStreamTimeout,
        @DefaultValue("1s") @NotNull Duration recentLogsDeadline,
        @DefaultValue @Valid Auth auth,
        @DefaultValue @Valid PublicTls publicTls,
        @DefaultValue @Valid Metrics metrics,
        String instanceId,
        @DefaultValue("5s") @NotNull @DurationMin(millis = 0) @DurationMax(minutes = 10) Duration shutdownGrace) {

    /** Settings prefix, for error messages. */
    public static final String PREFIX = "hydrant.traffic-controller";

    /** PEM files for mutual TLS with the Dopplers and the gRPC egress clients. */
    public record Tls(Path certFile, Path keyFile, Path caFile) {
    }

    /**
     * Bearer token checking.
     *
     * @param disabled             accept every request as admin: local demos only
     * @param issuerUri            the OAuth2/OIDC issuer; its JWKS is discovered and {@code iss} must match
     * @param jwkSetUri            a JWKS URL, when the issuer offers no discovery document
     * @param publicKeyFile        a PEM public key (RSA or EC) that signs the tokens
     * @param audience             when set, tokens must name it in {@code aud}
     * @param policy               how access to one source id is decided: claim or cloud-controller
     * @param sourceIdsClaim       for policy claim: the claim listing the source ids a token may read
     * @param cloudControllerUrl   for policy cloud-controller: base URL answering /internal/v4/log_access/{id}
     * @param clockSkew            tolerance on exp/nbf, and how far ahead iat may lie
     */
    public record Auth(
            @DefaultValue("false") boolean disabled,
            URI issuerUri,
            URI jwkSetUri,
            Path publicKeyFile,
            String audience,
            @DefaultValue("claim") @NotNull Policy policy,
            @DefaultValue("source_ids") @NotBlank String sourceIdsClaim,
            URI cloudControllerUrl,
            @DefaultValue("60s") @NotNull Duration clockSkew) {
    }

    /** How the right to read one source id is decided. */
    public enum Policy { CLAIM, CLOUD_CONTROLLER }

    /**
     * The Traffic Controller's own metrics, sent as envelopes to the Metron agent on its host (with the
     * {@code tls} certificate) and so into the firehose.
     *
     * @param enabled          whether they are sent at all (they are in Prometheus either way)
     * @param metron           the agent's v2 ingress, host:port
     * @param metronServerName the name the agent's certificate must be valid for
     * @param interval         how often they are sent
     */
    public record Metrics(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("127.0.0.1:3458") @NotBlank String metron,
            @DefaultValue("metron") @NotBlank String metronServerName,
            @DefaultValue("15s") @NotNull Duration interval) {
    }

    /** TLS on the public listener (port 8081); off unless cert-file and key-file are set. */
    public record PublicTls(Path certFile, Path keyFile) {
        public boolean enabled() {
            return certFile != null || keyFile != null;
        }
    }
}
