package dev.hydrant.trafficcontroller.auth;

import reactor.core.publisher.Mono;

/** Decides whether a verified, non-admin caller may read one source id (an app guid). */
public interface AccessPolicy {

    /** Emits true when allowed; never errors (a failed check is a refusal). */
    Mono<Boolean> canRead(Caller caller, String sourceId);
}
