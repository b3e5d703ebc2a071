package dev.hydrant.api.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.cloudfoundry.dropsonde.events.EventFactory;
import org.cloudfoundry.dropsonde.events.EventFactory.Envelope.EventType;
import org.cloudfoundry.dropsonde.events.HttpFactory;
import org.cloudfoundry.dropsonde.events.LogFactory;
import org.cloudfoundry.dropsonde.events.MetricFactory;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.cloudfoundry.loggregator.v2.Log;
import org.cloudfoundry.loggregator.v2.Selector;
import org.cloudfoundry.loggregator.v2.Value;
import org.junit.jupiter.api.Test;

/**
 * Bytes written by hand with the field numbers of docs/wire.md, parsed by the generated classes: a wrong field
 * number or type in a .proto file fails here, whatever the generated code itself would write.
 */
class WireCompatibilityTest {

    @FunctionalInterface
    private interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Fields fields) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            fields.write(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A map entry: key = 1, value = 2. */
    private static byte[] stringEntry(String key, String value) {
        return message(out -> {
            out.writeString(1, key);
            out.writeString(2, value);
        });
    }

    private static byte[] messageEntry(String key, byte[] value) {
        return message(out -> {
            out.writeString(1, key);
            out.writeByteArray(2, value);
        });
    }

    @Test
    void v2LogEnvelopeInABatch_parsesWithTheFieldNumbersOfTheSpec() throws Exception {
        byte[] log = message(out -> {
            out.writeByteArray(1, "hello".getBytes(StandardCharsets.UTF_8));
            out.writeEnum(2, 1); // ERR
        });
        byte[] envelope = message(out -> {
            out.writeInt64(1, 1_700_000_000_000_000_123L);
            out.writeString(2, "app-guid");
            out.writeByteArray(3, messageEntry("legacy", message(v -> v.writeInt64(2, -9))));
            out.writeByteArray(3, messageEntry("ratio", message(v -> v.writeDouble(3, 0.5))));
            out.writeByteArray(3, messageEntry("word", message(v -> v.writeString(1, "w"))));
            out.writeByteArray(4, log);
            out.writeString(8, "4");
            out.writeByteArray(9, stringEntry("source_type", "APP/PROC/WEB"));
        });
        byte[] batch = message(out -> {
            out.writeByteArray(1, envelope);
            out.writeByteArray(1, envelope);
        });

        EnvelopeBatch parsed = EnvelopeBatch.parseFrom(batch);

        assertThat(parsed.getBatchCount()).isEqualTo(2);
        Envelope e = parsed.getBatch(1);
        assertThat(e.getTimestamp()).isEqualTo(1_700_000_000_000_000_123L);
        assertThat(e.getSourceId()).isEqualTo("app-guid");
        assertThat(e.getInstanceId()).isEqualTo("4");
        assertThat(e.getTagsMap()).containsExactly(java.util.Map.entry("source_type", "APP/PROC/WEB"));
        assertThat(e.getDeprecatedTagsMap().get("legacy").getInteger()).isEqualTo(-9);
        assertThat(e.getDeprecatedTagsMap().get("ratio").getDecimal()).isEqualTo(0.5);
        assertThat(e.getDeprecatedTagsMap().get("word").getDataCase()).isEqualTo(Value.DataCase.TEXT);
        assertThat(e.getDeprecatedTagsMap().get("word").getText()).isEqualTo("w");
        assertThat(e.getLog().getPayload().toStringUtf8()).isEqualTo("hello");
        assertThat(e.getLog().getType()).isEqualTo(Log.Type.ERR);
        assertThat(parsed.toByteArray()).as("the generated writer agrees byte for byte").isEqualTo(batch);
    }

    @Test
    void v2MetricTimerAndEventEnvelopes_parseWithTheFieldNumbersOfTheSpec() throws Exception {
        Envelope counter = Envelope.parseFrom(message(out -> out.writeByteArray(5, message(c -> {
            c.writeString(1, "requests");
            c.writeUInt64(2, 3);
            c.writeUInt64(3, -1L);
        }))));
        Envelope gauge = Envelope.parseFrom(message(out -> out.writeByteArray(6, message(g ->
                g.writeByteArray(1, messageEntry("cpu", message(v -> {
                    v.writeString(1, "percentage");
                    v.writeDouble(2, 12.5);
                })))))));
        Envelope timer = Envelope.parseFrom(message(out -> out.writeByteArray(7, message(t -> {
            t.writeString(1, "http");
            t.writeInt64(2, 10);
            t.writeInt64(3, 20);
        }))));
        Envelope event = Envelope.parseFrom(message(out -> out.writeByteArray(10, message(ev -> {
            ev.writeString(1, "title");
            ev.writeString(2, "body");
        }))));

        assertThat(counter.getCounter().getName()).isEqualTo("requests");
        assertThat(counter.getCounter().getDelta()).isEqualTo(3);
        assertThat(Long.toUnsignedString(counter.getCounter().getTotal())).isEqualTo("18446744073709551615");
        assertThat(gauge.getGauge().getMetricsMap().get("cpu").getUnit()).isEqualTo("percentage");
        assertThat(gauge.getGauge().getMetricsMap().get("cpu").getValue()).isEqualTo(12.5);
        assertThat(timer.getTimer().getName()).isEqualTo("http");
        assertThat(timer.getTimer().getStart()).isEqualTo(10);
        assertThat(timer.getTimer().getStop()).isEqualTo(20);
        assertThat(event.getEvent().getTitle()).isEqualTo("title");
        assertThat(event.getEvent().getBody()).isEqualTo("body");
    }

    @Test
    void egressBatchRequest_parsesWithTheFieldNumbersOfTheSpec() throws Exception {
        byte[] request = message(out -> {
            out.writeString(1, "shard");
            out.writeByteArray(2, message(s -> s.writeString(1, "legacy-source")));
            out.writeBool(3, true);
            out.writeByteArray(4, message(s -> {
                s.writeString(1, "app");
                s.writeByteArray(2, new byte[0]);
            }));
            out.writeByteArray(4, message(s -> s.writeByteArray(3, message(c -> c.writeString(1, "hits")))));
            out.writeByteArray(4, message(s -> s.writeByteArray(4, message(g -> {
                g.writeString(1, "cpu");
                g.writeString(1, "memory");
            }))));
            out.writeByteArray(4, message(s -> s.writeByteArray(5, new byte[0])));
            out.writeByteArray(4, message(s -> s.writeByteArray(6, new byte[0])));
            out.writeString(5, "deterministic");
        });

        EgressBatchRequest parsed = EgressBatchRequest.parseFrom(request);

        assertThat(parsed.getShardId()).isEqualTo("shard");
        assertThat(parsed.getLegacySelector().getSourceId()).isEqualTo("legacy-source");
        assertThat(parsed.getUsePreferredTags()).isTrue();
        assertThat(parsed.getDeterministicName()).isEqualTo("deterministic");
        assertThat(parsed.getSelectorsList()).extracting(Selector::getMessageCase).containsExactly(
                Selector.MessageCase.LOG, Selector.MessageCase.COUNTER, Selector.MessageCase.GAUGE,
                Selector.MessageCase.TIMER, Selector.MessageCase.EVENT);
        assertThat(parsed.getSelectors(0).getSourceId()).isEqualTo("app");
        assertThat(parsed.getSelectors(1).getCounter().getName()).isEqualTo("hits");
        assertThat(parsed.getSelectors(2).getGauge().getNamesList()).containsExactly("cpu", "memory");
    }

    @Test
    void v1LogEnvelope_parsesWithTheFieldNumbersOfTheSpec() throws Exception {
        byte[] v1 = message(out -> {
            out.writeString(1, "rep");
            out.writeEnum(2, 5); // LogMessage
            out.writeInt64(6, 123);
            out.writeByteArray(8, message(m -> {
                m.writeByteArray(1, "line".getBytes(StandardCharsets.UTF_8));
                m.writeEnum(2, 2); // ERR
                m.writeInt64(3, 122);
                m.writeString(4, "app-guid");
                m.writeString(5, "APP/PROC/WEB");
                m.writeString(6, "0");
            }));
            out.writeString(13, "cf");
            out.writeString(14, "diego-cell");
            out.writeString(15, "idx");
            out.writeString(16, "10.0.0.1");
            out.writeByteArray(17, stringEntry("k", "v"));
        });

        EventFactory.Envelope parsed = EventFactory.Envelope.parseFrom(v1);

        assertThat(parsed.getOrigin()).isEqualTo("rep");
        assertThat(parsed.getEventType()).isEqualTo(EventType.LogMessage);
        assertThat(parsed.getTimestamp()).isEqualTo(123);
        assertThat(parsed.getDeployment()).isEqualTo("cf");
        assertThat(parsed.getJob()).isEqualTo("diego-cell");
        assertThat(parsed.getIndex()).isEqualTo("idx");
        assertThat(parsed.getIp()).isEqualTo("10.0.0.1");
        assertThat(parsed.getTagsMap()).containsEntry("k", "v");
        LogFactory.LogMessage log = parsed.getLogMessage();
        assertThat(log.getMessage().toStringUtf8()).isEqualTo("line");
        assertThat(log.getMessageType()).isEqualTo(LogFactory.LogMessage.MessageType.ERR);
        assertThat(log.getTimestamp()).isEqualTo(122);
        assertThat(log.getAppId()).isEqualTo("app-guid");
        assertThat(log.getSourceType()).isEqualTo("APP/PROC/WEB");
        assertThat(log.getSourceInstance()).isEqualTo("0");
    }

    @Test
    void v1MetricErrorAndHttpEnvelopes_parseWithTheFieldNumbersOfTheSpec() throws Exception {
        EventFactory.Envelope value = EventFactory.Envelope.parseFrom(message(out -> {
            out.writeString(1, "o");
            out.writeEnum(2, 6);
            out.writeByteArray(9, message(m -> {
                m.writeString(1, "latency");
                m.writeDouble(2, 1.25);
                m.writeString(3, "ms");
            }));
        }));
        EventFactory.Envelope counter = EventFactory.Envelope.parseFrom(message(out -> {
            out.writeString(1, "o");
            out.writeEnum(2, 7);
            out.writeByteArray(10, message(m -> {
                m.writeString(1, "hits");
                m.writeUInt64(2, 2);
                m.writeUInt64(3, 20);
            }));
        }));
        EventFactory.Envelope error = EventFactory.Envelope.parseFrom(message(out -> {
            out.writeString(1, "o");
            out.writeEnum(2, 8);
            out.writeByteArray(11, message(m -> {
                m.writeString(1, "uaa");
                m.writeInt32(2, 503);
                m.writeString(3, "down");
            }));
        }));
        EventFactory.Envelope container = EventFactory.Envelope.parseFrom(message(out -> {
            out.writeString(1, "o");
            out.writeEnum(2, 9);
            out.writeByteArray(12, message(m -> {
                m.writeString(1, "app");
                m.writeInt32(2, 3);
                m.writeDouble(3, 50.5);
                m.writeUInt64(4, 100);
                m.writeUInt64(5, 200);
                m.writeUInt64(6, 300);
                m.writeUInt64(7, 400);
            }));
        }));

        assertThat(value.getEventType()).isEqualTo(EventType.ValueMetric);
        assertThat(value.getValueMetric()).isEqualTo(MetricFactory.ValueMetric.newBuilder()
                .setName("latency").setValue(1.25).setUnit("ms").build());
        assertThat(counter.getEventType()).isEqualTo(EventType.CounterEvent);
        assertThat(counter.getCounterEvent().getName()).isEqualTo("hits");
        assertThat(counter.getCounterEvent().getDelta()).isEqualTo(2);
        assertThat(counter.getCounterEvent().getTotal()).isEqualTo(20);
        assertThat(error.getEventType()).isEqualTo(EventType.Error);
        assertThat(error.getError().getSource()).isEqualTo("uaa");
        assertThat(error.getError().getCode()).isEqualTo(503);
        assertThat(error.getError().getMessage()).isEqualTo("down");
        assertThat(container.getEventType()).isEqualTo(EventType.ContainerMetric);
        MetricFactory.ContainerMetric metric = container.getContainerMetric();
        assertThat(metric.getApplicationId()).isEqualTo("app");
        assertThat(metric.getInstanceIndex()).isEqualTo(3);
        assertThat(metric.getCpuPercentage()).isEqualTo(50.5);
        assertThat(metric.getMemoryBytes()).isEqualTo(100);
        assertThat(metric.getDiskBytes()).isEqualTo(200);
        assertThat(metric.getMemoryBytesQuota()).isEqualTo(300);
        assertThat(metric.getDiskBytesQuota()).isEqualTo(400);
    }

    @Test
    void v1HttpStartStop_parsesWithTheFieldNumbersOfTheSpec() throws Exception {
        EventFactory.Envelope parsed = EventFactory.Envelope.parseFrom(message(out -> {
            out.writeString(1, "gorouter");
            out.writeEnum(2, 4);
            out.writeByteArray(7, message(h -> {
                h.writeInt64(1, 10);
                h.writeInt64(2, 20);
                h.writeByteArray(3, message(u -> {
                    u.writeUInt64(1, 0x0807060504030201L);
                    u.writeUInt64(2, 0x100f0e0d0c0b0a09L);
                }));
                h.writeEnum(4, 2); // Server
                h.writeEnum(5, 2); // POST
                h.writeString(6, "/path");
                h.writeString(7, "1.2.3.4");
                h.writeString(8, "agent");
                h.writeInt32(9, 200);
                h.writeInt64(10, 99);
                h.writeByteArray(12, message(u -> {
                    u.writeUInt64(1, 1);
                    u.writeUInt64(2, 2);
                }));
                h.writeInt32(13, 6);
                h.writeString(14, "iid");
                h.writeString(15, "f1");
                h.writeString(15, "f2");
            }));
        }));

        assertThat(parsed.getEventType()).isEqualTo(EventType.HttpStartStop);
        HttpFactory.HttpStartStop http = parsed.getHttpStartStop();
        assertThat(http.getStartTimestamp()).isEqualTo(10);
        assertThat(http.getStopTimestamp()).isEqualTo(20);
        assertThat(http.getRequestId().getLow()).isEqualTo(0x0807060504030201L);
        assertThat(http.getRequestId().getHigh()).isEqualTo(0x100f0e0d0c0b0a09L);
        assertThat(http.getPeerType()).isEqualTo(HttpFactory.PeerType.Server);
        assertThat(http.getMethod()).isEqualTo(HttpFactory.Method.POST);
        assertThat(http.getUri()).isEqualTo("/path");
        assertThat(http.getRemoteAddress()).isEqualTo("1.2.3.4");
        assertThat(http.getUserAgent()).isEqualTo("agent");
        assertThat(http.getStatusCode()).isEqualTo(200);
        assertThat(http.getContentLength()).isEqualTo(99);
        assertThat(http.getApplicationId().getLow()).isEqualTo(1);
        assertThat(http.getApplicationId().getHigh()).isEqualTo(2);
        assertThat(http.getInstanceIndex()).isEqualTo(6);
        assertThat(http.getInstanceId()).isEqualTo("iid");
        assertThat(http.getForwardedList()).containsExactly("f1", "f2");
    }
}
