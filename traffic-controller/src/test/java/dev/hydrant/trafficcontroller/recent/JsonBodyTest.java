package dev.hydrant.trafficcontroller.recent;

import static dev.hydrant.trafficcontroller.support.TrafficControllerRunner.counter;
import static dev.hydrant.trafficcontroller.support.TrafficControllerRunner.event;
import static dev.hydrant.trafficcontroller.support.TrafficControllerRunner.gauge;
import static dev.hydrant.trafficcontroller.support.TrafficControllerRunner.log;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.api.json.EnvelopeJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.EnvelopeBatch;
import org.junit.jupiter.api.Test;

/** The /api/v1/read body written from each envelope's JSON is the batch's JSON text, to the byte. */
class JsonBodyTest {

    private static String batchJson(List<Envelope> envelopes) {
        return "{\"envelopes\":" + EnvelopeJson.toJson(EnvelopeBatch.newBuilder().addAllBatch(envelopes).build()) + "}";
    }

    @Test
    void theBodyIsTheBatchJson_forNoneOneAndMany() {
        List<Envelope> many = List.of(log("app", "h\u00e9llo \"quoted\"", 1), counter("app", "c", 2, 2),
                gauge("app", "cpu", 1.5, 3), event("app", "title", 4));
        for (List<Envelope> envelopes : List.of(List.<Envelope>of(), many.subList(0, 1), many)) {
            assertThat(new String(JsonBody.of(envelopes), StandardCharsets.UTF_8)).isEqualTo(batchJson(envelopes));
        }
    }
}
