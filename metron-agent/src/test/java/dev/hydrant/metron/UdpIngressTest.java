package dev.hydrant.metron;

import static dev.hydrant.testsupport.Patience.WAIT;
import static dev.hydrant.testsupport.envelopes.Envelopes.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.hydrant.metron.support.RecordingDoppler;
import dev.hydrant.metron.support.RunningMetron;
import dev.hydrant.metron.support.TestPki;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.cloudfoundry.dropsonde.events.EventFactory;
import org.cloudfoundry.dropsonde.events.LogFactory;
import org.cloudfoundry.dropsonde.events.MetricFactory;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dropsonde envelopes sent over UDP, one per datagram, as legacy emitters send them. */
class UdpIngressTest {

    @TempDir
    static Path dir;

    private static RecordingDoppler doppler;
    private static RunningMetron metron;

    @BeforeAll
    static void start() {
        TestPki pki = new TestPki(dir);
        doppler = RecordingDoppler.start(pki.doppler, 0);
        metron = RunningMetron.start(pki, Map.of(
                "hydrant.metron.dopplers", doppler.address(),
                "hydrant.metron.deployment", "cf",
                "hydrant.metron.job", "router"));
    }

    @AfterAll
    static void stop() {
        metron.close();
        doppler.close();
    }

    private static void sendDatagram(byte[] bytes) throws Exception {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), metron.udpPort()));
        }
    }

    private static EventFactory.Envelope.Builder v1(String origin) {
        return EventFactory.Envelope.newBuilder().setOrigin(origin).setTimestamp(1_700_000_000_000_000_000L)
                .putTags("source_id", "app-udp");
    }

    @Test
    void aLogMessageAndACounterEvent_arriveAsV2Envelopes_taggedByTheAgent() throws Exception {
        long ingressBefore = metron.ingress();
        sendDatagram(v1("legacy-emitter").setEventType(EventFactory.Envelope.EventType.LogMessage)
                .setLogMessage(LogFactory.LogMessage.newBuilder()
                        .setMessage(ByteString.copyFromUtf8("hello over udp"))
                        .setMessageType(LogFactory.LogMessage.MessageType.ERR)
                        .setTimestamp(1_700_000_000_000_000_000L)
                        .setAppId("app-udp").setSourceType("APP/PROC/WEB").setSourceInstance("2"))
                .build().toByteArray());
        sendDatagram(v1("legacy-emitter").setEventType(EventFactory.Envelope.EventType.CounterEvent)
                .setCounterEvent(MetricFactory.CounterEvent.newBuilder().setName("requests").setDelta(3).setTotal(10))
                .build().toByteArray());

        await().atMost(WAIT).until(() -> doppler.from("app-udp").size() == 2);
        Envelope log = doppler.from("app-udp").stream().filter(Envelope::hasLog).findFirst().orElseThrow();
        assertThat(text(log)).isEqualTo("hello over udp");
        assertThat(log.getLog().getType()).isEqualTo(org.cloudfoundry.loggregator.v2.Log.Type.ERR);
        assertThat(log.getInstanceId()).isEqualTo("2");
        assertThat(log.getTagsMap()).containsEntry("origin", "legacy-emitter").containsEntry("deployment", "cf")
                .containsEntry("job", "router");
        Envelope counter = doppler.from("app-udp").stream().filter(Envelope::hasCounter).findFirst().orElseThrow();
        assertThat(counter.getCounter().getName()).isEqualTo("requests");
        assertThat(counter.getCounter().getDelta()).isEqualTo(3);
        assertThat(metron.ingress() - ingressBefore).isEqualTo(2);
    }

    @Test
    void aDatagramThatIsNoEnvelope_isCountedAndSkipped_andTheNextOneStillArrives() throws Exception {
        double malformedBefore = malformed();
        sendDatagram(new byte[] {0x0a, (byte) 0xff, (byte) 0xff, 0x7f, 1, 2});
        sendDatagram("not protobuf at all".getBytes(StandardCharsets.UTF_8));
        sendDatagram(v1("legacy-emitter").putTags("source_id", "app-udp-after")
                .setEventType(EventFactory.Envelope.EventType.ValueMetric)
                .setValueMetric(MetricFactory.ValueMetric.newBuilder().setName("latency").setValue(12.5).setUnit("ms"))
                .build().toByteArray());

        await().atMost(WAIT).until(() -> doppler.from("app-udp-after").size() == 1);
        assertThat(doppler.from("app-udp-after").get(0).getGauge().getMetricsMap()).containsKey("latency");
        assertThat(malformed() - malformedBefore).isEqualTo(2);
    }

    private static double malformed() {
        return metron.registry().get("udp.malformed").counter().count();
    }

    @Test
    void aDatagramOfNearly64KiB_isReadWhole() throws Exception {
        String line = "x".repeat(60_000);
        sendDatagram(v1("legacy-emitter").putTags("source_id", "app-udp-big")
                .setEventType(EventFactory.Envelope.EventType.LogMessage)
                .setLogMessage(LogFactory.LogMessage.newBuilder().setMessage(ByteString.copyFromUtf8(line))
                        .setMessageType(LogFactory.LogMessage.MessageType.OUT).setTimestamp(1))
                .build().toByteArray());

        await().atMost(WAIT).until(() -> doppler.from("app-udp-big").size() == 1);
        assertThat(text(doppler.from("app-udp-big").get(0))).hasSize(60_000);
    }
}
