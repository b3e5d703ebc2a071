package dev.hydrant.cli.config;

import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.cli.CliRun;
import dev.hydrant.cli.ExitCode;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hydrant login}, {@code target} and {@code logout}, and the stored config used by the other commands. */
class LoginCommandTest {

    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.very-secret-token";

    @TempDir
    Path home;

    private final FakeTrafficController server = new FakeTrafficController().token(TOKEN, "app-1").start();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void login_storesTargetAndTokenWithMode600_andNeverPrintsTheToken() throws Exception {
        CliRun run = new CliRun(home, Map.of());

        assertThat(run.run("login", "--target", server.baseUrl() + "/", "--token", TOKEN)).isEqualTo(ExitCode.OK);

        Path file = home.resolve("config.json");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(home)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(run.out() + run.err()).doesNotContain(TOKEN).doesNotContain("very-secret");
        assertThat(run.outLines()).containsExactly("Target " + server.baseUrl() + ": token stored in " + file + " (mode 600)");
        CliConfig stored = new ConfigStore(home).load();
        assertThat(stored.target()).isEqualTo(server.baseUrl());
        assertThat(stored.token()).isEqualTo(TOKEN);
        assertThat(stored.toString()).doesNotContain(TOKEN);

        CliRun target = new CliRun(home, Map.of());
        assertThat(target.run("target")).isEqualTo(ExitCode.OK);
        assertThat(target.outLines()).containsExactly("target: " + server.baseUrl() + " (config)", "auth:   stored token");
    }

    @Test
    void theStoredTargetAndTokenAreUsed_andTheEnvironmentOverridesThem() throws Exception {
        server.recentLogs("app-1", List.of(log("app-1", "stored works", 1_000_000_000L)));
        new CliRun(home, Map.of()).run("login", "--target", server.baseUrl(), "--token", TOKEN);

        CliRun stored = new CliRun(home, Map.of());
        assertThat(stored.run("logs", "app-1", "--recent")).isEqualTo(ExitCode.OK);
        assertThat(stored.out()).contains("stored works");

        CliRun overridden = new CliRun(home, Map.of("HYDRANT_TOKEN", "other-token"));
        assertThat(overridden.run("logs", "app-1", "--recent")).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(server.requests()).last().asString().endsWith("| bearer other-token");

        // a port that is bound (no one else can take it) but not listening: connections are refused
        try (Socket notListening = new Socket()) {
            notListening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            String closedPort = "http://127.0.0.1:" + notListening.getLocalPort();
            CliRun elsewhere = new CliRun(home, Map.of("HYDRANT_TARGET", closedPort));
            elsewhere.run("logs", "app-1", "--recent");
            assertThat(elsewhere.errLines()).containsExactly(
                    "cannot reach the Traffic Controller at " + closedPort + ": connection refused");
        }
    }

    @Test
    void logout_removesTheCredentialsButKeepsTheTarget() throws Exception {
        new CliRun(home, Map.of()).run("login", "--target", server.baseUrl(), "--token", TOKEN);

        assertThat(new CliRun(home, Map.of()).run("logout")).isEqualTo(ExitCode.OK);

        assertThat(Files.readString(home.resolve("config.json"))).doesNotContain(TOKEN).contains(server.baseUrl());
        assertThat(Files.getPosixFilePermissions(home.resolve("config.json")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void clientCredentials_areStoredWithoutEchoingTheSecret() throws Exception {
        CliRun run = new CliRun(home, Map.of());

        assertThat(run.run("login", "--target", "https://hydrant.example.com", "--client-id", "cli",
                "--client-secret", "s3cr3t-value", "--token-url", "https://uaa.example.com/oauth/token")).isEqualTo(ExitCode.OK);

        assertThat(run.out()).doesNotContain("s3cr3t-value").contains("client credentials for 'cli'");
        CliConfig stored = new ConfigStore(home).load();
        assertThat(stored.clientSecret()).isEqualTo("s3cr3t-value");
        assertThat(stored.tokenUrl()).isEqualTo("https://uaa.example.com/oauth/token");
    }

    @Test
    void badLoginArguments_areOneLineUsageErrors() {
        CliRun notUrl = new CliRun(home, Map.of());
        assertThat(notUrl.run("login", "--target", "localhost:8081")).isEqualTo(ExitCode.USAGE);
        assertThat(notUrl.errLines()).containsExactly("the target 'localhost:8081' must be an http:// or https:// URL");

        CliRun both = new CliRun(home, Map.of());
        assertThat(both.run("login", "--token", "t", "--client-id", "x")).isEqualTo(ExitCode.USAGE);
        assertThat(both.errLines()).containsExactly("give either --token or --client-id, --client-secret and --token-url, not both");

        CliRun missingCa = new CliRun(home, Map.of());
        assertThat(missingCa.run("login", "--ca-file", home.resolve("nope.pem").toString())).isEqualTo(ExitCode.USAGE);
        assertThat(missingCa.err()).contains("does not exist");
        assertThat(Files.exists(home.resolve("config.json"))).isFalse();
    }
}
