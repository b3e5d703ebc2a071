package dev.hydrant.trafficcontroller.drains;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.trafficcontroller.support.TrafficControllerRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/drains} on a real Traffic Controller with its embedded H2 database: what a user creates, lists
 * and deletes, each refusal with its status and error, credentials never shown, and the counts. Public test
 * addresses (203.0.113.0/24) pass the default blocked ranges without DNS.
 */
class DrainsApiTest {

    @TempDir
    static Path dir;

    private static TrafficControllerRunner tc;
    private static DrainsClient api;

    @BeforeAll
    static void start() throws Exception {
        tc = new TrafficControllerRunner(dir, 1, Map.of("hydrant.traffic-controller.drains.max-drains-per-source", "3"));
        api = new DrainsClient(tc.httpPort());
    }

    @AfterAll
    static void stop() {
        tc.close();
    }

    @Test
    void aReaderOfTheApp_bindsADrain_seesItRedacted_andDeletesIt() {
        String reader = tc.issuer.reader("app-bind");

        DrainsClient.Answer created = api.create(reader, "app-bind",
                "syslog-tls://user:s3cret@203.0.113.10:6514/?drain-type=all&disable-metadata=true");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonObject binding = created.json();
        String id = binding.get("id").getAsString();
        assertThat(created.location()).isEqualTo("/v1/drains/" + id);
        assertThat(binding.get("source_id").getAsString()).isEqualTo("app-bind");
        assertThat(binding.get("url").getAsString())
                .isEqualTo("syslog-tls://user:****@203.0.113.10:6514/?drain-type=all&disable-metadata=true");
        assertThat(binding.get("drain_type").getAsString()).isEqualTo("all");
        assertThat(binding.get("disable_metadata").getAsBoolean()).isTrue();
        assertThat(binding.get("client_cert").getAsBoolean()).isFalse();
        assertThat(binding.get("ca").getAsBoolean()).isFalse();
        assertThat(binding.get("created_at").getAsString()).endsWith("Z");

        DrainsClient.Answer listed = api.list(reader, "?source_id=app-bind");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.drains()).containsExactly(binding);
        assertThat(listed.body()).doesNotContain("s3cret");

        assertThat(api.delete(reader, id).status()).isEqualTo(204);
        assertThat(api.list(reader, "?source_id=app-bind").drains()).isEmpty();
        assertThat(api.delete(reader, id).status()).isEqualTo(404);
        assertThat(tc.counter("drains.changes", "action", "created")).isPositive();
        assertThat(tc.counter("drains.changes", "action", "deleted")).isPositive();
    }

    @Test
    void anAdmin_listsEveryBinding_andWithSecretsTheFullUrlsPemAndGeneration() throws Exception {
        TlsFiles client = CertificateAuthority.create("drain-ca").issueFiles(dir.resolve("client"), "client");
        JsonObject body = new JsonObject();
        body.addProperty("source_id", "app-secrets");
        body.addProperty("url", "https://user:s3cret@203.0.113.11/drain");
        body.addProperty("cert", Files.readString(client.certFile()));
        body.addProperty("key", Files.readString(client.keyFile()));
        body.addProperty("ca", Files.readString(client.caFile()));
        DrainsClient.Answer created = api.post(tc.issuer.reader("app-secrets"), body.toString());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("client_cert").getAsBoolean()).isTrue();
        assertThat(created.json().get("ca").getAsBoolean()).isTrue();
        assertThat(created.body()).doesNotContain("PRIVATE KEY").doesNotContain("s3cret");

        DrainsClient.Answer all = api.list(tc.issuer.admin(), "");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.body()).contains("https://user:****@203.0.113.11/drain").doesNotContain("s3cret");

        DrainsClient.Answer secrets = api.list(tc.issuer.admin(), "?include_secrets=true");
        assertThat(secrets.status()).isEqualTo(200);
        long generation = secrets.json().get("generation").getAsLong();
        JsonObject full = secrets.drains().asList().stream().map(e -> e.getAsJsonObject())
                .filter(d -> d.get("source_id").getAsString().equals("app-secrets")).findFirst().orElseThrow();
        assertThat(full.get("url").getAsString()).isEqualTo("https://user:s3cret@203.0.113.11/drain");
        assertThat(full.get("cert").getAsString()).isEqualTo(Files.readString(client.certFile()));
        assertThat(full.get("key").getAsString()).isEqualTo(Files.readString(client.keyFile()));
        assertThat(full.get("ca").getAsString()).isEqualTo(Files.readString(client.caFile()));

        api.delete(tc.issuer.admin(), full.get("id").getAsString());
        assertThat(api.list(tc.issuer.admin(), "?include_secrets=true").json().get("generation").getAsLong())
                .isGreaterThan(generation);
    }

    @Test
    void eachBadRequest_isRefusedWithItsStatusAndError_neverEchoingCredentials() {
        String reader = tc.issuer.reader("app-bad");
        Map<String, String> refused = Map.of(
                "syslog://user:s3cret@203.0.113.12", "invalid_url",
                "syslog://user:s3cret@bad host:514", "invalid_url",
                "ftp://user:s3cret@203.0.113.12:21", "unsupported_scheme",
                "syslog://user:s3cret@203.0.113.12:514?drain-type=sometimes", "invalid_parameter",
                "syslog://user:s3cret@127.0.0.1:514", "blocked_address",
                "syslog://user:s3cret@localhost:514", "blocked_address",
                "syslog://user:s3cret@10.0.0.1:514", "blocked_address");
        refused.forEach((url, error) -> {
            DrainsClient.Answer answer = api.create(reader, "app-bad", url);
            assertThat(answer.status()).as(url).isEqualTo(400);
            assertThat(answer.error()).as(url).isEqualTo(error);
            assertThat(answer.body()).as(url).doesNotContain("s3cret");
        });
        assertThat(api.post(reader, "{not json").error()).isEqualTo("invalid_request");
        assertThat(api.post(reader, "{\"source_id\":\"app-bad\"}").message()).isEqualTo("url is required");
        assertThat(api.list(reader, "?source_id=app-bad").drains()).isEmpty();
        assertThat(tc.counter("drains.changes", "action", "refused")).isGreaterThanOrEqualTo(refused.size());
    }

    @Test
    void aDrainOverTheLimit_andTheSameUrlTwice_areConflicts() {
        String reader = tc.issuer.reader("app-full");
        for (int i = 1; i <= 3; i++) {
            assertThat(api.create(reader, "app-full", "syslog://203.0.113.20:" + (500 + i)).status()).isEqualTo(201);
        }

        DrainsClient.Answer same = api.create(reader, "app-full", "syslog://203.0.113.20:501");
        DrainsClient.Answer fourth = api.create(reader, "app-full", "syslog://203.0.113.20:504");

        assertThat(same.status()).isEqualTo(409);
        assertThat(same.error()).isEqualTo("duplicate");
        assertThat(fourth.status()).isEqualTo(409);
        assertThat(fourth.error()).isEqualTo("drain_limit");
        assertThat(fourth.message()).isEqualTo("source id 'app-full' already has 3 drains, the most allowed "
                + "(max-drains-per-source)");
        assertThat(api.list(reader, "?source_id=app-full").drains()).hasSize(3);
    }

    @Test
    void callersWithoutAccess_get401WithoutAToken_and404ForAnotherApp() {
        String stranger = tc.issuer.reader("app-other");
        String owner = tc.issuer.reader("app-owned");
        String id = api.create(owner, "app-owned", "syslog://203.0.113.30:514").json().get("id").getAsString();

        DrainsClient.Answer noToken = api.create(null, "app-owned", "syslog://203.0.113.30:515");
        assertThat(noToken.status()).isEqualTo(401);
        assertThat(noToken.error()).isEqualTo("unauthorized");
        assertThat(api.create("not-a-token", "app-owned", "syslog://203.0.113.30:515").status()).isEqualTo(401);

        for (DrainsClient.Answer answer : new DrainsClient.Answer[] {
                api.create(stranger, "app-owned", "syslog://203.0.113.30:515"),
                api.list(stranger, "?source_id=app-owned"),
                api.delete(stranger, id),
                api.list(stranger, "?include_secrets=true")}) {
            assertThat(answer.status()).as(answer.body()).isEqualTo(404);
            assertThat(answer.error()).isEqualTo("not_found");
        }
        DrainsClient.Answer all = api.list(stranger, "");
        assertThat(all.status()).isEqualTo(400);
        assertThat(all.message()).isEqualTo("source_id is required");
        assertThat(api.list(owner, "?source_id=app-owned").drains()).hasSize(1);
        assertThat(tc.counter("rejected_requests", "reason", "not_permitted")).isPositive();
    }
}
