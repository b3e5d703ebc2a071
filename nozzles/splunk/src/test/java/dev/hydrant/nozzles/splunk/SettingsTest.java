package dev.hydrant.nozzles.splunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrant.nozzles.splunk.servers.SplunkNozzleRunner;
import dev.hydrant.plumbing.config.InvalidSettingException;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A bad setting stops the start-up, naming the setting. */
class SettingsTest {

    private static void refused(Map<String, String> settings, String named) throws Exception {
        try (FakeTrafficController firehose = new FakeTrafficController().start()) {
            assertThatThrownBy(() -> new SplunkNozzleRunner(firehose, "http://127.0.0.1:1", settings).close())
                    .satisfies(thrown -> {
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
    void aUrlThatIsNotHttp_aChannelThatIsNotAUuid_andAMissingCaFile_stopTheStartUp() throws Exception {
        refused(Map.of("hydrant.nozzle.splunk.url", "tcp://splunk:8088"), "hydrant.nozzle.splunk.url");
        refused(Map.of("hydrant.nozzle.splunk.ack.enabled", "true", "hydrant.nozzle.splunk.ack.channel", "not-a-uuid"),
                "hydrant.nozzle.splunk.ack.channel");
        refused(Map.of("hydrant.nozzle.splunk.ca-file", "/no/such/ca.pem"), "hydrant.nozzle.splunk.ca-file");
        refused(Map.of("hydrant.nozzle.splunk.max-batch-bytes", "10B"), "hydrant.nozzle.splunk.max-batch-bytes");
        refused(Map.of("hydrant.nozzle.splunk.retry.min-backoff", "2s", "hydrant.nozzle.splunk.retry.max-backoff", "1s"),
                "hydrant.nozzle.splunk.retry.max-backoff");
    }
}
