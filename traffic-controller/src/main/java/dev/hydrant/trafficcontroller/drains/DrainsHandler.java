package dev.hydrant.trafficcontroller.drains;

import dev.hydrant.trafficcontroller.auth.AuthException;
import dev.hydrant.trafficcontroller.auth.AuthFailure;
import dev.hydrant.trafficcontroller.auth.Authorizer;
import dev.hydrant.trafficcontroller.auth.Caller;
import dev.hydrant.trafficcontroller.auth.Rejections;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * {@code /v1/drains}: bind a drain to a source id, list the bindings, unbind one (the contract is in
 * traffic-controller/README.md). Auth as the app streams: a caller may bind to, list and unbind from the
 * source ids it may read; an admin sees every binding, and only an admin may list them with their secrets. No
 * token or a token that fails the check answers 401; a source id the caller may not read, or a binding that
 * does not exist, 404 not_found. Auth refusals and requests that are not understood (no JSON, no source_id)
 * count in {@code rejected_requests{reason}}, bindings refused by {@link Drains} in {@code drains.changes}.
 */
public final class DrainsHandler {

    private static final String CHALLENGE = "Bearer realm=\"hydrant\"";

    private final Authorizer authorizer;
    private final Drains drains;
    private final Rejections rejections;

    public DrainsHandler(Authorizer authorizer, Drains drains, Rejections rejections) {
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.drains = Objects.requireNonNull(drains, "drains");
        this.rejections = Objects.requireNonNull(rejections, "rejections");
    }

    /** {@code POST /v1/drains}: 201 with the binding and its Location. */
    public Mono<ServerResponse> create(ServerRequest request) {
        return authorizer.authenticate(request.exchange().getRequest())
                .flatMap(caller -> request.bodyToMono(String.class).defaultIfEmpty("")
                        .onErrorMap(DataBufferLimitException.class,
                                e -> DrainRefusal.invalidRequest("the body is too large"))
                        .map(NewBinding::parse)
                        .doOnError(DrainRefusal.class, e -> rejections.count("bad_request"))
                        .flatMap(binding -> mayRead(caller, binding.sourceId()).thenReturn(binding)))
                .flatMap(drains::create)
                .flatMap(binding -> ServerResponse.created(URI.create("/v1/drains/" + binding.id()))
                        .contentType(MediaType.APPLICATION_JSON).bodyValue(BindingJson.one(binding)))
                .onErrorResume(AuthException.class, this::refuse)
                .onErrorResume(DrainRefusal.class, DrainsHandler::refuse);
    }

    /**
     * {@code GET /v1/drains?source_id=ID}: the bindings of one source id; without it every binding (admins); with
     * {@code include_secrets=true} (admins only) every binding with full URLs, PEM and the generation.
     */
    public Mono<ServerResponse> list(ServerRequest request) {
        Optional<String> sourceId = request.queryParam("source_id").filter(id -> !id.isBlank());
        boolean secrets = request.queryParam("include_secrets").filter("true"::equalsIgnoreCase).isPresent();
        return authorizer.authenticate(request.exchange().getRequest())
                .flatMap(caller -> {
                    if (secrets) {
                        return admin(caller).then(drains.snapshot()).map(snapshot -> BindingJson.list(
                                snapshot.bindings().stream()
                                        .filter(b -> sourceId.isEmpty() || b.sourceId().equals(sourceId.get()))
                                        .toList(), true, snapshot.generation()));
                    }
                    if (sourceId.isEmpty()) {
                        if (!caller.admin()) {
                            rejections.count("bad_request");
                            return Mono.error(DrainRefusal.invalidRequest("source_id is required"));
                        }
                        return drains.all().map(all -> BindingJson.list(all, false, null));
                    }
                    return mayRead(caller, sourceId.get()).then(drains.bySource(sourceId.get()))
                            .map(bound -> BindingJson.list(bound, false, null));
                })
                .flatMap(json -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(json))
                .onErrorResume(AuthException.class, this::refuse)
                .onErrorResume(DrainRefusal.class, DrainsHandler::refuse);
    }

    /** {@code DELETE /v1/drains/{id}}: 204, or 404 when there is no such binding the caller may read. */
    public Mono<ServerResponse> delete(ServerRequest request) {
        return authorizer.authenticate(request.exchange().getRequest())
                .flatMap(caller -> {
                    UUID id;
                    try {
                        id = UUID.fromString(request.pathVariable("id"));
                    } catch (IllegalArgumentException e) {
                        return Mono.error(DrainRefusal.notFound());
                    }
                    return drains.find(id)
                            .flatMap(found -> found.map(Mono::just).orElseGet(() -> Mono.error(DrainRefusal.notFound())))
                            .flatMap(binding -> mayRead(caller, binding.sourceId()).thenReturn(binding));
                })
                .flatMap(drains::delete)
                .flatMap(deleted -> deleted ? ServerResponse.noContent().build() : Mono.error(DrainRefusal.notFound()))
                .onErrorResume(AuthException.class, this::refuse)
                .onErrorResume(DrainRefusal.class, DrainsHandler::refuse);
    }

    private Mono<Void> mayRead(Caller caller, String sourceId) {
        return authorizer.canRead(caller, sourceId).flatMap(allowed -> allowed
                ? Mono.<Void>empty()
                : Mono.error(new AuthException(AuthFailure.NOT_PERMITTED)));
    }

    private static Mono<Void> admin(Caller caller) {
        return caller.admin() ? Mono.empty() : Mono.error(new AuthException(AuthFailure.MISSING_SCOPE));
    }

    private Mono<ServerResponse> refuse(AuthException e) {
        rejections.count(e.failure());
        if (e.failure() == AuthFailure.NO_TOKEN || e.failure() == AuthFailure.INVALID_TOKEN) {
            return ServerResponse.status(HttpStatus.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(BindingJson.error("unauthorized", e.failure().message()));
        }
        return refuse(DrainRefusal.notFound());
    }

    private static Mono<ServerResponse> refuse(DrainRefusal refusal) {
        return ServerResponse.status(refusal.status()).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(BindingJson.error(refusal.error(), refusal.getMessage()));
    }
}
