package dev.hydrant.nozzles.syslog.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Counter;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Event;
import org.cloudfoundry.loggregator.v2.Gauge;
import org.cloudfoundry.loggregator.v2.GaugeValue;
import org.cloudfoundry.loggregator.v2.Log;
import org.cloudfoundry.loggregator.v2.Timer;
import org.junit.jupiter.api.Test;

/** Expected bytes written from docs/wire.md section 7, field by field. */
class SyslogFormatterTest {

    /** 2026-11-28T08:00:20.123456789Z */
    private static final long AT = 1_795_852_820_123_456_789L;

    private final SyslogFormatter formatter = new SyslogFormatter();

    private static Envelope.Builder app(String text, Log.Type type) {
        return Envelope.newBuilder().setSourceId("app-guid").setInstanceId("0").setTimestamp(AT)
                .putTags("source_type", "APP/PROC/WEB")
                .setLog(Log.newBuilder().setType(type).setPayload(ByteString.copyFromUtf8(text)));
    }

    private List<String> text(Envelope envelope, boolean disableMetadata) {
        SyslogMessages messages = formatter.format(envelope, disableMetadata);
        assertThat(messages.valid()).isTrue();
        return messages.messages().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    private String one(Envelope envelope) {
        List<String> messages = text(envelope, false);
        assertThat(messages).hasSize(1);
        return messages.get(0);
    }

    @Test
    void aLogOnStdout_isUserInfo_withTagsAndANewlineAppended() {
        assertThat(one(app("hello", Log.Type.OUT).build())).isEqualTo(
                "<14>1 2026-11-28T08:00:20.123456+00:00 - app-guid [APP/PROC/WEB/0] - "
                        + "[tags@47450 source_type=\"APP/PROC/WEB\"] hello\n");
    }

    @Test
    void aLogOnStderr_isUserErr() {
        assertThat(one(app("oops\n", Log.Type.ERR).build())).startsWith("<11>1 ").endsWith("] oops\n");
    }

    @Test
    void disableMetadata_dropsTheTagsElement_leavingNoElementAtAll() {
        assertThat(text(app("hello", Log.Type.OUT).build(), true)).containsExactly(
                "<14>1 2026-11-28T08:00:20.123456+00:00 - app-guid [APP/PROC/WEB/0] - - hello\n");
    }

    @Test
    void theFraction_isCutToMicroseconds_andLosesTrailingZeros() {
        long second = 1_795_852_820_000_000_000L;
        assertThat(one(app("x", Log.Type.OUT).setTimestamp(second + 120_000_999L).build()))
                .contains(" 2026-11-28T08:00:20.12+00:00 ");
        assertThat(one(app("x", Log.Type.OUT).setTimestamp(second + 999L).build()))
                .contains(" 2026-11-28T08:00:20+00:00 ");
        assertThat(one(app("x", Log.Type.OUT).setTimestamp(second + 100_000L).build()))
                .contains(" 2026-11-28T08:00:20.0001+00:00 ");
    }

    @Test
    void theHostname_isRebuiltFromOrgSpaceAndAppTags_sanitised() {
        Envelope envelope = app("x", Log.Type.OUT)
                .putTags("organization_name", "My  Org.\tä-")
                .putTags("space_name", "dev_space")
                .putTags("app_name", "x".repeat(70))
                .build();
        assertThat(one(envelope)).startsWith("<14>1 2026-11-28T08:00:20.123456+00:00 My-Org.devspace."
                + "x".repeat(63) + " app-guid ");
    }

    @Test
    void aMissingHostnamePart_isEmpty() {
        assertThat(one(app("x", Log.Type.OUT).putTags("app_name", "only-app").build()))
                .contains(" ..only-app app-guid ");
    }

    @Test
    void theAppName_isTheSourceIdCutTo48_andDashWhenEmpty() {
        assertThat(one(app("x", Log.Type.OUT).setSourceId("s".repeat(60)).build()))
                .contains(" - " + "s".repeat(48) + " [APP/PROC/WEB/0] ");
        assertThat(one(app("x", Log.Type.OUT).setSourceId("").build())).contains(" - - [APP/PROC/WEB/0] ");
    }

    @Test
    void theLogProcId_isTheSanitisedUpperCaseSourceTypeAndInstance() {
        assertThat(one(app("x", Log.Type.OUT).putTags("source_type", "app/proc/web worker!").setInstanceId("3").build()))
                .contains(" [APP/PROC/WEB-WORKER/3] - ");
        assertThat(one(app("x", Log.Type.OUT).removeTags("source_type").build()))
                .isEqualTo("<14>1 2026-11-28T08:00:20.123456+00:00 - app-guid [/0] - - x\n");
        assertThat(one(app("x", Log.Type.OUT).removeTags("source_type").setInstanceId("").build()))
                .contains(" app-guid [] - - x\n");
    }

    @Test
    void theMessage_losesNulBytes_keepsNewlinesAndInvalidUtf8_andIsNeverSplit() {
        byte[] payload = {'a', 0, 'b', '\n', 'c', (byte) 0xff, 0};
        Envelope envelope = app("", Log.Type.OUT).setLog(Log.newBuilder().setPayload(ByteString.copyFrom(payload))).build();
        byte[] message = formatter.format(envelope, true).messages().get(0);
        byte[] head = "<14>1 2026-11-28T08:00:20.123456+00:00 - app-guid [APP/PROC/WEB/0] - - ".getBytes(StandardCharsets.US_ASCII);
        byte[] expected = new byte[head.length + 6];
        System.arraycopy(head, 0, expected, 0, head.length);
        System.arraycopy(new byte[] {'a', 'b', '\n', 'c', (byte) 0xff, '\n'}, 0, expected, head.length, 6);
        assertThat(message).isEqualTo(expected);
    }

    @Test
    void aCounter_isItsElementThenTags_withAnEmptyMessage() {
        Envelope envelope = Envelope.newBuilder().setSourceId("app-guid").setInstanceId("2").setTimestamp(AT)
                .putTags("origin", "rep").putTags("Zone", "z1")
                .setCounter(Counter.newBuilder().setName("requests").setTotal(10).setDelta(2)).build();
        assertThat(one(envelope)).isEqualTo("<14>1 2026-11-28T08:00:20.123456+00:00 - app-guid [2] - "
                + "[counter@47450 name=\"requests\" total=\"10\" delta=\"2\"][tags@47450 Zone=\"z1\" origin=\"rep\"] \n");
    }

    @Test
    void aGauge_givesOneMessagePerMetric_valuesInGoShortestForm() {
        Envelope envelope = Envelope.newBuilder().setSourceId("app-guid").setInstanceId("0").setTimestamp(AT)
                .setGauge(Gauge.newBuilder()
                        .putMetrics("cpu", GaugeValue.newBuilder().setUnit("percentage").setValue(0.25).build())
                        .putMetrics("tiny", GaugeValue.newBuilder().setUnit("s").setValue(1.234e-6).build())
                        .putMetrics("memory", GaugeValue.newBuilder().setUnit("bytes").setValue(1234567).build()))
                .build();
        String head = "<14>1 2026-11-28T08:00:20.123456+00:00 - app-guid [0] - ";
        assertThat(text(envelope, false)).containsExactly(
                head + "[gauge@47450 name=\"cpu\" value=\"0.25\" unit=\"percentage\"] \n",
                head + "[gauge@47450 name=\"memory\" value=\"1.234567e+06\" unit=\"bytes\"] \n",
                head + "[gauge@47450 name=\"tiny\" value=\"1.234e-06\" unit=\"s\"] \n");
    }

    @Test
    void aTimer_andAnEvent_haveTheirOwnElements() {
        Envelope timer = Envelope.newBuilder().setSourceId("app-guid").setInstanceId("1").setTimestamp(AT)
                .setTimer(Timer.newBuilder().setName("http").setStart(1_000_000_000L).setStop(1_500_000_000L)).build();
        assertThat(one(timer)).isEqualTo("<14>1 2026-11-28T08:00:20.123456+00:00 - app-guid [1] - "
                + "[timer@47450 name=\"http\" start=\"1000000000\" stop=\"1500000000\"] \n");
        Envelope event = Envelope.newBuilder().setSourceId("app-guid").setTimestamp(AT)
                .setEvent(Event.newBuilder().setTitle("crash").setBody("exit 1")).build();
        assertThat(one(event)).isEqualTo("<14>1 2026-11-28T08:00:20.123456+00:00 - app-guid [] - "
                + "[event@47450 title=\"crash\" body=\"exit 1\"] \n");
    }

    @Test
    void backslashQuoteAndBracket_areEscapedInValues() {
        Envelope envelope = Envelope.newBuilder().setSourceId("app-guid").setInstanceId("0").setTimestamp(AT)
                .putTags("k", "a\\b\"c]d")
                .setCounter(Counter.newBuilder().setName("n]\"").setTotal(1).setDelta(1)).build();
        assertThat(one(envelope)).endsWith(
                "[counter@47450 name=\"n\\]\\\"\" total=\"1\" delta=\"1\"][tags@47450 k=\"a\\\\b\\\"c\\]d\"] \n");
    }

    @Test
    void anEnvelopeThatCannotBeValid_givesNoMessage() {
        assertThat(formatter.format(app("x", Log.Type.OUT).setSourceId("my app").build(), false).valid()).isFalse();
        assertThat(formatter.format(app("x", Log.Type.OUT).setInstanceId("0 1").build(), false).valid()).isFalse();
        assertThat(formatter.format(app("x", Log.Type.OUT).putTags("a=b", "c").build(), false).valid()).isFalse();
        assertThat(formatter.format(app("x", Log.Type.OUT).putTags("a=b", "c").build(), false).messages()).isEmpty();
    }
}
