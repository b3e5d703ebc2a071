package dev.hydrant.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecentLogsPollerTest {

    @Test
    void countsThePartsOfAMultipartBodyButNotItsClosingDelimiter() {
        byte[] body = "--b1\r\n\r\none\r\n--b1\r\n\r\ntwo\r\n--b1--\r\n".getBytes(StandardCharsets.US_ASCII);

        assertThat(RecentLogsPoller.parts(body, "b1")).isEqualTo(2);
    }

    @Test
    void anEmptyAnswerHasNoParts() {
        assertThat(RecentLogsPoller.parts("--b1--\r\n".getBytes(StandardCharsets.US_ASCII), "b1")).isZero();
    }
}
