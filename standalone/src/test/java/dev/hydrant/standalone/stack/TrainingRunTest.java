package dev.hydrant.standalone.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The training run that {@code ./hydrant} records the start-up cache with: unless envelopes go through
 * the whole stack, the cache would hold start-up's classes only, and {@code ./hydrant} would fall back to
 * running without one.
 */
class TrainingRunTest {

    private static final Pattern HOME = Pattern.compile("starting the stack in (\\S+) and sending");
    private static final Pattern RECEIVED = Pattern.compile("Training: (\\d+) envelopes received by the subscribers");

    @Test
    void sendsEnvelopesThroughMetronToTheDopplersAndTheTrafficControllersSubscribers_andRemovesItsDataDirectory() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = TrainingRun.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String output = bytes.toString(StandardCharsets.UTF_8);

        assertThat(code).as("exit code; its output:%n%s", output).isZero();
        Matcher received = RECEIVED.matcher(output);
        assertThat(received.find()).as("the count in:%n%s", output).isTrue();
        assertThat(Long.parseLong(received.group(1))).isPositive();
        Matcher home = HOME.matcher(output);
        assertThat(home.find()).as("the data directory in:%n%s", output).isTrue();
        assertThat(Path.of(home.group(1))).as("the temporary data directory").doesNotExist();
    }
}
