package dev.hydrant.cli.drains;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.hydrant.cli.config.Target;
import dev.hydrant.nozzle.auth.TokenProvider;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

/**
 * The Traffic Controller's {@code /v1/drains} as the CLI calls it: one blocking request per call (the CLI's
 * outermost layer), with the target's token and CA; answers are the status and the JSON body.
 */
public final class DrainsApi {

    /** How long one request may take. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String baseUrl;
    private final HttpClient http;
    private final TokenProvider tokens;

    public DrainsApi(Target target) {
        Objects.requireNonNull(target, "target");
        this.baseUrl = target.url();
        this.http = target.httpClient().responseTimeout(TIMEOUT);
        this.tokens = target.tokens(http);
    }

    /**
     * An answer of the API: the status and the JSON body (an empty object when the body was none or not JSON).
     */
    public record Answer(int status, JsonObject json) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public String error() {
            return text("error");
        }

        public String message() {
            return text("message");
        }

        public String text(String name) {
            JsonElement value = json.get(name);
            return value == null || value.isJsonNull() ? "" : value.getAsString();
        }
    }

    /** POST /v1/drains with {@code body}. */
    public Answer create(JsonObject body) {
        return send(HttpMethod.POST, "/v1/drains", body.toString());
    }

    /** GET /v1/drains, of one source id when it is not null. */
    public Answer list(String sourceId) {
        return send(HttpMethod.GET, sourceId == null ? "/v1/drains"
                : "/v1/drains?source_id=" + URLEncoder.encode(sourceId, StandardCharsets.UTF_8), null);
    }

    /** DELETE /v1/drains/{id}. */
    public Answer delete(String id) {
        return send(HttpMethod.DELETE, "/v1/drains/" + URLEncoder.encode(id, StandardCharsets.UTF_8), null);
    }

    private Answer send(HttpMethod method, String path, String body) {
        return tokens.token().flatMap(token -> http
                        .headers(headers -> {
                            if (!token.isEmpty()) {
                                headers.set(HttpHeaderNames.AUTHORIZATION, "bearer " + token);
                            }
                            if (body != null) {
                                headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
                            }
                        })
                        .request(method)
                        .uri(baseUrl + path)
                        .send(body == null ? ByteBufFlux.empty() : ByteBufFlux.fromString(Mono.just(body)))
                        .responseSingle((response, bytes) -> bytes.asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                                .map(text -> new Answer(response.status().code(), json(text)))))
                .timeout(TIMEOUT)
                .block();
    }

    private static JsonObject json(String text) {
        try {
            JsonElement parsed = JsonParser.parseString(text);
            return parsed.isJsonObject() ? parsed.getAsJsonObject() : new JsonObject();
        } catch (JsonParseException e) {
            return new JsonObject();
        }
    }
}
