package dev.hydrant.trafficcontroller.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test OAuth2 server: an RSA key, its JWKS and an OIDC discovery document served over HTTP,
 * and tokens signed by it (or, to forge, by another key under the same key id).
 */
public final class TokenIssuer implements AutoCloseable {

    public static final String ISSUER = "https://uaa.test/oauth/token";

    private final RSAKey key;
    private final RSAKey forger;
    private final HttpServer server;
    private final AtomicInteger discoveries = new AtomicInteger();

    public TokenIssuer() throws JOSEException, IOException {
        this.key = new RSAKeyGenerator(2048).keyID("key-1").generate();
        this.forger = new RSAKeyGenerator(2048).keyID("key-1").generate();
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token_keys", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(jwks);
            }
        });
        server.createContext("/.well-known/openid-configuration", exchange -> {
            discoveries.incrementAndGet();
            byte[] document = ("{\"issuer\":\"" + uri() + "\",\"jwks_uri\":\"" + jwksUri() + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, document.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(document);
            }
        });
        server.start();
    }

    /** This server as an OIDC issuer: its discovery document names {@link #jwksUri()}. */
    public String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How often the discovery document was fetched. */
    public int discoveries() {
        return discoveries.get();
    }

    /** An admin token naming {@code issuer} as its {@code iss}, signed by the real key. */
    public String adminIssuedBy(String issuer) {
        return token(issuer, List.of("openid", "doppler.firehose"), List.of(), Duration.ofMinutes(10), key);
    }

    public String jwksUri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token_keys";
    }

    public String admin() {
        return token(List.of("openid", "doppler.firehose"), List.of(), Duration.ofMinutes(10), key);
    }

    public String reader(String... sourceIds) {
        return token(List.of("openid", "cloud_controller.read"), List.of(sourceIds), Duration.ofMinutes(10), key);
    }

    public String expiredAdmin() {
        return token(List.of("doppler.firehose"), List.of(), Duration.ofMinutes(-10), key);
    }

    public String forgedAdmin() {
        return token(List.of("doppler.firehose"), List.of(), Duration.ofMinutes(10), forger);
    }

    private static String token(List<String> scopes, List<String> sourceIds, Duration validFor, RSAKey signer) {
        return token(ISSUER, scopes, sourceIds, validFor, signer);
    }

    private static String token(String issuer, List<String> scopes, List<String> sourceIds, Duration validFor,
                                RSAKey signer) {
        try {
            Instant now = Instant.now();
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .issuer(issuer)
                    .subject("user-" + UUID.randomUUID())
                    .issueTime(Date.from(now.minus(Duration.ofMinutes(20))))
                    .expirationTime(Date.from(now.plus(validFor)))
                    .claim("scope", scopes)
                    .claim("source_ids", sourceIds)
                    .build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(signer));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
