package dev.hydrant.nozzles.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrant.nozzles.syslog.servers.BindingsServer;
import dev.hydrant.nozzles.syslog.servers.NozzleRunner;
import dev.hydrant.plumbing.config.InvalidSettingException;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A bad setting stops the start-up, naming the setting. */
class SettingsTest {

    private static void refused(Map<String, String> settings, String named) throws Exception {
        try (FakeTrafficController firehose = new FakeTrafficController().start();
             BindingsServer bindings = new BindingsServer()) {
            assertThatThrownBy(() -> new NozzleRunner(firehose, bindings, settings).close()).satisfies(thrown -> {
                Throwable cause = thrown;
                while (cause != null && !(cause instanceof InvalidSettingException)) {
                    cause = cause.getCause();
                }
                assertThat(cause).as("an InvalidSettingException in %s", thrown).isNotNull();
                assertThat(((InvalidSettingException) cause).setting()).isEqualTo(named);
            });
        }
    }

    @Test
    void aRangeThatIsNotACidr_stopsTheStartUp() throws Exception {
        refused(Map.of("hydrant.nozzle.syslog.blocked-ranges", "10.0.0.0"), "hydrant.nozzle.syslog.blocked-ranges");
        refused(Map.of("hydrant.nozzle.syslog.allowed-ranges", "localhost/8"), "hydrant.nozzle.syslog.allowed-ranges");
    }

    @Test
    void aMaxBackoffShorterThanTheMin_stopsTheStartUp() throws Exception {
        refused(Map.of("hydrant.nozzle.syslog.min-backoff", "2s", "hydrant.nozzle.syslog.max-backoff", "1s"),
                "hydrant.nozzle.syslog.max-backoff");
    }
}
