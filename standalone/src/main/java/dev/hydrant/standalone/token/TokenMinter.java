package dev.hydrant.standalone.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Mints development bearer tokens (RS256 JWTs) that the standalone Traffic Controller accepts: an
 * admin token carries the scopes {@code doppler.firehose} and {@code logs.admin} (the firehose and
 * every app); an app token lists the source ids it may read in the {@code source_ids} claim (the
 * Traffic Controller's default claim policy).
 */
public final class TokenMinter {

    /** The {@code iss} of every development token. */
    public static final String ISSUER = "hydrant-standalone";
    /** Scopes of an admin token. */
    public static final List<String> ADMIN_SCOPES = List.of("doppler.firehose", "logs.admin");
    /** The claim listing the source ids an app token may read. */
    public static final String SOURCE_IDS_CLAIM = "source_ids";

    private final RSAKey key;
    private final Clock clock;

    public TokenMinter(SigningKey signingKey, Clock clock) {
        Objects.requireNonNull(signingKey, "signingKey");
        this.clock = Objects.requireNonNull(clock, "clock");
        try {
            this.key = new RSAKey.Builder(signingKey.publicKey()).privateKey(signingKey.privateKey())
                    .keyIDFromThumbprint().build();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot use the token-signing key", e);
        }
    }

    /** A token for the firehose and every source id, valid for {@code ttl}. */
    public String admin(Duration ttl) {
        return mint("hydrant-admin", ADMIN_SCOPES, List.of(), ttl);
    }

    /** A token that may read exactly {@code sourceIds}, valid for {@code ttl}. */
    public String forSources(List<String> sourceIds, Duration ttl) {
        if (sourceIds.isEmpty()) {
            throw new IllegalArgumentException("name at least one source id");
        }
        return mint("hydrant-app-reader", List.of("logs.read"), List.copyOf(sourceIds), ttl);
    }

    private String mint(String subject, List<String> scopes, List<String> sourceIds, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("the token lifetime must be positive, was " + ttl);
        }
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(subject)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .claim("client_id", subject)
                .claim("scope", scopes);
        if (!sourceIds.isEmpty()) {
            claims.claim(SOURCE_IDS_CLAIM, sourceIds);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(key.getKeyID()).build(), claims.build());
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
        return jwt.serialize();
    }
}
