package dev.hydrant.testsupport.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.cloudfoundry.dropsonde.events.EventFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The recent-log reads as a client writes them from the wire: the v1 {@code multipart/x-protobuf}
 * answer split at its boundary, one dropsonde Envelope per part, and the Log Cache style JSON read
 * with Jackson. Each answer carries how long it took.
 */
public final class RecentClient {

    public record Multipart(int status, String contentType, List<EventFactory.Envelope> envelopes, Duration took) {
    }

    public record Json(int status, JsonNode body, Duration took) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private RecentClient() {
    }

    /** {@code GET uri} (the v1 recent logs) with {@code Authorization: bearer token} unless the token is null. */
    public static Multipart recentLogs(URI uri, String token) throws Exception {
        long start = System.nanoTime();
        HttpResponse<byte[]> response = HTTP.send(request(uri, token), HttpResponse.BodyHandlers.ofByteArray());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        List<EventFactory.Envelope> envelopes = response.statusCode() == 200
                ? MultipartBody.envelopes(response.body(),
                        MultipartBody.boundary(contentType))
                : List.of();
        return new Multipart(response.statusCode(), contentType, envelopes, took);
    }

    /** {@code GET uri} answered with JSON (the Log Cache style read). */
    public static Json read(URI uri, String token) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = HTTP.send(request(uri, token), HttpResponse.BodyHandlers.ofString());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return new Json(response.statusCode(), JSON.readTree(response.body()), took);
    }

    private static HttpRequest request(URI uri, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
        if (token != null) {
            request.header("Authorization", "bearer " + token);
        }
        return request.GET().build();
    }
}
