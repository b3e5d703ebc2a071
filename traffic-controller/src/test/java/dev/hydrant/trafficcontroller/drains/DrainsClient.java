package dev.hydrant.trafficcontroller.drains;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client of {@code /v1/drains}, written from the API's contract. */
final class DrainsClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final String baseUrl;

    DrainsClient(int port) {
        this.baseUrl = "http://127.0.0.1:" + port;
    }

    /** One answer: status, Location header, body. */
    record Answer(int status, String location, String body) {

        JsonObject json() {
            return JsonParser.parseString(body).getAsJsonObject();
        }

        String error() {
            return json().get("error").getAsString();
        }

        String message() {
            return json().get("message").getAsString();
        }

        JsonArray drains() {
            return json().getAsJsonArray("drains");
        }
    }

    Answer create(String token, String sourceId, String url) {
        JsonObject body = new JsonObject();
        body.addProperty("source_id", sourceId);
        body.addProperty("url", url);
        return post(token, body.toString());
    }

    Answer post(String token, String body) {
        return send(token, HttpRequest.newBuilder(URI.create(baseUrl + "/v1/drains"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Answer list(String token, String query) {
        return send(token, HttpRequest.newBuilder(URI.create(baseUrl + "/v1/drains" + query)).GET());
    }

    Answer delete(String token, String id) {
        return send(token, HttpRequest.newBuilder(URI.create(baseUrl + "/v1/drains/" + id)).DELETE());
    }

    private static Answer send(String token, HttpRequest.Builder request) {
        if (token != null) {
            request.header("Authorization", "bearer " + token);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Location").orElse(null),
                    response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
