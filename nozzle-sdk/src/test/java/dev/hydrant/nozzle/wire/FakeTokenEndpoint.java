package dev.hydrant.nozzle.wire;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * An OAuth2 token endpoint (RFC 6749 section 4.4) as UAA answers it: POST /oauth/token with HTTP Basic client
 * authentication (id and secret form-encoded first, RFC 6749 section 2.3.1) and {@code grant_type=client_credentials}; issues {@code token-1}, {@code token-2}, ...
 */
public final class FakeTokenEndpoint implements AutoCloseable {

    private final String clientId;
    private final String clientSecret;
    private final long expiresInSeconds;
    private final AtomicInteger issued = new AtomicInteger();
    private final List<String> forms = new CopyOnWriteArrayList<>();
    private final DisposableServer server;

    public FakeTokenEndpoint(String clientId, String clientSecret, long expiresInSeconds) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.expiresInSeconds = expiresInSeconds;
        this.server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.post("/oauth/token", (request, response) -> {
                    String expected = "Basic " + Base64.getEncoder().encodeToString(
                            (URLEncoder.encode(this.clientId, StandardCharsets.UTF_8) + ":"
                                    + URLEncoder.encode(this.clientSecret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                    boolean authenticated = expected.equals(request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION));
                    return request.receive().aggregate().asString().defaultIfEmpty("").flatMap(form -> {
                        forms.add(form);
                        if (!authenticated) {
                            return response.status(HttpResponseStatus.UNAUTHORIZED)
                                    .sendString(Mono.just("{\"error\":\"unauthorized\"}")).then();
                        }
                        if (!form.contains("grant_type=client_credentials")) {
                            return response.status(HttpResponseStatus.BAD_REQUEST)
                                    .sendString(Mono.just("{\"error\":\"unsupported_grant_type\"}")).then();
                        }
                        String body = "{\"access_token\":\"token-" + issued.incrementAndGet()
                                + "\",\"token_type\":\"bearer\",\"expires_in\":" + expiresInSeconds
                                + ",\"scope\":\"doppler.firehose\",\"jti\":\"x\"}";
                        return response.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                                .sendString(Mono.just(body)).then();
                    });
                }))
                .bindNow();
    }

    public URI tokenUri() {
        return URI.create("http://127.0.0.1:" + server.port() + "/oauth/token");
    }

    public int issued() {
        return issued.get();
    }

    /** The form bodies received. */
    public List<String> forms() {
        return forms;
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
