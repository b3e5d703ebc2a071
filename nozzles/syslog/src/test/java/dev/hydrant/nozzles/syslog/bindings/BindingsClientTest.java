package dev.hydrant.nozzles.syslog.bindings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hydrant.nozzles.syslog.drain.Binding;
import dev.hydrant.nozzles.syslog.drain.DrainType;
import org.junit.jupiter.api.Test;

/** The answer of GET /v1/drains?include_secrets=true as the bindings API's contract writes it. */
class BindingsClientTest {

    @Test
    void aBindingWithSecrets_isReadWithItsUrlTypeAndPems() {
        String json = """
                {"generation": 7, "drains": [
                  {"id": "3f0c", "source_id": "app-guid", "url": "syslog-tls://user:pw@drain.example.com:6514/?drain-type=all",
                   "drain_type": "all", "disable_metadata": true, "client_cert": true, "ca": "CA-PEM",
                   "cert": "CERT-PEM", "key": "KEY-PEM", "created_at": "2026-11-28T08:00:00Z"},
                  {"id": "4a1d", "source_id": "app-guid", "url": "https://drain.example.com/logs",
                   "drain_type": "logs", "disable_metadata": false, "client_cert": false, "ca": false,
                   "created_at": "2026-11-28T08:00:00Z"}]}
                """;
        BindingsClient.Snapshot snapshot = BindingsClient.parse(json);

        assertThat(snapshot.generation()).isEqualTo(7);
        assertThat(snapshot.bindings()).containsExactly(
                new Binding("3f0c", "app-guid", "syslog-tls://user:pw@drain.example.com:6514/?drain-type=all",
                        DrainType.ALL, true, "CERT-PEM", "KEY-PEM", "CA-PEM"),
                new Binding("4a1d", "app-guid", "https://drain.example.com/logs", DrainType.LOGS, false, null, null, null));
        assertThat(snapshot.bindings().get(0).redactedUrl()).isEqualTo("syslog-tls://drain.example.com:6514/?drain-type=all");
        assertThat(snapshot.bindings().get(0).toString()).doesNotContain("pw").doesNotContain("KEY-PEM");
    }

    @Test
    void anAnswerWithAnUnknownDrainType_isRefusedWhole() {
        assertThatThrownBy(() -> BindingsClient.parse("""
                {"generation": 1, "drains": [{"id": "a", "source_id": "s", "url": "syslog://h", "drain_type": "traces"}]}
                """)).hasMessageContaining("traces");
    }
}
