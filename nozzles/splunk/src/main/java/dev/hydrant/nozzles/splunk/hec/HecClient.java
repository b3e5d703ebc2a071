package dev.hydrant.nozzles.splunk.hec;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP side of HEC, on the JDK's {@link HttpClient} (HTTP/1.1, one pooled connection per thread that
 * uses it): {@code POST /services/collector/event} and {@code POST /services/collector/ack}, with
 * {@code Authorization: Splunk <token>} and, for acknowledgement, the {@code X-Splunk-Request-Channel} header.
 * Thread-safe.
 */
public final class HecClient {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final int TEXT_LIMIT = 200;

    private final URI events;
    private final URI acks;
    private final String authorization;
    private final String channel;
    private final Duration requestTimeout;
    private final HttpClient client;

    /**
     * @param url     the HEC's base address ({@code https://host:8088})
     * @param tls     the TLS context for https (trusting the configured CA), or null for the JDK's default
     * @param channel the request channel (a UUID), or null without acknowledgement
     */
    public HecClient(URI url, String token, SSLContext tls, String channel, Duration connectTimeout,
                     Duration requestTimeout) {
        String base = url.toString().replaceAll("/+$", "");
        this.events = URI.create(base + "/services/collector/event");
        this.acks = URI.create(base + "/services/collector/ack");
        this.authorization = "Splunk " + token;
        this.channel = channel;
        this.requestTimeout = requestTimeout;
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.client = builder.build();
    }

    public URI eventsUri() {
        return events;
    }

    /** Posts one body of concatenated event objects. */
    public HecAnswer post(byte[] body, boolean gzipped) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(events).header("Content-Type", "application/json");
        if (gzipped) {
            request.header("Content-Encoding", "gzip");
        }
        return answer(client.send(request.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray()));
    }

    /** Which of {@code ids} are indexed: {@code {"acks":[..]}} answered by {@code {"acks":{"id":true|false}}}. */
    public Map<Long, Boolean> acknowledged(List<Long> ids) throws IOException, InterruptedException {
        byte[] body = JSON.writeValueAsBytes(Map.of("acks", ids));
        HttpResponse<byte[]> response = client.send(request(acks).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("the HEC answered the acknowledgement query " + answer(response).describe());
        }
        Map<Long, Boolean> result = new HashMap<>();
        try {
            JsonNode answered = JSON.readTree(response.body()).path("acks");
            for (Long id : ids) {
                result.put(id, answered.path(Long.toString(id)).asBoolean(false));
            }
        } catch (JacksonException e) {
            throw new IOException("the HEC's acknowledgement answer is not JSON", e);
        }
        return result;
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(requestTimeout)
                .header("Authorization", authorization);
        if (channel != null) {
            builder.header("X-Splunk-Request-Channel", channel);
        }
        return builder;
    }

    private static HecAnswer answer(HttpResponse<byte[]> response) {
        Duration retryAfter = retryAfter(response.headers().firstValue("Retry-After"));
        byte[] body = response.body();
        try {
            JsonNode json = JSON.readTree(body);
            if (json != null && json.isObject()) {
                return new HecAnswer(response.statusCode(), json.path("code").asInt(-1), json.path("text").asString(""),
                        json.path("ackId").asLong(-1), json.path("invalid-event-number").asInt(-1), retryAfter);
            }
        } catch (JacksonException notJson) {
            // a proxy's or load balancer's page: keep its start as the text
        }
        String text = new String(body, 0, Math.min(body.length, TEXT_LIMIT), StandardCharsets.UTF_8).strip();
        return new HecAnswer(response.statusCode(), -1, text, -1, -1, retryAfter);
    }

    /** {@code Retry-After} in seconds; an HTTP date is not honoured (the backoff applies). */
    private static Duration retryAfter(Optional<String> header) {
        if (header.isEmpty()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.get().strip());
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
