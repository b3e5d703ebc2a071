package dev.hydrant.nozzles.syslog.bindings;

import dev.hydrant.nozzle.auth.TokenProvider;
import dev.hydrant.nozzles.syslog.drain.Binding;
import dev.hydrant.nozzles.syslog.drain.DrainType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads every binding with its secrets from the Traffic Controller: {@code GET /v1/drains?include_secrets=true}
 * with an admin token (the nozzle's own token settings). A refused token is given back to the provider so that
 * the next read fetches a fresh one.
 */
public final class BindingsClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI uri;
    private final TokenProvider tokens;
    private final Duration timeout;
    private final HttpClient http;

    /** @param baseUrl the Traffic Controller's HTTP address */
    public BindingsClient(URI baseUrl, TokenProvider tokens, Duration timeout) {
        String base = baseUrl.toString().replaceAll("/+$", "");
        this.uri = URI.create(base + "/v1/drains?include_secrets=true");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** What one read gives: every binding and the generation it belongs to. */
    public record Snapshot(long generation, List<Binding> bindings) {
    }

    public Snapshot read() throws IOException, InterruptedException {
        String token = token();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
        if (!token.isEmpty()) {
            request.header("Authorization", "bearer " + token);
        }
        HttpResponse<String> response = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 401 || response.statusCode() == 403 || response.statusCode() == 404) {
            tokens.invalidate(token);
        }
        if (response.statusCode() != 200) {
            throw new IOException("GET " + uri.getPath() + " answered " + response.statusCode());
        }
        try {
            return parse(response.body());
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new IOException("GET " + uri.getPath() + " answered JSON the nozzle cannot read: " + e.getMessage(), e);
        }
    }

    static Snapshot parse(String body) {
        JsonNode root = JSON.readTree(body);
        List<Binding> bindings = new ArrayList<>();
        for (JsonNode drain : root.path("drains")) {
            bindings.add(new Binding(
                    text(drain, "id"), text(drain, "source_id"), text(drain, "url"),
                    DrainType.of(drain.path("drain_type").asString("logs")),
                    drain.path("disable_metadata").asBoolean(false),
                    optional(drain, "cert"), optional(drain, "key"), optional(drain, "ca")));
        }
        return new Snapshot(root.path("generation").asLong(-1), bindings);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isString()) {
            throw new IllegalArgumentException("a binding without " + field);
        }
        return value.asString();
    }

    private static String optional(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isString() || value.asString().isEmpty() ? null : value.asString();
    }

    private String token() throws IOException, InterruptedException {
        try {
            return tokens.token().toFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("cannot get a token: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no token within " + timeout, e);
        }
    }
}
