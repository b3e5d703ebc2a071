package dev.hydrant.it.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** {@code POST /v1/drains} as any HTTP client sends it, written from the API's contract. */
final class DrainsHttp {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final String baseUrl;

    DrainsHttp(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    record Answer(int status, String body) {
    }

    Answer create(String token, String sourceId, String url) {
        String body = "{\"source_id\":\"" + sourceId + "\",\"url\":\"" + url + "\"}";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/drains"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "bearer " + token);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
