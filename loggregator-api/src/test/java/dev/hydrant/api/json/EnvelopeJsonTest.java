package dev.hydrant.api.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.cloudfoundry.loggregator.v2.Counter;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.Event;
import org.cloudfoundry.loggregator.v2.Gauge;
import org.cloudfoundry.loggregator.v2.GaugeValue;
import org.cloudfoundry.loggregator.v2.Log;
import org.cloudfoundry.loggregator.v2.Timer;
import org.cloudfoundry.loggregator.v2.Value;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class EnvelopeJsonTest {

    private static final JsonMapper JACKSON = JsonMapper.builder().build();

    private static Envelope log(String payload, Log.Type type) {
        return Envelope.newBuilder()
                .setTimestamp(1_700_000_000_123_456_789L)
                .setSourceId("app-guid")
                .setInstanceId("3")
                .putTags("source_type", "APP/PROC/WEB")
                .putDeprecatedTags("zone", Value.newBuilder().setText("z1").build())
                .setLog(Log.newBuilder().setPayload(ByteString.copyFromUtf8(payload)).setType(type))
                .build();
    }

    @Test
    void batchJson_usesSnakeCaseForTheThreeNamedFields_andLowerCamelOtherwise() {
        String json = EnvelopeJson.toJson(EnvelopeBatch.newBuilder().addBatch(log("hi", Log.Type.OUT)).build());

        JsonNode envelope = JACKSON.readTree(json).get("batch").get(0);
        assertThat(envelope.propertyNames())
                .containsExactlyInAnyOrder("timestamp", "source_id", "instance_id", "deprecated_tags", "tags", "log");
        assertThat(envelope.get("source_id").stringValue()).isEqualTo("app-guid");
        assertThat(envelope.get("instance_id").stringValue()).isEqualTo("3");
        assertThat(envelope.get("deprecated_tags").get("zone").get("text").stringValue()).isEqualTo("z1");
        assertThat(envelope.get("tags").get("source_type").stringValue()).isEqualTo("APP/PROC/WEB");
    }

    @Test
    void int64AndUint64_areJsonStrings() {
        Envelope counter = Envelope.newBuilder()
                .setTimestamp(1_700_000_000_123_456_789L)
                .setCounter(Counter.newBuilder().setName("requests").setDelta(5).setTotal(-1L))
                .build();
        Envelope timer = Envelope.newBuilder()
                .setTimer(Timer.newBuilder().setName("http").setStart(10).setStop(20))
                .build();
        Envelope integerTag = Envelope.newBuilder()
                .putDeprecatedTags("n", Value.newBuilder().setInteger(42).build())
                .setEvent(Event.newBuilder().setTitle("t"))
                .build();

        JsonNode c = JACKSON.readTree(EnvelopeJson.toJson(counter));
        assertThat(c.get("timestamp").isString()).isTrue();
        assertThat(c.get("timestamp").stringValue()).isEqualTo("1700000000123456789");
        assertThat(c.get("counter").get("delta").stringValue()).isEqualTo("5");
        assertThat(c.get("counter").get("total").stringValue()).isEqualTo("18446744073709551615");
        JsonNode t = JACKSON.readTree(EnvelopeJson.toJson(timer));
        assertThat(t.get("timer").get("start").stringValue()).isEqualTo("10");
        assertThat(t.get("timer").get("stop").stringValue()).isEqualTo("20");
        JsonNode i = JACKSON.readTree(EnvelopeJson.toJson(integerTag));
        assertThat(i.get("deprecated_tags").get("n").get("integer").stringValue()).isEqualTo("42");
    }

    @Test
    void logPayload_isStandardBase64_andTypeIsTheEnumName() {
        String text = "line with ünïcode and bytes that need + and / in base64: ???>>>";
        JsonNode out = JACKSON.readTree(EnvelopeJson.toJson(log(text, Log.Type.OUT))).get("log");
        JsonNode err = JACKSON.readTree(EnvelopeJson.toJson(log("oops", Log.Type.ERR))).get("log");

        assertThat(new String(Base64.getDecoder().decode(out.get("payload").stringValue()), StandardCharsets.UTF_8))
                .isEqualTo(text);
        assertThat(out.get("payload").stringValue()).doesNotContain("-", "_");
        assertThat(out.get("type").stringValue()).isEqualTo("OUT");
        assertThat(err.get("type").stringValue()).isEqualTo("ERR");
    }

    @Test
    void defaultValues_areEmitted() {
        Envelope empty = Envelope.newBuilder().setCounter(Counter.getDefaultInstance()).build();

        JsonNode json = JACKSON.readTree(EnvelopeJson.toJson(empty));

        assertThat(json.get("timestamp").stringValue()).isEqualTo("0");
        assertThat(json.get("source_id").stringValue()).isEmpty();
        assertThat(json.get("instance_id").stringValue()).isEmpty();
        assertThat(json.get("tags").isObject()).isTrue();
        assertThat(json.get("deprecated_tags").isObject()).isTrue();
        assertThat(json.get("counter").get("name").stringValue()).isEmpty();
        assertThat(json.get("counter").get("delta").stringValue()).isEqualTo("0");
        assertThat(json.get("counter").get("total").stringValue()).isEqualTo("0");
        JsonNode log = JACKSON.readTree(EnvelopeJson.toJson(
                Envelope.newBuilder().setLog(Log.getDefaultInstance()).build())).get("log");
        assertThat(log.get("payload").stringValue()).isEmpty();
        assertThat(log.get("type").stringValue()).isEqualTo("OUT");
        JsonNode emptyBatch = JACKSON.readTree(EnvelopeJson.toJson(EnvelopeBatch.getDefaultInstance()));
        assertThat(emptyBatch.get("batch").isArray()).isTrue();
        assertThat(emptyBatch.get("batch").size()).isZero();
    }

    @Test
    void json_isOneLine_evenWhenPayloadAndTagsContainLineBreaks() {
        Envelope envelope = log("first\nsecond\r\nthird", Log.Type.OUT).toBuilder()
                .putTags("multi", "a\nb")
                .setGauge(Gauge.newBuilder()
                        .putMetrics("cpu", GaugeValue.newBuilder().setUnit("percentage").setValue(1.5).build())
                        .putMetrics("memory", GaugeValue.newBuilder().setUnit("bytes").setValue(2e9).build()))
                .build();
        EnvelopeBatch batch = EnvelopeBatch.newBuilder().addBatch(envelope).addBatch(envelope).build();

        String json = EnvelopeJson.toJson(batch);

        assertThat(json).doesNotContain("\n", "\r");
        assertThat(JACKSON.readTree(json).get("batch").get(1).get("tags").get("multi").stringValue()).isEqualTo("a\nb");
    }

    @Test
    void handWrittenGatewayJson_parses() {
        String json = """
                {"batch":[
                  {"timestamp":"1700000000000000001","source_id":"app-1","instance_id":"0",
                   "deprecated_tags":{},"tags":{"source_type":"APP/PROC/WEB"},
                   "log":{"payload":"aGVsbG8gd29ybGQ=","type":"ERR"}},
                  {"timestamp":"5","source_id":"doppler","instance_id":"",
                   "tags":{},"counter":{"name":"ingress","delta":"7","total":"100"}},
                  {"timestamp":"6","source_id":"app-1","gauge":{"metrics":{
                   "cpu":{"unit":"percentage","value":0.25},"memory":{"unit":"bytes","value":1024}}}},
                  {"source_id":"numbers-accepted","timestamp":7,"timer":{"name":"http","start":"1","stop":"2"}},
                  {"source_id":"ops","event":{"title":"slow consumer","body":"disconnected"}}
                ]}
                """;

        EnvelopeBatch batch = EnvelopeJson.batchFromJson(json);

        assertThat(batch.getBatchCount()).isEqualTo(5);
        Envelope log = batch.getBatch(0);
        assertThat(log.getTimestamp()).isEqualTo(1_700_000_000_000_000_001L);
        assertThat(log.getSourceId()).isEqualTo("app-1");
        assertThat(log.getInstanceId()).isEqualTo("0");
        assertThat(log.getTagsMap()).containsEntry("source_type", "APP/PROC/WEB");
        assertThat(log.getLog().getPayload().toStringUtf8()).isEqualTo("hello world");
        assertThat(log.getLog().getType()).isEqualTo(Log.Type.ERR);
        assertThat(batch.getBatch(1).getCounter().getDelta()).isEqualTo(7);
        assertThat(batch.getBatch(1).getCounter().getTotal()).isEqualTo(100);
        assertThat(batch.getBatch(2).getGauge().getMetricsMap().get("memory").getValue()).isEqualTo(1024.0);
        assertThat(batch.getBatch(2).getGauge().getMetricsMap().get("cpu").getUnit()).isEqualTo("percentage");
        assertThat(batch.getBatch(3).getTimestamp()).isEqualTo(7);
        assertThat(batch.getBatch(3).getTimer().getStop()).isEqualTo(2);
        assertThat(batch.getBatch(4).getEvent().getBody()).isEqualTo("disconnected");
    }

    @Test
    void unknownFields_areIgnored() {
        Envelope envelope = EnvelopeJson.envelopeFromJson(
                "{\"source_id\":\"a\",\"futureField\":{\"x\":[1,2]},\"log\":{\"payload\":\"\",\"type\":\"OUT\",\"extra\":1}}");

        assertThat(envelope.getSourceId()).isEqualTo("a");
        assertThat(envelope.hasLog()).isTrue();
        assertThat(EnvelopeJson.envelopeFromJson("{\"log\":{\"type\":\"FUTURE_TYPE\"}}").getLog().getType())
                .as("an unknown enum name is ignored like an unknown field")
                .isEqualTo(Log.Type.OUT);
    }

    @Test
    void roundTrip_keepsEveryEnvelopeType() {
        EnvelopeBatch batch = EnvelopeBatch.newBuilder()
                .addBatch(log("payload \u0000 with nul", Log.Type.ERR))
                .addBatch(Envelope.newBuilder().setSourceId("c").setCounter(
                        Counter.newBuilder().setName("n").setDelta(Long.MAX_VALUE).setTotal(-2L)))
                .addBatch(Envelope.newBuilder().setSourceId("g").setGauge(Gauge.newBuilder().putMetrics("m",
                        GaugeValue.newBuilder().setUnit("ms").setValue(-0.125).build())))
                .addBatch(Envelope.newBuilder().setTimer(Timer.newBuilder().setName("t").setStart(-1).setStop(2)))
                .addBatch(Envelope.newBuilder()
                        .putDeprecatedTags("d", Value.newBuilder().setDecimal(2.5).build())
                        .putDeprecatedTags("i", Value.newBuilder().setInteger(Long.MIN_VALUE).build())
                        .setEvent(Event.newBuilder().setTitle("title").setBody("body")))
                .build();

        assertThat(EnvelopeJson.batchFromJson(EnvelopeJson.toJson(batch))).isEqualTo(batch);
        for (Envelope envelope : batch.getBatchList()) {
            assertThat(EnvelopeJson.envelopeFromJson(EnvelopeJson.toJson(envelope))).isEqualTo(envelope);
        }
    }

    @Test
    void malformedJson_isAnIllegalArgumentNamingTheType() {
        assertThatThrownBy(() -> EnvelopeJson.batchFromJson("{\"batch\":[{\"timestamp\":"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Not a JSON EnvelopeBatch");
        assertThatThrownBy(() -> EnvelopeJson.envelopeFromJson("not json at all"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Not a JSON Envelope");
        assertThatThrownBy(() -> EnvelopeJson.envelopeFromJson("{\"timestamp\":\"yesterday\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("yesterday");
        assertThatThrownBy(() -> EnvelopeJson.envelopeFromJson("{\"log\":{\"payload\":\"%%%\"}}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EnvelopeJson.envelopeFromJson("[]"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EnvelopeJson.envelopeFromJson("  "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }
}
