package dev.hydrant.trafficcontroller.websocket;

import dev.hydrant.trafficcontroller.fanin.LocalDelivery;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces a slow consumer that was cut: a v2 Event from source id {@code traffic_controller}
 * (title "slow consumer"), delivered to this Traffic Controller's v2 clients that select events
 * (v1 consumers cannot receive Events, docs/wire.md section 3), and a log line (one per cut consumer,
 * not per envelope).
 */
public final class SlowConsumerNotice {

    /** Source id of the Traffic Controller's own envelopes. */
    public static final String SOURCE_ID = "traffic_controller";

    private static final Logger log = LoggerFactory.getLogger(SlowConsumerNotice.class);

    private final LocalDelivery delivery;
    private final String instanceId;
    private final Clock clock;

    public SlowConsumerNotice(LocalDelivery delivery, String instanceId, Clock clock) {
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    void announce(StreamTarget target, InetSocketAddress remote, Duration timeout) {
        String path = target.firehose() ? "/firehose/" + target.id() : "/apps/" + target.id() + "/stream";
        String body = "Disconnected websocket consumer " + remote + " of " + path
                + ": it did not take the next envelope within " + timeout;
        log.warn("Slow consumer: {}", body);
        Instant now = clock.instant();
        delivery.deliver(Envelope.newBuilder()
                .setTimestamp(now.getEpochSecond() * 1_000_000_000L + now.getNano())
                .setSourceId(SOURCE_ID)
                .setInstanceId(instanceId)
                .putTags("origin", "loggregator.trafficcontroller")
                .putTags("endpoint", target.endpoint())
                .setEvent(Event.newBuilder().setTitle("slow consumer").setBody(body))
                .build());
    }
}
