package dev.hydrant.it.trafficcontroller;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
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

/**
 * The UAA of the test: an RSA signing key whose public half the Traffic Controller is given as a
 * PEM file ({@code auth.public-key-file}), and bearer tokens signed with it, or with a stranger's
 * key to forge them.
 */
public final class Tokens {

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

    /** Writes the public key as an X.509 SubjectPublicKeyInfo PEM ("PUBLIC KEY") and returns the file. */
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

    /** An operator's token: scope doppler.firehose. */
    public String admin() {
        return sign(key, List.of("openid", "doppler.firehose"), List.of(), Duration.ofMinutes(10));
    }

    /** A developer's token that may read the logs of {@code sourceIds} only (claim source_ids). */
    public String reader(String... sourceIds) {
        return sign(key, List.of("openid", "cloud_controller.read"), List.of(sourceIds), Duration.ofMinutes(10));
    }

    /** An operator's token that expired ten minutes ago (beyond any clock skew). */
    String expiredAdmin() {
        return sign(key, List.of("doppler.firehose"), List.of(), Duration.ofMinutes(-10));
    }

    /** An operator's token signed by another key under the same key id. */
    String forgedAdmin() {
        return sign(stranger, List.of("doppler.firehose"), List.of(), Duration.ofMinutes(10));
    }

    private static String sign(RSAKey signer, List<String> scopes, List<String> sourceIds, Duration validFor) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer("https://uaa.it.test/oauth/token")
                .subject("it-user")
                .issueTime(Date.from(now.minus(Duration.ofMinutes(30))))
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
