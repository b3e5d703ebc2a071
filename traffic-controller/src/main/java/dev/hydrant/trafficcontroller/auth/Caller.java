package dev.hydrant.trafficcontroller.auth;

import java.util.Map;
import java.util.Set;

/**
 * Someone whose bearer token was verified.
 *
 * @param token  the raw token, forwarded to the Cloud Controller by that access policy
 * @param scopes the token's scopes
 * @param claims every claim of the token
 */
public record Caller(String token, Set<String> scopes, Map<String, Object> claims) {

    /** Scopes that make a caller an admin, who may read the firehose and every source id. */
    public static final Set<String> ADMIN_SCOPES = Set.of("doppler.firehose", "logs.admin");

    public Caller {
        scopes = Set.copyOf(scopes);
        claims = Map.copyOf(claims);
    }

    public boolean admin() {
        return scopes.stream().anyMatch(ADMIN_SCOPES::contains);
    }

    /** The caller when auth is disabled: an admin with no token. */
    public static Caller anonymousAdmin() {
        return new Caller("", ADMIN_SCOPES, Map.of());
    }
}
