package dev.hydrant.trafficcontroller.config;

import dev.hydrant.plumbing.config.InvalidSettingException;
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
 * @param clientBufferBytes       bytes buffered per client at most (drop oldest beyond; the newest is
 *                                always kept); null for the default, {@link #clientBufferBytesOrDefault()}
 * @param egressBufferBytes       bytes all clients' buffers (gRPC, websocket and SSE) hold together at most:
 *                                with many clients open, each may hold an equal share of it when that is less
 *                                than {@code clientBufferBytes}
 * @param slowConsumerTimeout     a websocket consumer that cannot take the next envelope for this long is cut
 * @param pingInterval            websocket ping period; no pong within one more period closes with 1008
 * @param sseHeartbeat            an SSE stream with nothing to send for this long gets a heartbeat event
 * @param sseStreamTimeout        an SSE stream is closed (with a closing event) after this long
 * @param recentLogsDeadline      how long recent-log reads wait for the Dopplers
 * @param auth                    how bearer tokens are checked
 * @param publicTls               optional TLS of the public HTTP/websocket listener
 * @param http                    the public listener's deadlines and caps (connections, streams)
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
        @DefaultValue("10000") @Min(1) int clientBufferSize,
        Long clientBufferBytes,
        @DefaultValue("33554432") long egressBufferBytes,
        @DefaultValue("5s") @NotNull Duration slowConsumerTimeout,
        @DefaultValue("30s") @NotNull Duration pingInterval,
        @DefaultValue("15s") @NotNull Duration sseHeartbeat,
        @DefaultValue("14m") @NotNull Duration sseStreamTimeout,
        @DefaultValue("1s") @NotNull Duration recentLogsDeadline,
        @DefaultValue @Valid Auth auth,
        @DefaultValue @Valid PublicTls publicTls,
        @DefaultValue @Valid Http http,
        @DefaultValue @Valid Metrics metrics,
        String instanceId,
        @DefaultValue("5s") @NotNull @DurationMin(millis = 0) @DurationMax(minutes = 10) Duration shutdownGrace) {

    /** Settings prefix, for error messages. */
    public static final String PREFIX = "hydrant.traffic-controller";

    /** Least default of client-buffer-bytes: room for one whole Doppler batch as the fan-in reads it (10 MiB). */
    public static final long MIN_DEFAULT_CLIENT_BUFFER_BYTES = 16L * 1024 * 1024;
    /** Bytes per envelope of client-buffer-size in the default of client-buffer-bytes. */
    public static final long DEFAULT_BYTES_PER_BUFFERED_ENVELOPE = 1024;
    private static final long MIN_BUFFER_BYTES = 1024;
    private static final long MAX_BUFFER_BYTES = 1L << 30;

    public TrafficControllerProperties {
        if (clientBufferBytes != null) {
            bytesInRange("client-buffer-bytes", clientBufferBytes);
        }
        bytesInRange("egress-buffer-bytes", egressBufferBytes);
    }

    private static void bytesInRange(String name, long value) {
        if (value < MIN_BUFFER_BYTES || value > MAX_BUFFER_BYTES) {
            throw new InvalidSettingException(PREFIX + "." + name, "must be from " + MIN_BUFFER_BYTES
                    + " to " + MAX_BUFFER_BYTES + " bytes, not " + value);
        }
    }

    /**
     * client-buffer-bytes, or when not set 1 KiB per envelope of client-buffer-size and at least 16 MiB:
     * ordinary envelopes (a few hundred bytes) are bounded by count, a buffer has room for one whole
     * Doppler batch, and envelopes of up to 1 MiB can no longer fill a client's buffer with a GiB.
     */
    public long clientBufferBytesOrDefault() {
        if (clientBufferBytes != null) {
            return clientBufferBytes;
        }
        return Math.max(MIN_DEFAULT_CLIENT_BUFFER_BYTES, clientBufferSize * DEFAULT_BYTES_PER_BUFFERED_ENVELOPE);
    }

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
     * @param allowedOrigins       web origins (scheme://host[:port]) whose pages may use a token from the
     *                             authorization cookie, besides pages of the Traffic Controller's own host
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
            @DefaultValue("60s") @NotNull Duration clockSkew,
            @DefaultValue @NotNull List<@NotBlank String> allowedOrigins) {
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

    /**
     * The public listener (port 8081): how long a client may owe it something, and how many it serves.
     *
     * @param handshakeTimeout  a TLS handshake not done by then closes the connection
     * @param requestTimeout    a whole request (line, headers, body) must have arrived this long after the
     *                          connection opened (or its TLS handshake ended), or after the first byte of a
     *                          later request; else the connection is closed
     * @param keepAliveTimeout  a kept-alive connection without a new request for this long is closed
     * @param maxConnections    open connections at most; one more is closed at once
     * @param maxStreams        websocket and SSE streams at most, together; one more is answered 503
     */
    public record Http(
            @DefaultValue("10s") Duration handshakeTimeout,
            @DefaultValue("10s") Duration requestTimeout,
            @DefaultValue("120s") Duration keepAliveTimeout,
            @DefaultValue("4000") int maxConnections,
            @DefaultValue("2000") int maxStreams) {

        private static final String HTTP = PREFIX + ".http.";

        public Http {
            between(handshakeTimeout, Duration.ofMinutes(10), "handshake-timeout");
            between(requestTimeout, Duration.ofMinutes(10), "request-timeout");
            between(keepAliveTimeout, Duration.ofHours(1), "keep-alive-timeout");
            if (maxConnections < 1) {
                throw new InvalidSettingException(HTTP + "max-connections", "must be at least 1, not " + maxConnections);
            }
            if (maxStreams < 1) {
                throw new InvalidSettingException(HTTP + "max-streams", "must be at least 1, not " + maxStreams);
            }
        }

        private static void between(Duration value, Duration max, String name) {
            if (value == null || value.isNegative() || value.isZero() || value.compareTo(max) > 0) {
                throw new InvalidSettingException(HTTP + name, "must be more than 0 and at most " + max + ", not " + value);
            }
        }
    }

    /** TLS on the public listener (port 8081); off unless cert-file and key-file are set. */
    public record PublicTls(Path certFile, Path keyFile) {
        public boolean enabled() {
            return certFile != null || keyFile != null;
        }
    }
}
