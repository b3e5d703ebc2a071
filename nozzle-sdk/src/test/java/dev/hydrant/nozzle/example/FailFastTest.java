package dev.hydrant.nozzle.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example nozzle as its own process with hydrant.nozzle.fail-fast=true against a Traffic Controller refusing it. */
class FailFastTest {

    @TempDir
    Path dir;

    @Test
    void withFailFast_aRefusedTokenStopsTheAppWithExitStatus1_andSaysWhy() throws Exception {
        try (FakeTrafficController server = new FakeTrafficController().start().token("good", "*")) {
            Path output = dir.resolve("output.txt");
            Process nozzle = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), FileNozzle.class.getName(),
                    "--hydrant.nozzle.url=" + server.baseUrl(), "--hydrant.nozzle.token=stale",
                    "--hydrant.nozzle.fail-fast=true", "--hydrant.nozzle.reconnect.min-backoff=50ms",
                    "--nozzle.file=" + dir.resolve("logs.txt")))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            try {
                assertThat(nozzle.waitFor(120, TimeUnit.SECONDS)).as("the nozzle exited").isTrue();
                String log = Files.readString(output);
                assertThat(nozzle.exitValue()).as(log).isEqualTo(1);
                assertThat(log).contains("refused the token").contains("check hydrant.nozzle.token")
                        .contains("failing fast")
                        .contains("Stopping the nozzle with exit status 1 (hydrant.nozzle.fail-fast=true)");
            } finally {
                nozzle.destroyForcibly();
            }
        }
    }
}
