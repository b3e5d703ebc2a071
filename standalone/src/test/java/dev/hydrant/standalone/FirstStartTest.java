package dev.hydrant.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.standalone.stack.StandaloneStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirstStartTest {

    @TempDir
    Path home;

    @Test
    void firstStartMakesTheCaCertificatesAndSigningKey_secondStartReusesThem() throws Exception {
        Map<Path, byte[]> made;
        try (StandaloneStack first = TestStacks.start(home)) {
            assertThat(first.createdKeys()).isTrue();
            assertThat(home.resolve("pki")).isDirectoryContaining("glob:**/ca.crt")
                    .isDirectoryContaining("glob:**/doppler.crt")
                    .isDirectoryContaining("glob:**/metron.crt")
                    .isDirectoryContaining("glob:**/traffic-controller.crt");
            assertThat(Files.getPosixFilePermissions(home.resolve("token-signing.key")))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.readString(home.resolve("token-signing.pub"))).startsWith("-----BEGIN PUBLIC KEY-----");
            made = contents();
        }

        try (StandaloneStack second = TestStacks.start(home)) {
            assertThat(second.createdKeys()).isFalse();
            assertThat(second.trafficControllerUrl()).startsWith("http://127.0.0.1:");
        }
        Map<Path, byte[]> after = contents();
        assertThat(after.keySet()).containsAll(made.keySet());
        made.forEach((file, bytes) -> assertThat(after.get(file)).as(file.toString()).isEqualTo(bytes));
    }

    private Map<Path, byte[]> contents() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(home)) {
            // the drain bindings' database is written by every start; the keys and certificates must not be
            files = walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                    .filter(f -> !f.startsWith(home.resolve("drains")))
                    .toList();
        }
        return files.stream().collect(Collectors.toMap(f -> f, f -> {
            try {
                return Files.readAllBytes(f);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
    }
}
