package dev.hydrant.testsupport.tokens;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * The UAA of a test: an RSA signing key and RS256 bearer tokens signed with it (or, to forge them,
 * with a stranger's key under the same key id). The Traffic Controller gets the public half as a
 * PEM file ({@link #writePublicKey}) or as a JWKS ({@link #jwks}, served by {@link TokenIssuer}).
 */
public final class Tokens {

    /** The {@code iss} of every token unless one is named. */
    public static final String ISSUER = "https://uaa.test/oauth/token";

    private static final Duration VALID_FOR = Duration.ofMinutes(10);

    private final RSAKey key;
    private final RSAKey stranger;

    public Tokens() {
        try {
            this.key = new RSAKeyGenerator(2048).keyID("uaa-key").generate();
            this.stranger = new RSAKeyGenerator(2048).keyID("uaa-key").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An operator's token: scope doppler.firehose. */
    public String admin() {
        return adminIssuedBy(ISSUER);
    }

    /** An operator's token naming {@code issuer} as its {@code iss}, signed by the real key. */
    public String adminIssuedBy(String issuer) {
        return sign(key, issuer, List.of("openid", "doppler.firehose"), List.of(), VALID_FOR);
    }

    /** A developer's token that may read the logs of {@code sourceIds} only (claim source_ids). */
    public String reader(String... sourceIds) {
        return sign(key, ISSUER, List.of("openid", "cloud_controller.read"), List.of(sourceIds), VALID_FOR);
    }

    /** An operator's token that expired ten minutes ago (beyond any clock skew). */
    public String expiredAdmin() {
        return sign(key, ISSUER, List.of("doppler.firehose"), List.of(), VALID_FOR.negated());
    }

    /** An operator's token whose {@code iat} is a day ahead (beyond any clock skew), otherwise valid. */
    public String adminIssuedTomorrow() {
        return sign(key, ISSUER, List.of("doppler.firehose"), List.of(), Duration.ofDays(2), Duration.ofDays(1));
    }

    /** An operator's token signed by another key under the same key id. */
    public String forgedAdmin() {
        return sign(stranger, ISSUER, List.of("doppler.firehose"), List.of(), VALID_FOR);
    }

    /** The public key as a JWK Set document. */
    public String jwks() {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    /** Writes the public key as an X.509 SubjectPublicKeyInfo PEM ("PUBLIC KEY") into {@code dir}; answers the file. */
    public Path writePublicKey(Path dir) {
        try {
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(key.toRSAPublicKey().getEncoded());
            Files.createDirectories(dir);
            Path file = dir.resolve("uaa-public-key.pem");
            Files.writeString(file, "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(RSAKey signer, String issuer, List<String> scopes, List<String> sourceIds,
                               Duration validFor) {
        return sign(signer, issuer, scopes, sourceIds, validFor, Duration.ofMinutes(-20));
    }

    private static String sign(RSAKey signer, String issuer, List<String> scopes, List<String> sourceIds,
                               Duration validFor, Duration issuedIn) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject("user-" + UUID.randomUUID())
                .issueTime(Date.from(now.plus(issuedIn)))
                .expirationTime(Date.from(now.plus(validFor)))
                .claim("scope", scopes)
                .claim("source_ids", sourceIds)
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(signer));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
