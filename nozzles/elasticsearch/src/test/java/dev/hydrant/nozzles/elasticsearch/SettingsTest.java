package dev.hydrant.nozzles.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrant.nozzles.elasticsearch.servers.NozzleRunner;
import dev.hydrant.plumbing.config.InvalidSettingException;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad setting stops the start-up, naming the setting. */
class SettingsTest {

    private static void refused(Map<String, String> settings, String named) throws Exception {
        Map<String, String> all = new HashMap<>(Map.of("hydrant.nozzle.elasticsearch.connect-timeout", "200ms"));
        all.putAll(settings);
        try (FakeTrafficController firehose = new FakeTrafficController().start()) {
            String url = all.getOrDefault("hydrant.nozzle.elasticsearch.url", "http://127.0.0.1:1");
            assertThatThrownBy(() -> new NozzleRunner(firehose, url, all).close()).satisfies(thrown -> {
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
    void bothAnApiKeyAndAUsername_stopTheStartUp() throws Exception {
        refused(Map.of("hydrant.nozzle.elasticsearch.api-key", "k", "hydrant.nozzle.elasticsearch.username", "u",
                "hydrant.nozzle.elasticsearch.password", "p"), "hydrant.nozzle.elasticsearch.api-key");
        refused(Map.of("hydrant.nozzle.elasticsearch.username", "u"), "hydrant.nozzle.elasticsearch.password");
    }

    @Test
    void aUrlThatIsNotHttpOrHoldsCredentials_stopsTheStartUp() throws Exception {
        refused(Map.of("hydrant.nozzle.elasticsearch.url", "ftp://127.0.0.1:9200"), "hydrant.nozzle.elasticsearch.url");
        refused(Map.of("hydrant.nozzle.elasticsearch.url", "http://u:p@127.0.0.1:9200"), "hydrant.nozzle.elasticsearch.url");
    }

    @Test
    void aCaFileThatCannotBeReadOrAPlainUrl_stopsTheStartUp(@TempDir Path dir) throws Exception {
        refused(Map.of("hydrant.nozzle.elasticsearch.url", "https://127.0.0.1:9200",
                "hydrant.nozzle.elasticsearch.ca-file", dir.resolve("missing.crt").toString()),
                "hydrant.nozzle.elasticsearch.ca-file");
        refused(Map.of("hydrant.nozzle.elasticsearch.ca-file", dir.toString()), "hydrant.nozzle.elasticsearch.ca-file");
    }

    @Test
    void aMaxBackoffShorterThanTheMin_stopsTheStartUp() throws Exception {
        refused(Map.of("hydrant.nozzle.elasticsearch.min-backoff", "2s", "hydrant.nozzle.elasticsearch.max-backoff", "1s"),
                "hydrant.nozzle.elasticsearch.max-backoff");
    }
}
