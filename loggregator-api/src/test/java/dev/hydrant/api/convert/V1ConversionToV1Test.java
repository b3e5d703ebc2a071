package dev.hydrant.api.convert;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.UUID;
import org.cloudfoundry.dropsonde.events.EventFactory;
import org.cloudfoundry.dropsonde.events.EventFactory.Envelope.EventType;
import org.cloudfoundry.dropsonde.events.HttpFactory;
import org.cloudfoundry.dropsonde.events.LogFactory;
import org.cloudfoundry.dropsonde.events.MetricFactory;
import org.cloudfoundry.loggregator.v2.Counter;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Event;
import org.cloudfoundry.loggregator.v2.Gauge;
import org.cloudfoundry.loggregator.v2.GaugeValue;
import org.cloudfoundry.loggregator.v2.Log;
import org.cloudfoundry.loggregator.v2.Timer;
import org.cloudfoundry.loggregator.v2.Value;
import org.junit.jupiter.api.Test;

class V1ConversionToV1Test {

    private static final String APP = "5b5c8e0d-52d9-4a49-a0b9-4b4c1f7b8a11";
    private static final long NOW = 1_700_000_000_123_456_789L;

    private static Envelope.Builder base() {
        return Envelope.newBuilder()
                .setTimestamp(NOW)
                .setSourceId(APP)
                .setInstanceId("2")
                .putTags("origin", "rep")
                .putTags("deployment", "cf")
                .putTags("job", "diego-cell")
                .putTags("index", "0c1f")
                .putTags("ip", "10.0.0.7")
                .putTags("space", "dev");
    }

    /** What every v1 consumer relies on: it builds, and its bytes parse back with required fields checked. */
    private static EventFactory.Envelope only(List<EventFactory.Envelope> converted) throws Exception {
        assertThat(converted).hasSize(1);
        EventFactory.Envelope v1 = converted.get(0);
        assertThat(EventFactory.Envelope.parseFrom(v1.toByteArray())).isEqualTo(v1);
        return v1;
    }

    private static GaugeValue value(String unit, double value) {
        return GaugeValue.newBuilder().setUnit(unit).setValue(value).build();
    }

    @Test
    void log_becomesLogMessageWithAppIdInstanceAndSourceType_andEnvelopeFieldsFromTags() throws Exception {
        Envelope v2 = base()
                .putTags("source_type", "APP/PROC/WEB")
                .putDeprecatedTags("legacy", Value.newBuilder().setInteger(7).build())
                .setLog(Log.newBuilder().setPayload(ByteString.copyFromUtf8("hello")).setType(Log.Type.ERR))
                .build();

        EventFactory.Envelope v1 = only(V1Conversion.toV1(v2));

        assertThat(v1.getEventType()).isEqualTo(EventType.LogMessage);
        assertThat(v1.getOrigin()).isEqualTo("rep");
        assertThat(v1.getTimestamp()).isEqualTo(NOW);
        assertThat(v1.getDeployment()).isEqualTo("cf");
        assertThat(v1.getJob()).isEqualTo("diego-cell");
        assertThat(v1.getIndex()).isEqualTo("0c1f");
        assertThat(v1.getIp()).isEqualTo("10.0.0.7");
        assertThat(v1.getTagsMap())
                .containsEntry("space", "dev")
                .containsEntry("legacy", "7")
                .containsEntry("source_id", APP)
                .doesNotContainKeys("origin", "deployment", "job", "index", "ip", "source_type");
        LogFactory.LogMessage log = v1.getLogMessage();
        assertThat(log.getMessage().toStringUtf8()).isEqualTo("hello");
        assertThat(log.getMessageType()).isEqualTo(LogFactory.LogMessage.MessageType.ERR);
        assertThat(log.getTimestamp()).isEqualTo(NOW);
        assertThat(log.getAppId()).isEqualTo(APP);
        assertThat(log.getSourceInstance()).isEqualTo("2");
        assertThat(log.getSourceType()).isEqualTo("APP/PROC/WEB");
    }

    @Test
    void stdoutLog_isOut_andOriginFallsBackToSourceId() throws Exception {
        Envelope v2 = Envelope.newBuilder().setSourceId("my-app")
                .setLog(Log.newBuilder().setPayload(ByteString.copyFromUtf8("x")).setType(Log.Type.OUT))
                .build();

        EventFactory.Envelope v1 = only(V1Conversion.toV1(v2));

        assertThat(v1.getOrigin()).isEqualTo("my-app");
        assertThat(v1.getLogMessage().getMessageType()).isEqualTo(LogFactory.LogMessage.MessageType.OUT);
        assertThat(v1.hasDeployment()).isFalse();
    }

    @Test
    void counter_becomesCounterEventWithNameDeltaAndTotal() throws Exception {
        Envelope v2 = base().setCounter(Counter.newBuilder().setName("requests").setDelta(3).setTotal(300)).build();

        EventFactory.Envelope v1 = only(V1Conversion.toV1(v2));

        assertThat(v1.getEventType()).isEqualTo(EventType.CounterEvent);
        MetricFactory.CounterEvent counter = v1.getCounterEvent();
        assertThat(counter.getName()).isEqualTo("requests");
        assertThat(counter.getDelta()).isEqualTo(3);
        assertThat(counter.getTotal()).isEqualTo(300);
    }

    @Test
    void gauge_becomesOneValueMetricPerMetric() throws Exception {
        Envelope v2 = base().setGauge(Gauge.newBuilder()
                        .putMetrics("latency", value("ms", 12.5))
                        .putMetrics("queue", value("entries", 3)))
                .build();

        List<EventFactory.Envelope> v1 = V1Conversion.toV1(v2);

        assertThat(v1).hasSize(2).allSatisfy(e -> {
            assertThat(e.getEventType()).isEqualTo(EventType.ValueMetric);
            assertThat(e.getOrigin()).isEqualTo("rep");
            assertThat(e.getTimestamp()).isEqualTo(NOW);
            assertThat(e.isInitialized()).isTrue();
        });
        assertThat(v1).extracting(e -> e.getValueMetric().getName()).containsExactlyInAnyOrder("latency", "queue");
        MetricFactory.ValueMetric latency = v1.stream().map(EventFactory.Envelope::getValueMetric)
                .filter(m -> m.getName().equals("latency")).findFirst().orElseThrow();
        assertThat(latency.getValue()).isEqualTo(12.5);
        assertThat(latency.getUnit()).isEqualTo("ms");
    }

    @Test
    void containerMetricGauge_becomesExactlyOneContainerMetric() throws Exception {
        Envelope v2 = base().setGauge(Gauge.newBuilder()
                        .putMetrics("cpu", value("percentage", 12.25))
                        .putMetrics("memory", value("bytes", 1_000_000))
                        .putMetrics("disk", value("bytes", 2_000_000))
                        .putMetrics("memory_quota", value("bytes", 4_000_000))
                        .putMetrics("disk_quota", value("bytes", 8_000_000)))
                .build();

        EventFactory.Envelope v1 = only(V1Conversion.toV1(v2));

        assertThat(v1.getEventType()).isEqualTo(EventType.ContainerMetric);
        MetricFactory.ContainerMetric metric = v1.getContainerMetric();
        assertThat(metric.getApplicationId()).isEqualTo(APP);
        assertThat(metric.getInstanceIndex()).isEqualTo(2);
        assertThat(metric.getCpuPercentage()).isEqualTo(12.25);
        assertThat(metric.getMemoryBytes()).isEqualTo(1_000_000);
        assertThat(metric.getDiskBytes()).isEqualTo(2_000_000);
        assertThat(metric.getMemoryBytesQuota()).isEqualTo(4_000_000);
        assertThat(metric.getDiskBytesQuota()).isEqualTo(8_000_000);
    }

    @Test
    void containerMetricGaugeWithAnExtraKey_keepsTheExtraAsValueMetric() throws Exception {
        Envelope v2 = base().setInstanceId("not-a-number").setGauge(Gauge.newBuilder()
                        .putMetrics("cpu", value("percentage", 1))
                        .putMetrics("memory", value("bytes", -5))
                        .putMetrics("disk", value("bytes", 2))
                        .putMetrics("memory_quota", value("bytes", 4))
                        .putMetrics("disk_quota", value("bytes", 8))
                        .putMetrics("cpu_entitlement", value("percentage", 50)))
                .build();

        List<EventFactory.Envelope> v1 = V1Conversion.toV1(v2);

        assertThat(v1).extracting(EventFactory.Envelope::getEventType)
                .containsExactly(EventType.ContainerMetric, EventType.ValueMetric);
        assertThat(v1.get(0).getContainerMetric().getInstanceIndex()).isZero();
        assertThat(v1.get(0).getContainerMetric().getMemoryBytes()).isZero();
        assertThat(v1.get(1).getValueMetric().getName()).isEqualTo("cpu_entitlement");
    }

    @Test
    void httpTimer_becomesHttpStartStopWithFieldsFromTags() throws Exception {
        UUID request = UUID.fromString("01020304-0506-0708-090a-0b0c0d0e0f10");
        Envelope v2 = base()
                .putTags("request_id", request.toString())
                .putTags("peer_type", "Client")
                .putTags("method", "PUT")
                .putTags("uri", "https://app.example.com/x?y=1")
                .putTags("remote_address", "10.1.1.1:5555")
                .putTags("user_agent", "curl/8")
                .putTags("status_code", "201")
                .putTags("content_length", "12345678901")
                .putTags("instance_index", "4")
                .putTags("instance_id", "a1b2")
                .putTags("forwarded", "1.1.1.1\n2.2.2.2")
                .setTimer(Timer.newBuilder().setName("http").setStart(100).setStop(250))
                .build();

        EventFactory.Envelope v1 = only(V1Conversion.toV1(v2));

        assertThat(v1.getEventType()).isEqualTo(EventType.HttpStartStop);
        HttpFactory.HttpStartStop http = v1.getHttpStartStop();
        assertThat(http.getStartTimestamp()).isEqualTo(100);
        assertThat(http.getStopTimestamp()).isEqualTo(250);
        // bytes 01..08 and 09..10 each read as a little-endian uint64
        assertThat(http.getRequestId().getLow()).isEqualTo(0x0807060504030201L);
        assertThat(http.getRequestId().getHigh()).isEqualTo(0x100f0e0d0c0b0a09L);
        assertThat(http.getPeerType()).isEqualTo(HttpFactory.PeerType.Client);
        assertThat(http.getMethod()).isEqualTo(HttpFactory.Method.PUT);
        assertThat(http.getUri()).isEqualTo("https://app.example.com/x?y=1");
        assertThat(http.getRemoteAddress()).isEqualTo("10.1.1.1:5555");
        assertThat(http.getUserAgent()).isEqualTo("curl/8");
        assertThat(http.getStatusCode()).isEqualTo(201);
        assertThat(http.getContentLength()).isEqualTo(12_345_678_901L);
        assertThat(http.getInstanceIndex()).isEqualTo(4);
        assertThat(http.getInstanceId()).isEqualTo("a1b2");
        assertThat(http.getForwardedList()).containsExactly("1.1.1.1", "2.2.2.2");
        UUID app = UUID.fromString(APP);
        assertThat(http.getApplicationId().getLow()).isEqualTo(Long.reverseBytes(app.getMostSignificantBits()));
        assertThat(http.getApplicationId().getHigh()).isEqualTo(Long.reverseBytes(app.getLeastSignificantBits()));
        assertThat(v1.getTagsMap()).containsEntry("space", "dev")
                .doesNotContainKeys("request_id", "method", "uri", "status_code", "forwarded");
    }

    @Test
    void httpTimerWithoutTags_stillBuildsWithDefaults() throws Exception {
        Envelope v2 = Envelope.newBuilder().setSourceId("gorouter")
                .putTags("request_id", "not-a-uuid")
                .putTags("status_code", "two hundred")
                .setTimer(Timer.newBuilder().setName("http").setStart(1).setStop(2))
                .build();

        HttpFactory.HttpStartStop http = only(V1Conversion.toV1(v2)).getHttpStartStop();

        assertThat(http.getRequestId().getLow()).isZero();
        assertThat(http.getRequestId().getHigh()).isZero();
        assertThat(http.getPeerType()).isEqualTo(HttpFactory.PeerType.Server);
        assertThat(http.getMethod()).isEqualTo(HttpFactory.Method.GET);
        assertThat(http.getUri()).isEmpty();
        assertThat(http.getStatusCode()).isZero();
        assertThat(http.getContentLength()).isZero();
        assertThat(http.hasApplicationId()).isFalse();
        assertThat(http.hasInstanceIndex()).isFalse();
    }

    @Test
    void otherTimersEventsAndEmptyEnvelopes_becomeNothing() {
        assertThat(V1Conversion.toV1(base().setTimer(Timer.newBuilder().setName("db").setStart(1).setStop(2)).build()))
                .isEmpty();
        assertThat(V1Conversion.toV1(base().setEvent(Event.newBuilder().setTitle("t").setBody("b")).build()))
                .isEmpty();
        assertThat(V1Conversion.toV1(base().build())).isEmpty();
        assertThat(V1Conversion.toV1(Envelope.getDefaultInstance())).isEmpty();
        assertThat(V1Conversion.toV1(null)).isEmpty();
    }

    @Test
    void emptyLogWithoutSourceId_stillBuilds() throws Exception {
        EventFactory.Envelope v1 = only(V1Conversion.toV1(Envelope.newBuilder().setLog(Log.getDefaultInstance()).build()));

        assertThat(v1.getOrigin()).isEmpty();
        assertThat(v1.getTagsMap()).doesNotContainKey("source_id");
    }
}
