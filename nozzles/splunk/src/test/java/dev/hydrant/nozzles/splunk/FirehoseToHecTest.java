package dev.hydrant.nozzles.splunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.hydrant.nozzles.splunk.servers.FakeHec;
import dev.hydrant.nozzles.splunk.servers.SplunkNozzleRunner;
import dev.hydrant.testsupport.Patience;
import dev.hydrant.testsupport.envelopes.Envelopes;
import dev.hydrant.testsupport.fake.FakeTrafficController;
import java.util.List;
import java.util.Map;
import org.cloudfoundry.loggregator.v2.Counter;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Event;
import org.cloudfoundry.loggregator.v2.Gauge;
import org.cloudfoundry.loggregator.v2.GaugeValue;
import org.cloudfoundry.loggregator.v2.Log;
import org.cloudfoundry.loggregator.v2.Timer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Envelopes from the firehose reach the HEC as events with Cloud Foundry's sourcetypes, host, source, index
 * and the envelope's tags as fields; counters, gauges and timers as multiple-metric events.
 */
class FirehoseToHecTest {

    private static final long AT = Envelopes.nanos("2026-11-28T08:00:20.5Z");

    private FakeTrafficController firehose;
    private FakeHec hec;
    private SplunkNozzleRunner nozzle;

    @BeforeEach
    void start() throws Exception {
        firehose = new FakeTrafficController().start();
        hec = new FakeHec("hec-token");
    }

    @AfterEach
    void stop() {
        if (nozzle != null) {
            nozzle.close();
        }
        hec.close();
        firehose.close();
    }

    private static Envelope.Builder envelope(String sourceId) {
        return Envelope.newBuilder().setSourceId(sourceId).setInstanceId("1").setTimestamp(AT)
                .putTags("ip", "10.0.16.7").putTags("deployment", "cf");
    }

    private JsonNode only(String sourcetype) {
        List<JsonNode> found = hec.events().stream().filter(e -> e.path("sourcetype").asString().equals(sourcetype)).toList();
        assertThat(found).as("events of sourcetype %s in %s", sourcetype, hec.events()).hasSize(1);
        return found.get(0);
    }

    @Test
    void logsAndEvents_areHecEvents_withCloudFoundrySourcetypes_hostSourceAndTagsAsFields() {
        nozzle = new SplunkNozzleRunner(firehose, hec.url("http"), Map.of("hydrant.nozzle.splunk.index", "cf_logs"));

        firehose.publish(
                envelope("app-1").putTags("source_type", "APP/PROC/WEB").setLog(Log.newBuilder().setType(Log.Type.ERR)
                        .setPayload(ByteString.copyFromUtf8("boom \"quoted\" \u00e9"))).build(),
                envelope("cc").setEvent(Event.newBuilder().setTitle("app.crash").setBody("exited 137")).build());

        await().atMost(Patience.WAIT).until(() -> hec.events().size() == 2);
        JsonNode log = only("cf:logmessage");
        assertThat(log.path("time").asDouble()).isEqualTo(1795852820.5);
        assertThat(log.path("host").asString()).isEqualTo("10.0.16.7");
        assertThat(log.path("source").asString()).isEqualTo("app-1");
        assertThat(log.path("index").asString()).isEqualTo("cf_logs");
        assertThat(log.path("event").path("msg").asString()).isEqualTo("boom \"quoted\" \u00e9");
        assertThat(log.path("event").path("message_type").asString()).isEqualTo("ERR");
        assertThat(log.path("fields").path("source_id").asString()).isEqualTo("app-1");
        assertThat(log.path("fields").path("instance_id").asString()).isEqualTo("1");
        assertThat(log.path("fields").path("source_type").asString()).isEqualTo("APP/PROC/WEB");
        assertThat(log.path("fields").path("deployment").asString()).isEqualTo("cf");

        JsonNode event = only("cf:event");
        assertThat(event.path("event").path("title").asString()).isEqualTo("app.crash");
        assertThat(event.path("event").path("body").asString()).isEqualTo("exited 137");
        assertThat(event.path("source").asString()).isEqualTo("cc");

        assertThat(hec.requests()).allSatisfy(headers -> {
            assertThat(headers).containsEntry("authorization", "Splunk hec-token");
            assertThat(headers).containsEntry("content-encoding", "gzip");
        });
        await().atMost(Patience.WAIT).until(() -> nozzle.count("splunk.events.sent") == 2);
        assertThat(nozzle.count("nozzle.written")).isEqualTo(2);
    }

    @Test
    void countersGaugesAndTimers_areMultipleMetricEvents_inTheMetricsIndex() {
        nozzle = new SplunkNozzleRunner(firehose, hec.url("http"), Map.of("hydrant.nozzle.splunk.index", "cf_logs",
                "hydrant.nozzle.splunk.metrics-index", "cf_metrics"));

        firehose.publish(
                envelope("doppler").setCounter(Counter.newBuilder().setName("ingress").setDelta(5).setTotal(1200)).build(),
                envelope("app-1").setGauge(Gauge.newBuilder()
                        .putMetrics("cpu", GaugeValue.newBuilder().setUnit("percentage").setValue(12.5).build())
                        .putMetrics("memory", GaugeValue.newBuilder().setUnit("bytes").setValue(1024).build())
                        .putMetrics("disk", GaugeValue.newBuilder().setUnit("bytes").setValue(2048).build())).build(),
                envelope("metron").setGauge(Gauge.newBuilder()
                        .putMetrics("buffer.fill", GaugeValue.newBuilder().setUnit("count").setValue(7).build())).build(),
                envelope("gorouter").setTimer(Timer.newBuilder().setName("http").setStart(AT).setStop(AT + 2_500_000))
                        .build());

        await().atMost(Patience.WAIT).until(() -> hec.events().size() == 4);
        assertThat(hec.events()).allSatisfy(metric -> {
            assertThat(metric.path("event").asString()).isEqualTo("metric");
            assertThat(metric.path("index").asString()).isEqualTo("cf_metrics");
            assertThat(metric.path("host").asString()).isEqualTo("10.0.16.7");
            assertThat(metric.path("fields").path("deployment").asString()).isEqualTo("cf");
            assertThat(metric.path("fields").path("instance_id").asString()).isEqualTo("1");
        });
        JsonNode counter = only("cf:counterevent");
        assertThat(counter.path("fields").path("metric_name:ingress").asDouble()).isEqualTo(1200);
        assertThat(counter.path("fields").path("metric_name:ingress.delta").asDouble()).isEqualTo(5);
        assertThat(counter.path("source").asString()).isEqualTo("doppler");
        JsonNode container = only("cf:containermetric");
        assertThat(container.path("fields").path("metric_name:cpu").asDouble()).isEqualTo(12.5);
        assertThat(container.path("fields").path("metric_name:memory").asDouble()).isEqualTo(1024);
        assertThat(container.path("fields").path("metric_name:disk").asDouble()).isEqualTo(2048);
        assertThat(container.path("fields").path("source_id").asString()).isEqualTo("app-1");
        assertThat(only("cf:valuemetric").path("fields").path("metric_name:buffer.fill").asDouble()).isEqualTo(7);
        assertThat(only("cf:timer").path("fields").path("metric_name:http").asDouble()).isEqualTo(2.5);
    }

    @Test
    void theIndex_followsATagFirst_thenTheSourceIdMap_thenTheFixedIndex_andSourceAndHostFollowTheirTags() {
        nozzle = new SplunkNozzleRunner(firehose, hec.url("http"), Map.of(
                "hydrant.nozzle.splunk.index", "cf_logs",
                "hydrant.nozzle.splunk.index-tag", "splunk_index",
                "hydrant.nozzle.splunk.indexes[app-2]", "team_two",
                "hydrant.nozzle.splunk.source-tags", "app_name",
                "hydrant.nozzle.splunk.host-tags", "host,ip",
                "hydrant.nozzle.splunk.fields.foundation", "eu-1"));

        firehose.publish(
                envelope("app-1").putTags("app_name", "shop").setLog(Log.newBuilder().setPayload(ByteString.copyFromUtf8("a"))).build(),
                envelope("app-2").putTags("host", "cell-7").setLog(Log.newBuilder().setPayload(ByteString.copyFromUtf8("b"))).build(),
                envelope("app-2").putTags("splunk_index", "special").setLog(Log.newBuilder().setPayload(ByteString.copyFromUtf8("c"))).build());

        await().atMost(Patience.WAIT).until(() -> hec.events().size() == 3);
        Map<String, JsonNode> byMessage = new java.util.HashMap<>();
        hec.events().forEach(e -> byMessage.put(e.path("event").path("msg").asString(), e));
        assertThat(byMessage.get("a").path("index").asString()).isEqualTo("cf_logs");
        assertThat(byMessage.get("a").path("source").asString()).isEqualTo("shop");
        assertThat(byMessage.get("a").path("host").asString()).isEqualTo("10.0.16.7");
        assertThat(byMessage.get("b").path("index").asString()).isEqualTo("team_two");
        assertThat(byMessage.get("b").path("source").asString()).isEqualTo("app-2");
        assertThat(byMessage.get("b").path("host").asString()).isEqualTo("cell-7");
        assertThat(byMessage.get("c").path("index").asString()).isEqualTo("special");
        assertThat(hec.events()).allSatisfy(e -> assertThat(e.path("fields").path("foundation").asString()).isEqualTo("eu-1"));
    }
}
