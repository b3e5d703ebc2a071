package dev.hydrant.nozzles.splunk.servers;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads {@code /actuator/health/<name>} of a nozzle over HTTP. */
public final class Health {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private Health() {
    }

    public static JsonNode of(int port, String name) throws Exception {
        HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/health/" + name)).build(), HttpResponse.BodyHandlers.ofString());
        return JsonMapper.builder().build().readTree(response.body());
    }

    public static String status(int port, String name) throws Exception {
        return of(port, name).path("status").asString();
    }
}
