package dev.hydrant.metron.containers;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A container whose readings fail (here a process that has ended) gives no metric; every failure is told to the
 * caller, and the one warning of the outage names where the caller counts them: the agent's meter, or
 * {@code ship}'s summary, which has no meters.
 */
class ContainerSamplerFailureTest {

    @Test
    void failedReadingsAreToldEachTime_andLoggedOnce_namingWhereTheCallerCountsThem() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        AtomicInteger told = new AtomicInteger();
        ContainerSampler sampler = new ContainerSampler(
                new ProcessContainer(Proc.host(), Cgroups.host(), ended.pid(), Optional.empty()), "app", "0",
                told::incrementAndGet, "the summary printed when the app ends", Clock.systemUTC(), System::nanoTime);
        Logger logger = (Logger) LoggerFactory.getLogger(ContainerSampler.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            for (int i = 0; i < 3; i++) {
                assertThat(sampler.sample()).isEmpty();
            }
        } finally {
            logger.detachAppender(appender);
        }

        assertThat(told).hasValue(3);
        List<String> warnings = appender.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(warnings).singleElement().asString()
                .contains("process " + ended.pid() + " (app/0) cannot be read")
                .contains("counted in the summary printed when the app ends")
                .doesNotContain("container.metrics.failures");
    }
}
