package dev.hydrant.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.standalone.stack.StandaloneStack;
import dev.hydrant.standalone.token.SigningKey;
import dev.hydrant.standalone.token.TokenMinter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone needs no database set up: the Traffic Controller keeps drain bindings in its data directory,
 * where they survive a restart, and allows drains to a listener on this machine (loopback).
 */
class StandaloneDrainsTest {

    @TempDir
    java.nio.file.Path home;

    @Test
    void aLoopbackDrainIsBound_keptInTheDataDirectory_andStillThereAfterARestart() throws Exception {
        String body = "{\"source_id\":\"local-app\",\"url\":\"syslog://127.0.0.1:5514\"}";
        try (StandaloneStack stack = TestStacks.start(home)) {
            HttpResponse<String> created = send(stack, "POST", body);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
        assertThat(home.resolve("drains")).isDirectoryContaining("glob:**/drains.mv.db");

        try (StandaloneStack again = TestStacks.start(home)) {
            HttpResponse<String> listed = send(again, "GET", null);
            assertThat(listed.statusCode()).isEqualTo(200);
            assertThat(listed.body()).contains("\"url\":\"syslog://127.0.0.1:5514\"");
        }
    }

    private HttpResponse<String> send(StandaloneStack stack, String method, String body) throws Exception {
        DataDirectory data = new DataDirectory(home);
        String token = new TokenMinter(SigningKey.loadOrCreate(data.signingKey(), data.verificationKey()),
                Clock.systemUTC()).admin(Duration.ofMinutes(5));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(stack.trafficControllerUrl()
                        + (body == null ? "/v1/drains?source_id=local-app" : "/v1/drains")))
                .header("Authorization", "bearer " + token).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
