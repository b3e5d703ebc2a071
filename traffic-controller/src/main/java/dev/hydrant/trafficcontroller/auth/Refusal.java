package dev.hydrant.trafficcontroller.auth;

import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * A refusal as docs/wire.md words it: the status, the body and, for a 401, a WWW-Authenticate
 * challenge. Written either straight to a response (before a websocket upgrade) or as a
 * functional {@link ServerResponse}.
 */
public record Refusal(HttpStatus status, MediaType contentType, String body, String reason) {

    private static final String CHALLENGE = "Bearer realm=\"hydrant\"";

    /**
     * The v1 endpoints (websockets, recent logs): the firehose answers 401 for every failure; an
     * app answers 401 without a token and 404 for anything else, so an app's existence is not
     * told to someone who may not read it.
     */
    public static Refusal v1(AuthFailure failure, boolean firehose) {
        if (firehose || failure == AuthFailure.NO_TOKEN) {
            return new Refusal(HttpStatus.UNAUTHORIZED, MediaType.TEXT_PLAIN,
                    "You are not authorized. Error: " + failure.message(), failure.reason());
        }
        return new Refusal(HttpStatus.NOT_FOUND, MediaType.TEXT_PLAIN, "Not Found", failure.reason());
    }

    /** A JSON error of the v2 and Log Cache style APIs: {@code {"error": "...", "message": "..."}}. */
    public static Refusal json(HttpStatus status, String error, String message, String reason) {
        return new Refusal(status, MediaType.APPLICATION_JSON,
                "{\"error\":\"" + error + "\",\"message\":\"" + message + "\"}", reason);
    }

    /** Every auth failure of the v2 and Log Cache style APIs: 404 not_found. */
    public static Refusal notFound(AuthFailure failure) {
        return json(HttpStatus.NOT_FOUND, "not_found", "resource not found", failure.reason());
    }

    public Mono<Void> writeTo(ServerHttpResponse response) {
        response.setStatusCode(status);
        response.getHeaders().setContentType(contentType);
        if (status == HttpStatus.UNAUTHORIZED) {
            response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
    }

    public Mono<ServerResponse> toResponse() {
        ServerResponse.BodyBuilder builder = ServerResponse.status(status).contentType(contentType);
        if (status == HttpStatus.UNAUTHORIZED) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
        }
        return builder.bodyValue(body);
    }
}
