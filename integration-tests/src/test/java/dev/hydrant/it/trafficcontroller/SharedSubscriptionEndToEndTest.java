package dev.hydrant.it.trafficcontroller;

import static dev.hydrant.testsupport.Patience.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hydrant.it.Pipe;
import dev.hydrant.testsupport.tokens.Tokens;
import dev.hydrant.testsupport.websocket.V1Client;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Firehose consumers that share a subscription id split the stream between them, also when each
 * is connected to a different Traffic Controller (two Traffic Controllers on the same two
 * Dopplers); a consumer with another subscription id gets the whole stream.
 */
class SharedSubscriptionEndToEndTest {

    @RegisterExtension
    final EndToEnd e2e = new EndToEnd();

    @Test
    void consumersSharingASubscriptionIdOnTwoTrafficControllers_splitTheStream() throws Exception {
        Tokens tokens = e2e.tokens();
        Pipe pipe = e2e.pipe(2);
        TrafficControllerNode first = e2e.trafficController(pipe, "traffic-controller-1", pipe.dopplerAddresses(), Map.of());
        TrafficControllerNode second = e2e.trafficController(pipe, "traffic-controller-2", pipe.dopplerAddresses(), Map.of());

        V1Client onFirst = e2e.keep(V1Client.connect(first.ws("/firehose/shared-nozzle?filter-type=logs"), tokens.admin()));
        V1Client onSecond = e2e.keep(V1Client.connect(second.ws("/firehose/shared-nozzle?filter-type=logs"), tokens.admin()));
        V1Client whole = e2e.keep(V1Client.connect(second.ws("/firehose/another-nozzle?filter-type=logs"), tokens.admin()));
        await().atMost(PATIENCE).until(() -> pipe.dopplerMetric("subscriptions") >= 6);

        LogEmitter emitter = new LogEmitter(pipe.metronChannel());
        List<Envelope> sent = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            sent.addAll(emitter.send("app-s", String.valueOf(round % 4), 100, 20, 0));
        }
        Set<String> all = new HashSet<>();
        sent.forEach(e -> all.add(e.getLog().getPayload().toStringUtf8()));

        Supplier<String> ledger = () -> TrafficControllerNode.ledger(pipe, 2, first, second);
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(whole.logs("app-s")).as(ledger).hasSize(sent.size());
            assertThat(onFirst.logs("app-s").size() + onSecond.logs("app-s").size()).as(ledger).isEqualTo(sent.size());
        });
        assertThat(new HashSet<>(whole.texts("app-s"))).isEqualTo(all);
        Set<String> firstGot = new HashSet<>(onFirst.texts("app-s"));
        Set<String> secondGot = new HashSet<>(onSecond.texts("app-s"));
        assertThat(firstGot).as("lines the first Traffic Controller's consumer got").isNotEmpty();
        assertThat(secondGot).as("lines the second Traffic Controller's consumer got").isNotEmpty();
        assertThat(firstGot).doesNotContainAnyElementsOf(secondGot);
        Set<String> union = new HashSet<>(firstGot);
        union.addAll(secondGot);
        assertThat(union).isEqualTo(all);
    }
}
