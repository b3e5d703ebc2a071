package dev.hydrant.nozzle.client;

import dev.hydrant.nozzle.auth.TokenProvider;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import org.cloudfoundry.loggregator.v2.Envelope;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Reads Hydrant's Traffic Controller: the firehose and app streams over v2 SSE, the v1 websocket or
 * v2 gRPC, always as v2 envelopes (v1 frames are converted), and recent logs over HTTP.
 *
 * <p>Streams are cold: each subscription opens its own connection. They reconnect by themselves with
 * exponential backoff and jitter ({@link ReconnectPolicy}), take a stream without data or heartbeats for
 * longer than the idle timeout for dead, fetch a fresh token after a refusal, and log one WARN when an outage
 * starts and one INFO when it ends. A permanent problem (a refused token, an untrusted certificate, a wrong
 * scheme: see {@link HydrantClientException#permanent()}) is one ERROR saying what to fix, then retried at the
 * longest backoff, or, with {@link Builder#failFast}, the end of the stream. Streams end only when the reader
 * cancels, when they fail fast, or with a {@link HydrantClientException} for a request the server will never
 * accept (400).
 *
 * <pre>{@code
 * HydrantClient client = HydrantClient.builder()
 *         .baseUrl("https://hydrant.example.com")
 *         .tokenProvider(ClientCredentialsTokenProvider.create(tokenUri, "nozzle", secret))
 *         .transport(Transport.SSE)
 *         .build();
 * client.firehose("my-nozzle").subscribe(envelope -> ...);
 * }</pre>
 */
public final class HydrantClient implements AutoCloseable {

    /** The largest message Hydrant takes in: the 10 MiB gRPC limit of docs/wire.md section 8. */
    public static final int MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
    /**
     * Largest v1 websocket frame accepted: one envelope of the largest message, converted to v1 (a few
     * fields more), as the Traffic Controller allows a recent-read piece the same room.
     */
    static final int MAX_FRAME_BYTES = MAX_MESSAGE_BYTES + 64 * 1024;
    /**
     * Largest SSE line kept: one envelope of the largest message as JSON, its bytes fields in base64
     * (4/3 of them: about 13.4 MiB) and room for the rest; a longer event is counted as unreadable and
     * passed over, the stream goes on.
     */
    static final int MAX_SSE_LINE_BYTES = 16 * 1024 * 1024;

    /** A class of io.grpc:grpc-netty-shaded, an optional dependency needed by {@link Transport#GRPC} only. */
    static final String GRPC_NETTY_CLASS = "io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder";

    private final ClientSettings settings;
    private final StreamTransport transport;
    private final ConnectionFailure.Target target;
    private final RecentReader recent;
    private final LongAdder unreadable = new LongAdder();

    private HydrantClient(ClientSettings settings) {
        this.settings = settings;
        String base = settings.baseUrl().toString().replaceAll("/+$", "");
        // the CA and client certificate apply to https only: an http:// address stays plain
        HttpClient http = settings.https() ? settings.tls().secure(settings.http()) : settings.http();
        this.transport = switch (settings.transport()) {
            case SSE -> new SseTransport(http, base, MAX_SSE_LINE_BYTES, unreadable);
            case WEBSOCKET -> new WebSocketTransport(http, base, MAX_FRAME_BYTES, unreadable);
            case GRPC -> new GrpcEgressTransport(settings.grpc());
        };
        this.target = settings.transport() == Transport.GRPC
                ? new ConnectionFailure.Target("the gRPC egress " + settings.grpc().target(),
                        GrpcSettings.TLS_PREFIX + ".ca-file", GrpcSettings.TLS_PREFIX + ".cert-file", true, null)
                : target(settings.baseUrl().toString(), settings.https());
        this.recent = new RecentReader(http, base, settings.tokens(), unreadable,
                target(settings.baseUrl().toString(), settings.https()));
    }

    private static ConnectionFailure.Target target(String url, boolean https) {
        return new ConnectionFailure.Target("the Traffic Controller at " + url, HttpTls.PREFIX + ".ca-file",
                HttpTls.PREFIX + ".cert-file", https, https ? null : URI.create(url));
    }

    public static Builder builder() {
        return new Builder(ClientSettings.defaults());
    }

    /** Every source's envelopes of every type; readers sharing {@code subscriptionId} split the stream. */
    public Flux<Envelope> firehose(String subscriptionId) {
        return read(ReadRequest.firehose(subscriptionId, EnvelopeType.all()));
    }

    /** Every source's envelopes of the given types; readers sharing {@code subscriptionId} split the stream. */
    public Flux<Envelope> firehose(String subscriptionId, Collection<EnvelopeType> types) {
        return read(ReadRequest.firehose(subscriptionId, types));
    }

    /** One source's (app's) logs and metrics. */
    public Flux<Envelope> stream(String sourceId) {
        return read(ReadRequest.source(sourceId, EnvelopeType.all()));
    }

    /** What the request selects, one envelope at a time. */
    public Flux<Envelope> read(ReadRequest request) {
        return readBatches(request).concatMapIterable(batch -> batch);
    }

    /**
     * What the request selects, in the batches the server sent: cheaper than {@link #read} when the
     * reader handles lists anyway (as the nozzle runtime does).
     */
    public Flux<List<Envelope>> readBatches(ReadRequest request) {
        Objects.requireNonNull(request, "request");
        String name = describe(request);
        boolean grpc = settings.transport() == Transport.GRPC;
        ReconnectingStream.Plan plan = new ReconnectingStream.Plan(transport, target, !grpc, settings.tokens(),
                settings.reconnect(), settings.failFast());
        return ReconnectingStream.batches(plan, request,
                        new ConnectionLog(name, settings.listener(), grpc, settings.reconnect().maxBackoff()))
                .checkpoint("nozzle.client " + name);
    }

    /** Up to {@code limit} recent logs of one source from the Doppler caches, oldest first (v1 recent logs). */
    public Mono<List<Envelope>> recentLogs(String sourceId, int limit) {
        Objects.requireNonNull(sourceId, "sourceId");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        return recent.recentLogs(sourceId, limit);
    }

    /** Up to {@code limit} (at most 1000) recent envelopes of any type from {@code /api/v1/read/{sourceId}}. */
    public Mono<List<Envelope>> recentEnvelopes(String sourceId, int limit) {
        Objects.requireNonNull(sourceId, "sourceId");
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be between 1 and 1000, was " + limit);
        }
        return recent.read(sourceId, limit);
    }

    /** Frames, events and parts received that did not parse or convert to v2 and were skipped. */
    public long unreadable() {
        return unreadable.sum();
    }

    public Transport transport() {
        return settings.transport();
    }

    /** Releases the gRPC channel, if any; HTTP streams end when their readers cancel. */
    @Override
    public void close() {
        transport.close();
    }

    private String describe(ReadRequest request) {
        String what = request.everySource() ? "firehose '" + request.subscriptionId() + "'"
                : "stream of " + request.selectors().stream().map(s -> s.getSourceId()).distinct().toList();
        return what + " via " + settings.transport() + " at " + transport.endpoint();
    }

    /** Settings of a client; immutable: every method returns a new builder. */
    public static final class Builder {

        private final ClientSettings settings;

        private Builder(ClientSettings settings) {
            this.settings = settings;
        }

        /** The Traffic Controller's HTTP address (default {@code http://localhost:8081}); https for TLS. */
        public Builder baseUrl(String baseUrl) {
            return baseUrl(URI.create(Objects.requireNonNull(baseUrl, "baseUrl")));
        }

        public Builder baseUrl(URI baseUrl) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
                throw new IllegalArgumentException("baseUrl must be http:// or https://, was " + baseUrl);
            }
            return new Builder(settings.withBaseUrl(baseUrl));
        }

        /** How streams are read (default SSE); GRPC also needs {@link #grpc}. */
        public Builder transport(Transport transport) {
            return new Builder(settings.withTransport(Objects.requireNonNull(transport, "transport")));
        }

        /** Where the bearer token comes from (default: none). */
        public Builder tokenProvider(TokenProvider tokens) {
            return new Builder(settings.withTokens(Objects.requireNonNull(tokens, "tokens")));
        }

        /** The gRPC egress and this client's certificate, for {@link Transport#GRPC}. */
        public Builder grpc(GrpcSettings grpc) {
            return new Builder(settings.withGrpc(Objects.requireNonNull(grpc, "grpc")));
        }

        public Builder reconnect(ReconnectPolicy reconnect) {
            return new Builder(settings.withReconnect(Objects.requireNonNull(reconnect, "reconnect")));
        }

        /** Told when streams connect and are lost (health checks). */
        public Builder connectionListener(ConnectionListener listener) {
            return new Builder(settings.withListener(Objects.requireNonNull(listener, "listener")));
        }

        /** The Reactor Netty client for HTTP and websockets (proxies, event loops); {@link #tls} adds to it. */
        public Builder httpClient(HttpClient http) {
            return new Builder(settings.withHttp(Objects.requireNonNull(http, "http")));
        }

        /**
         * The CA that signs the Traffic Controller's https address, and optionally this client's certificate and
         * key (PEM files), for SSE, websocket and recent logs; default: the JVM's trust store, no certificate.
         * Checked by {@link #build}.
         */
        public Builder tls(HttpTls tls) {
            return new Builder(settings.withTls(Objects.requireNonNull(tls, "tls")));
        }

        /**
         * Whether a stream ends with a {@link HydrantClientException} at the first permanent problem (a refused
         * token, an untrusted certificate, a wrong scheme) instead of retrying it at the longest backoff until
         * someone fixes it; default false.
         */
        public Builder failFast(boolean failFast) {
            return new Builder(settings.withFailFast(failFast));
        }

        public HydrantClient build() {
            settings.tls().validate();
            if (settings.transport() == Transport.GRPC) {
                if (settings.grpc() == null) {
                    throw new IllegalStateException("the GRPC transport needs grpc(new GrpcSettings(target, serverName, tls))");
                }
                requireGrpcOnTheClassPath();
                settings.grpc().tls().validate(GrpcSettings.TLS_PREFIX);
            }
            return new HydrantClient(settings);
        }

        /** gRPC is an optional dependency of the SDK: say which one is missing rather than NoClassDefFoundError. */
        private static void requireGrpcOnTheClassPath() {
            try {
                Class.forName(GRPC_NETTY_CLASS, false, HydrantClient.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalStateException("transport grpc needs io.grpc:grpc-netty-shaded on the class path: add"
                        + " the dependency io.grpc:grpc-netty-shaded (the version of the grpc-bom the SDK is built with)"
                        + " to the nozzle's pom.xml, or use transport sse or websocket", e);
            }
        }
    }
}
