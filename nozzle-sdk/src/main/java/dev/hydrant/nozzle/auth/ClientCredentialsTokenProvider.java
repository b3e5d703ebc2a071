package dev.hydrant.nozzle.auth;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

/**
 * OAuth2 client credentials (RFC 6749 section 4.4) against any token endpoint: UAA
 * ({@code https://uaa.example.com/oauth/token}), Keycloak ({@code .../realms/x/protocol/openid-connect/token})
 * and others. POSTs {@code grant_type=client_credentials} (and {@code scope} when set) with the client
 * id and secret as HTTP Basic authentication, and reads {@code access_token} and {@code expires_in}.
 *
 * <p>The token is cached and shared by all callers (one request at a time, however many ask); it is
 * renewed {@code refreshBefore} ahead of its expiry (at most half its lifetime ahead), and at once after
 * the server refused it ({@link #invalidate}). A token without {@code expires_in} is kept until refused.
 * Failed requests are not cached: the next call tries again. Failures are {@link TokenEndpointException}s,
 * which tell a refusal (wrong credentials, scope or URL) from an endpoint that cannot be reached.
 */
public final class ClientCredentialsTokenProvider implements TokenProvider {

    /** Renew this long before expiry by default. */
    public static final Duration DEFAULT_REFRESH_BEFORE = Duration.ofSeconds(30);
    /** Longest wait for the token endpoint. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final URI tokenUri;
    private final String basicAuth;
    private final String form;
    private final Duration refreshBefore;
    private final Clock clock;
    private final HttpClient http;
    private final Mono<Token> cached;
    private volatile String refused = "";

    private ClientCredentialsTokenProvider(URI tokenUri, String clientId, String clientSecret, String scope,
                                           Duration refreshBefore, Clock clock, HttpClient http) {
        this.tokenUri = tokenUri;
        this.basicAuth = "Basic " + Base64.getEncoder().encodeToString(
                (encode(clientId) + ":" + encode(clientSecret)).getBytes(StandardCharsets.UTF_8));
        this.form = "grant_type=client_credentials" + (scope == null || scope.isBlank() ? "" : "&scope=" + encode(scope));
        this.refreshBefore = refreshBefore;
        this.clock = clock;
        this.http = http;
        this.cached = Mono.defer(this::fetch).cacheInvalidateIf(this::stale);
    }

    /**
     * @param tokenUri     the token endpoint
     * @param clientId     the OAuth2 client id
     * @param clientSecret its secret
     */
    public static ClientCredentialsTokenProvider create(URI tokenUri, String clientId, String clientSecret) {
        return new Builder(tokenUri, clientId, clientSecret).build();
    }

    public static Builder builder(URI tokenUri, String clientId, String clientSecret) {
        return new Builder(tokenUri, clientId, clientSecret);
    }

    @Override
    public Mono<String> token() {
        return cached.map(Token::value);
    }

    @Override
    public void invalidate(String token) {
        refused = Objects.requireNonNullElse(token, "");
    }

    private boolean stale(Token token) {
        return token.value().equals(refused) || !clock.instant().isBefore(token.renewAt());
    }

    private Mono<Token> fetch() {
        Instant asked = clock.instant();
        return http.headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, basicAuth)
                        .set(HttpHeaderNames.CONTENT_TYPE, "application/x-www-form-urlencoded")
                        .set(HttpHeaderNames.ACCEPT, "application/json"))
                .post()
                .uri(tokenUri)
                .send(ByteBufFlux.fromString(Mono.just(form)))
                .responseSingle((response, body) -> body.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                        .flatMap(text -> response.status().code() == 200
                                ? Mono.fromCallable(() -> parse(text, asked))
                                : Mono.error(refusal(response.status().code(), text))))
                .timeout(DEFAULT_TIMEOUT)
                .onErrorMap(e -> !(e instanceof TokenEndpointException),
                        e -> new TokenEndpointException("token endpoint " + tokenUri + " failed: " + e, 0, false, e));
    }

    /** 5xx, 429 and 408 may pass; any other answer is the endpoint refusing these settings. */
    private TokenEndpointException refusal(int status, String body) {
        boolean passing = status >= 500 || status == 429 || status == 408;
        return new TokenEndpointException("token endpoint " + tokenUri + " answered " + status + ": " + abbreviate(body),
                status, !passing, null);
    }

    private Token parse(String json, Instant asked) {
        Struct.Builder body = Struct.newBuilder();
        try {
            JsonFormat.parser().ignoringUnknownFields().merge(json, body);
        } catch (Exception notJson) {
            throw new TokenEndpointException("token endpoint " + tokenUri + " answered 200 without JSON: "
                    + abbreviate(json), 200, true, null);
        }
        Value accessToken = body.getFieldsMap().get("access_token");
        if (accessToken == null || accessToken.getStringValue().isBlank()) {
            throw new TokenEndpointException("token endpoint " + tokenUri + " answered without access_token", 200, true, null);
        }
        Value expiresIn = body.getFieldsMap().get("expires_in");
        Instant renewAt = Instant.MAX;
        if (expiresIn != null) {
            long seconds = expiresIn.hasNumberValue() ? (long) expiresIn.getNumberValue()
                    : Long.parseLong(expiresIn.getStringValue().trim());
            Duration lifetime = Duration.ofSeconds(Math.max(0, seconds));
            Duration ahead = refreshBefore.compareTo(lifetime.dividedBy(2)) < 0 ? refreshBefore : lifetime.dividedBy(2);
            renewAt = asked.plus(lifetime).minus(ahead);
        }
        return new Token(accessToken.getStringValue(), renewAt);
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private record Token(String value, Instant renewAt) {
    }

    /** Settings of a {@link ClientCredentialsTokenProvider}; every method returns a new builder. */
    public static final class Builder {
        private final URI tokenUri;
        private final String clientId;
        private final String clientSecret;
        private final String scope;
        private final Duration refreshBefore;
        private final Clock clock;
        private final HttpClient http;

        private Builder(URI tokenUri, String clientId, String clientSecret) {
            this(tokenUri, clientId, clientSecret, null, DEFAULT_REFRESH_BEFORE, Clock.systemUTC(), HttpClient.create());
        }

        private Builder(URI tokenUri, String clientId, String clientSecret, String scope, Duration refreshBefore,
                        Clock clock, HttpClient http) {
            this.tokenUri = Objects.requireNonNull(tokenUri, "tokenUri");
            this.clientId = Objects.requireNonNull(clientId, "clientId");
            this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
            this.scope = scope;
            this.refreshBefore = Objects.requireNonNull(refreshBefore, "refreshBefore");
            this.clock = Objects.requireNonNull(clock, "clock");
            this.http = Objects.requireNonNull(http, "http");
        }

        /** Space-separated scopes to ask for; none by default (the client's own). */
        public Builder scope(String scope) {
            return new Builder(tokenUri, clientId, clientSecret, scope, refreshBefore, clock, http);
        }

        /** How long before expiry a token is renewed. */
        public Builder refreshBefore(Duration refreshBefore) {
            if (refreshBefore.isNegative()) {
                throw new IllegalArgumentException("refreshBefore must not be negative");
            }
            return new Builder(tokenUri, clientId, clientSecret, scope, refreshBefore, clock, http);
        }

        /** The clock expiry is measured by (tests). */
        public Builder clock(Clock clock) {
            return new Builder(tokenUri, clientId, clientSecret, scope, refreshBefore, clock, http);
        }

        /** The HTTP client to reach the token endpoint with (TLS trust, proxies). */
        public Builder httpClient(HttpClient http) {
            return new Builder(tokenUri, clientId, clientSecret, scope, refreshBefore, clock, http);
        }

        public ClientCredentialsTokenProvider build() {
            if (clientId.isBlank()) {
                throw new IllegalArgumentException("clientId must not be blank");
            }
            return new ClientCredentialsTokenProvider(tokenUri, clientId, clientSecret, scope, refreshBefore, clock, http);
        }
    }
}
