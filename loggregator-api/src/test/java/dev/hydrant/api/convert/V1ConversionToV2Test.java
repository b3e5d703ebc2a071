package dev.hydrant.api.convert;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.UUID;
import org.cloudfoundry.dropsonde.events.ErrorFactory;
import org.cloudfoundry.dropsonde.events.EventFactory;
import org.cloudfoundry.dropsonde.events.EventFactory.Envelope.EventType;
import org.cloudfoundry.dropsonde.events.HttpFactory;
import org.cloudfoundry.dropsonde.events.LogFactory;
import org.cloudfoundry.dropsonde.events.MetricFactory;
import org.cloudfoundry.dropsonde.events.UuidFactory;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.GaugeValue;
import org.cloudfoundry.loggregator.v2.Log;
import org.junit.jupiter.api.Test;

class V1ConversionToV2Test {

    private static final String APP = "5b5c8e0d-52d9-4a49-a0b9-4b4c1f7b8a11";
    private static final long NOW = 1_700_000_000_123_456_789L;

    private static EventFactory.Envelope.Builder component(EventType type) {
        return EventFactory.Envelope.newBuilder()
                .setOrigin("gorouter")
                .setEventType(type)
                .setTimestamp(NOW)
                .setDeployment("cf")
                .setJob("router")
                .setIndex("7f3a")
                .setIp("10.0.0.9")
                .putTags("zone", "z1");
    }

    private static Envelope convert(EventFactory.Envelope.Builder v1) {
        return V1Conversion.toV2(v1.build()).orElseThrow();
    }

    private static UuidFactory.UUID v1Uuid(UUID uuid) {
        return UuidFactory.UUID.newBuilder()
                .setLow(Long.reverseBytes(uuid.getMostSignificantBits()))
                .setHigh(Long.reverseBytes(uuid.getLeastSignificantBits()))
                .build();
    }

    @Test
    void envelopeFields_becomeTags_andSourceIdIsDeploymentSlashJob() {
        Envelope v2 = convert(component(EventType.ValueMetric).setValueMetric(
                MetricFactory.ValueMetric.newBuilder().setName("latency").setValue(1.5).setUnit("ms")));

        assertThat(v2.getSourceId()).isEqualTo("cf/router");
        assertThat(v2.getInstanceId()).isEqualTo("7f3a");
        assertThat(v2.getTimestamp()).isEqualTo(NOW);
        assertThat(v2.getTagsMap())
                .containsEntry("origin", "gorouter")
                .containsEntry("deployment", "cf")
                .containsEntry("job", "router")
                .containsEntry("index", "7f3a")
                .containsEntry("ip", "10.0.0.9")
                .containsEntry("zone", "z1");
        assertThat(v2.getGauge().getMetricsMap())
                .containsOnlyKeys("latency")
                .containsEntry("latency", GaugeValue.newBuilder().setUnit("ms").setValue(1.5).build());
    }

    @Test
    void sourceIdTag_winsOverDeploymentAndJob_andIsNotRepeatedAsTag() {
        Envelope v2 = convert(component(EventType.CounterEvent)
                .putTags("source_id", "my-component")
                .setCounterEvent(MetricFactory.CounterEvent.newBuilder().setName("hits").setDelta(4).setTotal(40)));

        assertThat(v2.getSourceId()).isEqualTo("my-component");
        assertThat(v2.getTagsMap()).doesNotContainKey("source_id");
        assertThat(v2.getCounter().getName()).isEqualTo("hits");
        assertThat(v2.getCounter().getDelta()).isEqualTo(4);
        assertThat(v2.getCounter().getTotal()).isEqualTo(40);
    }

    @Test
    void withoutDeploymentAndJob_sourceIdIsTheOrigin() {
        Envelope v2 = convert(EventFactory.Envelope.newBuilder().setOrigin("legacy-emitter")
                .setEventType(EventType.CounterEvent)
                .setCounterEvent(MetricFactory.CounterEvent.newBuilder().setName("c").setDelta(1)));

        assertThat(v2.getSourceId()).isEqualTo("legacy-emitter");
        assertThat(v2.getCounter().getTotal()).isZero();
    }

    @Test
    void appLog_becomesLogOfTheApp() {
        Envelope v2 = convert(component(EventType.LogMessage).setLogMessage(LogFactory.LogMessage.newBuilder()
                .setMessage(ByteString.copyFromUtf8("GET / 200"))
                .setMessageType(LogFactory.LogMessage.MessageType.ERR)
                .setTimestamp(NOW - 5)
                .setAppId(APP)
                .setSourceType("RTR")
                .setSourceInstance("3")));

        assertThat(v2.getSourceId()).isEqualTo(APP);
        assertThat(v2.getInstanceId()).isEqualTo("3");
        assertThat(v2.getTimestamp()).isEqualTo(NOW);
        assertThat(v2.getTagsMap()).containsEntry("source_type", "RTR").containsEntry("origin", "gorouter");
        assertThat(v2.getLog().getPayload().toStringUtf8()).isEqualTo("GET / 200");
        assertThat(v2.getLog().getType()).isEqualTo(Log.Type.ERR);
    }

    @Test
    void logWithoutEnvelopeTimestamp_usesItsOwn_andWithoutAppIdKeepsTheComponentSource() {
        Envelope v2 = convert(component(EventType.LogMessage).clearTimestamp()
                .setLogMessage(LogFactory.LogMessage.newBuilder()
                        .setMessage(ByteString.copyFromUtf8("x"))
                        .setMessageType(LogFactory.LogMessage.MessageType.OUT)
                        .setTimestamp(42)));

        assertThat(v2.getTimestamp()).isEqualTo(42);
        assertThat(v2.getSourceId()).isEqualTo("cf/router");
        assertThat(v2.getLog().getType()).isEqualTo(Log.Type.OUT);
    }

    @Test
    void containerMetric_becomesGaugeWithTheFiveKeys() {
        Envelope v2 = convert(component(EventType.ContainerMetric).setContainerMetric(
                MetricFactory.ContainerMetric.newBuilder()
                        .setApplicationId(APP)
                        .setInstanceIndex(5)
                        .setCpuPercentage(33.5)
                        .setMemoryBytes(1024)
                        .setDiskBytes(2048)
                        .setMemoryBytesQuota(4096)
                        .setDiskBytesQuota(8192)));

        assertThat(v2.getSourceId()).isEqualTo(APP);
        assertThat(v2.getInstanceId()).isEqualTo("5");
        assertThat(v2.getGauge().getMetricsMap())
                .containsOnlyKeys("cpu", "memory", "disk", "memory_quota", "disk_quota");
        assertThat(v2.getGauge().getMetricsMap().get("cpu").getValue()).isEqualTo(33.5);
        assertThat(v2.getGauge().getMetricsMap().get("cpu").getUnit()).isEqualTo("percentage");
        assertThat(v2.getGauge().getMetricsMap().get("memory").getValue()).isEqualTo(1024.0);
        assertThat(v2.getGauge().getMetricsMap().get("disk").getValue()).isEqualTo(2048.0);
        assertThat(v2.getGauge().getMetricsMap().get("memory_quota").getValue()).isEqualTo(4096.0);
        assertThat(v2.getGauge().getMetricsMap().get("disk_quota").getValue()).isEqualTo(8192.0);
        assertThat(v2.getGauge().getMetricsMap().get("disk_quota").getUnit()).isEqualTo("bytes");
    }

    @Test
    void httpStartStop_becomesHttpTimerWithFieldsAsTags() {
        UUID request = UUID.fromString("01020304-0506-0708-090a-0b0c0d0e0f10");
        Envelope v2 = convert(component(EventType.HttpStartStop).setHttpStartStop(
                HttpFactory.HttpStartStop.newBuilder()
                        .setStartTimestamp(100)
                        .setStopTimestamp(200)
                        .setRequestId(UuidFactory.UUID.newBuilder()
                                .setLow(0x0807060504030201L).setHigh(0x100f0e0d0c0b0a09L))
                        .setPeerType(HttpFactory.PeerType.Server)
                        .setMethod(HttpFactory.Method.DELETE)
                        .setUri("/v2/things/1")
                        .setRemoteAddress("10.2.2.2:1234")
                        .setUserAgent("go-http")
                        .setStatusCode(204)
                        .setContentLength(0)
                        .setApplicationId(v1Uuid(UUID.fromString(APP)))
                        .setInstanceIndex(1)
                        .setInstanceId("abcd")
                        .addForwarded("3.3.3.3")
                        .addForwarded("4.4.4.4")));

        assertThat(v2.getTimer().getName()).isEqualTo("http");
        assertThat(v2.getTimer().getStart()).isEqualTo(100);
        assertThat(v2.getTimer().getStop()).isEqualTo(200);
        assertThat(v2.getSourceId()).isEqualTo(APP);
        assertThat(v2.getInstanceId()).isEqualTo("1");
        assertThat(v2.getTagsMap())
                .containsEntry("request_id", request.toString())
                .containsEntry("peer_type", "Server")
                .containsEntry("method", "DELETE")
                .containsEntry("uri", "/v2/things/1")
                .containsEntry("remote_address", "10.2.2.2:1234")
                .containsEntry("user_agent", "go-http")
                .containsEntry("status_code", "204")
                .containsEntry("content_length", "0")
                .containsEntry("instance_index", "1")
                .containsEntry("instance_id", "abcd")
                .containsEntry("forwarded", "3.3.3.3\n4.4.4.4");
    }

    @Test
    void httpStartStop_survivesTheRoundTripThroughV2() {
        EventFactory.Envelope v1 = component(EventType.HttpStartStop).setHttpStartStop(
                HttpFactory.HttpStartStop.newBuilder()
                        .setStartTimestamp(1).setStopTimestamp(2)
                        .setRequestId(v1Uuid(UUID.randomUUID()))
                        .setPeerType(HttpFactory.PeerType.Client)
                        .setMethod(HttpFactory.Method.VERSION_CONTROL)
                        .setUri("u").setRemoteAddress("r").setUserAgent("a")
                        .setStatusCode(500).setContentLength(-1)
                        .setApplicationId(v1Uuid(UUID.fromString(APP)))
                        .setInstanceIndex(3)
                        .addForwarded("f"))
                .build();

        List<EventFactory.Envelope> back = V1Conversion.toV1(V1Conversion.toV2(v1).orElseThrow());

        assertThat(back).hasSize(1);
        assertThat(back.get(0).getHttpStartStop()).isEqualTo(v1.getHttpStartStop());
        assertThat(back.get(0).getOrigin()).isEqualTo("gorouter");
        assertThat(back.get(0).getDeployment()).isEqualTo("cf");
        assertThat(back.get(0).getIndex()).isEqualTo("7f3a");
    }

    @Test
    void error_becomesEventWithCodeTag() {
        Envelope v2 = convert(component(EventType.Error).setError(
                ErrorFactory.Error.newBuilder().setSource("uaa").setCode(503).setMessage("unavailable")));

        assertThat(v2.getEvent().getTitle()).isEqualTo("uaa");
        assertThat(v2.getEvent().getBody()).isEqualTo("unavailable");
        assertThat(v2.getTagsMap()).containsEntry("code", "503");
    }

    @Test
    void eventTypeWithoutItsMessage_orNull_isNothing() {
        assertThat(V1Conversion.toV2(component(EventType.LogMessage).build())).isEmpty();
        assertThat(V1Conversion.toV2(component(EventType.ContainerMetric).build())).isEmpty();
        assertThat(V1Conversion.toV2(EventFactory.Envelope.newBuilder().setOrigin("o").buildPartial())).isEmpty();
        assertThat(V1Conversion.toV2(null)).isEmpty();
    }

    @Test
    void counterAndGauge_roundTripThroughV1KeepTheirSourceId() {
        Envelope counter = convert(component(EventType.CounterEvent).putTags("source_id", "metron")
                .setCounterEvent(MetricFactory.CounterEvent.newBuilder().setName("c").setDelta(1).setTotal(9)));

        Envelope again = V1Conversion.toV2(V1Conversion.toV1(counter).get(0)).orElseThrow();

        assertThat(again).isEqualTo(counter);
    }
}
