package dev.hydrant.trafficcontroller.auth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Objects;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Who may do what: finds the bearer token (Authorization header, else the authorization
 * cookie), verifies it, and decides admin rights (scope doppler.firehose or logs.admin) and
 * access to one source id (admins read all; others ask the {@link AccessPolicy}). Failures are
 * {@link AuthException}s; each endpoint turns them into the status and body docs/wire.md gives it.
 */
public final class Authorizer {

    private final TokenVerifier verifier;
    private final AccessPolicy policy;

    /** @param verifier null when auth is disabled: every caller is then an admin */
    public Authorizer(TokenVerifier verifier, AccessPolicy policy) {
        this.verifier = verifier;
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** The verified caller of this request. */
    public Mono<Caller> authenticate(ServerHttpRequest request) {
        if (verifier == null) {
            return Mono.just(Caller.anonymousAdmin());
        }
        String token = token(request);
        if (token == null) {
            return Mono.error(new AuthException(AuthFailure.NO_TOKEN));
        }
        return verifier.verify(token);
    }

    /** The caller, when an admin. */
    public Mono<Caller> requireAdmin(ServerHttpRequest request) {
        return authenticate(request).flatMap(caller -> caller.admin()
                ? Mono.just(caller)
                : Mono.error(new AuthException(AuthFailure.MISSING_SCOPE)));
    }

    /** The caller, when allowed to read {@code sourceId}. */
    public Mono<Caller> requireRead(ServerHttpRequest request, String sourceId) {
        return authenticate(request).flatMap(caller -> requireRead(caller, sourceId));
    }

    /** The caller, when an admin or allowed to read every one of {@code sourceIds} (which must not be empty). */
    public Mono<Caller> requireReadAll(Caller caller, Collection<String> sourceIds) {
        if (caller.admin()) {
            return Mono.just(caller);
        }
        if (sourceIds.isEmpty()) {
            return Mono.error(new AuthException(AuthFailure.MISSING_SCOPE));
        }
        return Flux.fromIterable(sourceIds)
                .flatMap(id -> policy.canRead(caller, id), 4)
                .all(Boolean::booleanValue)
                .flatMap(all -> all ? Mono.just(caller) : Mono.error(new AuthException(AuthFailure.NOT_PERMITTED)));
    }

    private Mono<Caller> requireRead(Caller caller, String sourceId) {
        if (caller.admin()) {
            return Mono.just(caller);
        }
        return policy.canRead(caller, sourceId).flatMap(allowed -> allowed
                ? Mono.just(caller)
                : Mono.error(new AuthException(AuthFailure.NOT_PERMITTED)));
    }

    /** Whether a caller may read one source id (admins may read all). */
    public Mono<Boolean> canRead(Caller caller, String sourceId) {
        return caller.admin() ? Mono.just(true) : policy.canRead(caller, sourceId);
    }

    static String token(ServerHttpRequest request) {
        String token = headerToken(request);
        return token != null ? token : cookieToken(request);
    }

    /**
     * Whether this request's token would come from the authorization cookie, which a browser sends by
     * itself, also on a request another site's page makes: so {@link CookieOriginCheck} looks at its Origin.
     */
    public static boolean tokenFromCookie(ServerHttpRequest request) {
        return headerToken(request) == null && cookieToken(request) != null;
    }

    private static String headerToken(ServerHttpRequest request) {
        return strip(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
    }

    private static String cookieToken(ServerHttpRequest request) {
        HttpCookie cookie = request.getCookies().getFirst("authorization");
        if (cookie == null) {
            return null;
        }
        try {
            return strip(URLDecoder.decode(cookie.getValue(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return strip(cookie.getValue()); // a broken %-escape: checked as it is, and refused as an invalid token
        }
    }

    private static String strip(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        // strip(), not trim(): a token of only Unicode spaces is no token
        String trimmed = value.strip();
        if (trimmed.regionMatches(true, 0, "bearer", 0, 6)
                && (trimmed.length() == 6 || Character.isWhitespace(trimmed.charAt(6)))) {
            trimmed = trimmed.substring(6).strip();
        }
        return trimmed.isEmpty() ? null : trimmed;
    }
}
