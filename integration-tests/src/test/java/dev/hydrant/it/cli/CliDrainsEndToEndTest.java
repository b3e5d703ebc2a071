package dev.hydrant.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.cli.ExitCode;
import dev.hydrant.it.Pipe;
import dev.hydrant.it.trafficcontroller.Closer;
import dev.hydrant.it.trafficcontroller.TrafficControllerNode;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.testsupport.tokens.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hydrant drain create|delete} and {@code hydrant drains} against a real Traffic Controller and its
 * embedded database: what a user binds, lists and unbinds, and each refusal as one line with its exit code,
 * the same refusal the API itself gives ({@link DrainsHttp}). Drains point at public test addresses
 * (203.0.113.0/24), which pass the default blocked ranges and need no DNS; nothing is sent to them here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliDrainsEndToEndTest {

    @TempDir
    static Path dir;

    private final Closer closer = new Closer();
    private final Tokens tokens = new Tokens();
    private TrafficControllerNode tc;
    private DrainsHttp api;

    @BeforeAll
    void startTheTrafficController() {
        Pipe pipe = closer.keep(Pipe.start(dir));
        tc = closer.keep(TrafficControllerNode.start(pipe, "traffic-controller", pipe.dopplerAddresses(),
                tokens.writePublicKey(dir.resolve("uaa")), Map.of()));
        api = new DrainsHttp(tc.baseUrl());
    }

    @AfterAll
    void stop() throws Exception {
        closer.close();
    }

    private CliSession hydrant(String token) throws Exception {
        return new CliSession(Files.createTempDirectory(dir, "home"), tc.baseUrl(), token);
    }

    @Test
    void aDrainIsBound_listed_andUnboundByItsUrl_credentialsNeverPrinted() throws Exception {
        String reader = tokens.reader("app-d");
        CliSession create = hydrant(reader);
        assertThat(create.run("drain", "create", "app-d", "syslog://user:s3cret@203.0.113.1:514", "--type", "all"))
                .as(create::err).isEqualTo(ExitCode.OK);
        assertThat(create.outLines()).singleElement().asString()
                .matches("Drain [0-9a-f-]{36} bound to app-d: syslog://user:\\*\\*\\*\\*@203.0.113.1:514\\?drain-type=all \\(all\\)");

        CliSession list = hydrant(reader);
        assertThat(list.run("drains", "app-d")).isEqualTo(ExitCode.OK);
        assertThat(list.outLines()).hasSize(2);
        assertThat(list.outLines().get(0)).startsWith("source id").contains("drain id", "type", "url");
        assertThat(list.outLines().get(1)).startsWith("app-d").contains(" all ")
                .endsWith("syslog://user:****@203.0.113.1:514?drain-type=all");

        CliSession delete = hydrant(reader);
        assertThat(delete.run("drain", "delete", "app-d", "syslog://user:s3cret@203.0.113.1:514?drain-type=all"))
                .as(delete::err).isEqualTo(ExitCode.OK);
        assertThat(delete.outLines()).singleElement().asString().startsWith("Drain ").contains(" unbound from app-d: ");

        CliSession empty = hydrant(reader);
        assertThat(empty.run("drains", "app-d")).isEqualTo(ExitCode.OK);
        assertThat(empty.outLines()).containsExactly("No drains bound to app-d.");
        for (CliSession session : new CliSession[] {create, list, delete, empty}) {
            assertThat(session.out() + session.err()).doesNotContain("s3cret");
        }
    }

    @Test
    void aDrainWithClientCertificates_isBound_andUnboundByItsId() throws Exception {
        TlsFiles client = CertificateAuthority.create("drain-ca").issueFiles(dir.resolve("drain-client"), "client");
        CliSession create = hydrant(tokens.reader("app-m"));
        assertThat(create.run("drain", "create", "app-m", "syslog-tls://203.0.113.2:6514", "--type", "metrics",
                "--cert", client.certFile().toString(), "--key", client.keyFile().toString(),
                "--ca", client.caFile().toString())).as(create::err).isEqualTo(ExitCode.OK);
        String id = create.outLines().get(0).split(" ")[1];

        CliSession admin = hydrant(tokens.admin());
        assertThat(admin.run("drains")).isEqualTo(ExitCode.OK);
        assertThat(admin.out()).contains(id).contains("syslog-tls://203.0.113.2:6514?drain-type=metrics");

        CliSession delete = hydrant(tokens.reader("app-m"));
        assertThat(delete.run("drain", "delete", "app-m", id)).as(delete::err).isEqualTo(ExitCode.OK);
        CliSession again = hydrant(tokens.reader("app-m"));
        assertThat(again.run("drain", "delete", "app-m", id)).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(again.errLines()).containsExactly("no drain " + id + " bound to 'app-m' (404)");
    }

    @Test
    void badDrains_areRefusedInOneLine_byTheCliAsByTheApi() throws Exception {
        String reader = tokens.reader("app-x");
        Map<String, String> refused = Map.of(
                "syslog://203.0.113.3:514:9", "invalid_url",
                "gopher://203.0.113.3:70", "unsupported_scheme",
                "syslog://user:s3cret@10.1.2.3:514", "blocked_address",
                "syslog://localhost:514", "blocked_address");
        for (Map.Entry<String, String> bad : refused.entrySet()) {
            DrainsHttp.Answer answer = api.create(reader, "app-x", bad.getKey());
            assertThat(answer.status()).as(bad.getKey()).isEqualTo(400);
            assertThat(answer.body()).as(bad.getKey()).contains("\"error\":\"" + bad.getValue() + "\"");

            CliSession hydrant = hydrant(reader);
            assertThat(hydrant.run("drain", "create", "app-x", bad.getKey())).as(bad.getKey()).isEqualTo(ExitCode.FAILED);
            assertThat(hydrant.errLines()).as(bad.getKey()).singleElement().asString()
                    .startsWith("drain refused (" + bad.getValue() + "): ").doesNotContain("s3cret");
            assertThat(hydrant.out()).isEmpty();
        }
    }

    @Test
    void aSixthDrain_isRefusedAsOverTheLimit() throws Exception {
        String reader = tokens.reader("app-6");
        for (int port = 1; port <= 5; port++) {
            assertThat(hydrant(reader).run("drain", "create", "app-6", "syslog://203.0.113.6:" + port))
                    .isEqualTo(ExitCode.OK);
        }

        DrainsHttp.Answer sixth = api.create(reader, "app-6", "syslog://203.0.113.6:6");
        CliSession hydrant = hydrant(reader);
        int code = hydrant.run("drain", "create", "app-6", "syslog://203.0.113.6:7");

        assertThat(sixth.status()).isEqualTo(409);
        assertThat(sixth.body()).contains("\"error\":\"drain_limit\"");
        assertThat(code).isEqualTo(ExitCode.FAILED);
        assertThat(hydrant.errLines()).containsExactly("drain refused (drain_limit): source id 'app-6' already has 5 "
                + "drains, the most allowed (max-drains-per-source)");
    }

    @Test
    void aCallerWithoutAccess_getsNotFound_andWithoutATokenUnauthorized() throws Exception {
        String stranger = tokens.reader("app-other");
        assertThat(api.create(stranger, "app-private", "syslog://203.0.113.4:514").status()).isEqualTo(404);
        assertThat(api.create(null, "app-private", "syslog://203.0.113.4:514").status()).isEqualTo(401);

        String notFound = "no app 'app-private', or you may not read its logs (404)";
        CliSession create = hydrant(stranger);
        assertThat(create.run("drain", "create", "app-private", "syslog://203.0.113.4:514")).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(create.errLines()).containsExactly(notFound);
        CliSession list = hydrant(stranger);
        assertThat(list.run("drains", "app-private")).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(list.errLines()).containsExactly(notFound);
        CliSession all = hydrant(stranger);
        assertThat(all.run("drains")).isEqualTo(ExitCode.FAILED);
        assertThat(all.errLines()).containsExactly("give a source id: listing every app's drains needs an admin token (400)");

        CliSession anonymous = hydrant(null);
        assertThat(anonymous.run("drain", "create", "app-private", "syslog://203.0.113.4:514"))
                .isEqualTo(ExitCode.UNAUTHORIZED);
        assertThat(anonymous.errLines()).containsExactly("not logged in or token rejected (401): run hydrant login");
    }
}
