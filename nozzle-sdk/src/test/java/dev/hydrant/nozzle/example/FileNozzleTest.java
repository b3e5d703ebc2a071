package dev.hydrant.nozzle.example;

import static dev.hydrant.testsupport.envelopes.Envelopes.counter;
import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.nozzle.autoconfigure.NozzleHealthIndicator;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

/** The example nozzle of the README, run as an app through the auto-configuration against a test SSE server. */
class FileNozzleTest {

    @TempDir
    Path dir;

    @Test
    void theExampleNozzleConsumesTheFirehose_andWritesAppLogsToItsFile() throws Exception {
        Path file = dir.resolve("logs.txt");
        try (FakeTrafficController server = new FakeTrafficController().start();
             ConfigurableApplicationContext app = new SpringApplicationBuilder(FileNozzle.class).run(
                     "--hydrant.nozzle.url=" + server.baseUrl(),
                     "--hydrant.nozzle.token=secret",
                     "--hydrant.nozzle.subscription-id=file-nozzle",
                     "--nozzle.file=" + file)) {
            await().until(() -> server.subscribers() == 1);

            server.publish(log("app-1", "hello"), counter("app-1", "requests", 1), log("app-2", "world"));

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Files.exists(file) && Files.readAllLines(file).size() == 2);
            assertThat(Files.readAllLines(file)).containsExactly("app-1 hello", "app-2 world");
            assertThat(server.requests().get(0))
                    .startsWith("GET /v2/read?shard_id=file-nozzle&log&counter&gauge&timer&event ")
                    .endsWith("| bearer secret");
            assertThat(app.getBean(NozzleHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
        }
    }
}
