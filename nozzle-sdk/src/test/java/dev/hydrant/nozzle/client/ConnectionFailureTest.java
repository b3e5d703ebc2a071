package dev.hydrant.nozzle.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.nozzle.client.ConnectionFailure.Kind;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one place that tells an outage from a problem only the operator can fix, answer by answer. */
class ConnectionFailureTest {

    private static final ConnectionFailure.Target TC = new ConnectionFailure.Target(
            "the Traffic Controller at http://tc:8081", "hydrant.nozzle.ca-file", "hydrant.nozzle.cert-file", false,
            URI.create("http://tc:8081"));

    @ParameterizedTest
    @CsvSource({
            "500, false, OUTAGE", "503, false, OUTAGE", "429, false, OUTAGE",
            "401, false, TOKEN_REFUSED", "401, true, PERMANENT", "404, false, TOKEN_REFUSED", "404, true, PERMANENT",
            "403, false, PERMANENT", "400, false, INVALID_REQUEST", "405, false, INVALID_REQUEST"})
    void httpAnswers(int status, boolean refusedBefore, Kind kind) {
        ConnectionFailure failure = ConnectionFailure.classify(
                HydrantClientException.http("GET /v2/read", status, "{\"error\":\"x\"}"), TC, refusedBefore);

        assertThat(failure.kind()).isEqualTo(kind);
        if (kind == Kind.PERMANENT) {
            assertThat(failure.problem()).startsWith("the Traffic Controller at http://tc:8081 ")
                    .contains("answered " + status).contains("check");
            assertThat(failure.exception().permanent()).isTrue();
            assertThat(failure.exception().status()).isEqualTo(status);
        }
    }

    @ParameterizedTest
    @CsvSource({"Connection refused", "Connection reset by peer", "Broken pipe"})
    void networkFailures_areOutages(String message) {
        assertThat(ConnectionFailure.classify(new IOException(message), TC, false).kind()).isEqualTo(Kind.OUTAGE);
    }

    @ParameterizedTest
    @CsvSource({"Received fatal alert: bad_certificate", "Received fatal alert: certificate_required"})
    void aServerRefusingThisClientsCertificate_isPermanent(String alert) {
        ConnectionFailure failure = ConnectionFailure.classify(
                new IOException("handshake", new SSLHandshakeException(alert)), TC, false);

        assertThat(failure.permanent()).isTrue();
        assertThat(failure.problem()).contains("refused this client's certificate").contains("hydrant.nozzle.cert-file");
    }

    @Test
    void anIdleTimeout_isAnOutage() {
        assertThat(ConnectionFailure.classify(new TimeoutException(), TC, false).kind()).isEqualTo(Kind.OUTAGE);
    }
}
