package dev.hydrant.nozzles.kafka.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.testsupport.kafka.KafkaBroker;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTest {

    @Test
    void startsAKraftBrokerThatCreatesTopics(@TempDir Path dir) throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir)) {
            broker.createTopic("t", 3);
            assertThat(broker.admin().listTopics().names().get()).contains("t");
        }
    }
}
