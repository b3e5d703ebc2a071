package dev.hydrant.testsupport.fake;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * Who the fake lets read: everyone until tokens are granted or the accepted Authorization headers
 * are named; a refusal is answered as the Traffic Controller's v1 endpoints answer it.
 */
final class Gate {

    private final Map<String, Set<String>> grants = new ConcurrentHashMap<>(Map.of(FakeTrafficController.ADMIN, Set.of("*")));
    /** Whether (Authorization header, app id or null for the firehose) may read. */
    private volatile BiPredicate<String, String> authorizes = (authorization, app) -> true;

    /** Checks tokens from now on, and lets {@code token} read these apps ("*": every app). */
    void grant(String token, String... apps) {
        grants.put(token, Set.of(apps));
        authorizes = this::granted;
    }

    void accept(Predicate<String> authorization) {
        authorizes = (header, app) -> authorization.test(header);
    }

    /** 0 when allowed, else the v1 status: 401 without a token or for the firehose, else 404. */
    int refusal(String authorization, String app) {
        if (authorizes.test(authorization, app)) {
            return 0;
        }
        return authorization.isBlank() || app == null ? 401 : 404;
    }

    private boolean granted(String authorization, String app) {
        Set<String> apps = grants.get(authorization.replaceFirst("(?i)^bearer ", ""));
        return apps != null && (apps.contains("*") || app != null && apps.contains(app));
    }
}
