package dev.hydrant.testsupport.tokens;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test OAuth2 server: the {@link Tokens}' public key as a JWKS and an OIDC discovery document,
 * served over HTTP on a port of loopback, and the tokens themselves.
 */
public final class TokenIssuer implements AutoCloseable {

    /** The {@code iss} of every token unless one is named. */
    public static final String ISSUER = Tokens.ISSUER;

    private final Tokens tokens = new Tokens();
    private final HttpServer server;
    private final AtomicInteger discoveries = new AtomicInteger();

    public TokenIssuer() throws IOException {
        byte[] jwks = tokens.jwks().getBytes(StandardCharsets.UTF_8);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token_keys", exchange -> json(exchange, jwks));
        server.createContext("/.well-known/openid-configuration", exchange -> {
            discoveries.incrementAndGet();
            json(exchange, ("{\"issuer\":\"" + uri() + "\",\"jwks_uri\":\"" + jwksUri() + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
        });
        server.start();
    }

    private static void json(HttpExchange exchange, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** This server as an OIDC issuer: its discovery document names {@link #jwksUri()}. */
    public String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String jwksUri() {
        return uri() + "/token_keys";
    }

    /** How often the discovery document was fetched. */
    public int discoveries() {
        return discoveries.get();
    }

    /** The tokens this issuer signs. */
    public Tokens tokens() {
        return tokens;
    }

    /** See {@link Tokens#admin()}. */
    public String admin() {
        return tokens.admin();
    }

    /** See {@link Tokens#adminIssuedBy(String)}. */
    public String adminIssuedBy(String issuer) {
        return tokens.adminIssuedBy(issuer);
    }

    /** See {@link Tokens#reader(String...)}. */
    public String reader(String... sourceIds) {
        return tokens.reader(sourceIds);
    }

    /** See {@link Tokens#expiredAdmin()}. */
    public String expiredAdmin() {
        return tokens.expiredAdmin();
    }

    /** See {@link Tokens#adminIssuedTomorrow()}. */
    public String adminIssuedTomorrow() {
        return tokens.adminIssuedTomorrow();
    }

    /** See {@link Tokens#forgedAdmin()}. */
    public String forgedAdmin() {
        return tokens.forgedAdmin();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
