package dev.hydrant.cli.format;

import static dev.hydrant.testsupport.envelopes.Envelopes.counter;
import static dev.hydrant.testsupport.envelopes.Envelopes.gauge;
import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static dev.hydrant.testsupport.envelopes.Envelopes.nanos;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.time.ZoneOffset;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Event;
import org.cloudfoundry.loggregator.v2.Log;
import org.cloudfoundry.loggregator.v2.Timer;
import org.junit.jupiter.api.Test;

class LogLineTest {

    private final LogLine utc = new LogLine(ZoneOffset.UTC);

    @Test
    void aLogPrintsAsCfLogsDoes() {
        Envelope envelope = log("app-guid", "0", Log.Type.OUT, "hello world\n", nanos("2026-11-21T10:00:00.123456Z"));

        assertThat(utc.format(envelope)).isEqualTo("2026-11-21T10:00:00.12+0000 [APP/PROC/WEB/0] OUT hello world");
    }

    @Test
    void stderrIsErr_andTheTimeIsInTheLocalOffset() {
        Envelope envelope = log("app-guid", "3", Log.Type.ERR, "boom\r\n", nanos("2026-11-21T10:00:00.50Z"));

        assertThat(new LogLine(ZoneId.of("Europe/Berlin")).format(envelope))
                .isEqualTo("2026-11-21T11:00:00.50+0100 [APP/PROC/WEB/3] ERR boom");
    }

    @Test
    void withoutSourceTypeOrInstance_theBracketHoldsWhatIsThere() {
        Envelope noType = log("app", "2", Log.Type.OUT, "x", 0).toBuilder().clearTags().build();
        Envelope nothing = noType.toBuilder().setInstanceId("").build();

        assertThat(utc.format(noType)).isEqualTo("1970-01-01T00:00:00.00+0000 [2] OUT x");
        assertThat(utc.format(nothing)).isEqualTo("1970-01-01T00:00:00.00+0000 [] OUT x");
    }

    @Test
    void firehoseLinesAreCompactAndPrefixedBySourceId() {
        EnvelopeLine lines = new EnvelopeLine(utc);
        long at = nanos("2026-11-21T10:00:00Z");
        Envelope timer = Envelope.newBuilder().setSourceId("gorouter").setInstanceId("1").setTimestamp(at)
                .putTags("source_type", "RTR")
                .setTimer(Timer.newBuilder().setName("http").setStart(at).setStop(at + 12_345_678)).build();
        Envelope event = Envelope.newBuilder().setSourceId("doppler").setTimestamp(at)
                .setEvent(Event.newBuilder().setTitle("slow consumer").setBody("disconnected 10.0.0.1")).build();

        assertThat(lines.format(log("app", "hi", at))).isEqualTo("app 2026-11-21T10:00:00.00+0000 [APP/PROC/WEB/0] OUT hi");
        assertThat(lines.format(counter("app", "requests", 3, 10, at)))
                .isEqualTo("app 2026-11-21T10:00:00.00+0000 [0] COUNTER requests delta=3 total=10");
        assertThat(lines.format(gauge("app", at)))
                .isEqualTo("app 2026-11-21T10:00:00.00+0000 [1] GAUGE cpu=12.5 percentage, memory=1048576 bytes");
        assertThat(lines.format(timer)).isEqualTo("gorouter 2026-11-21T10:00:00.00+0000 [RTR/1] TIMER http 12.346 ms");
        assertThat(lines.format(event))
                .isEqualTo("doppler 2026-11-21T10:00:00.00+0000 EVENT slow consumer: disconnected 10.0.0.1");
    }
}
