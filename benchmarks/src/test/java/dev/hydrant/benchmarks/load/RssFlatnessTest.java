package dev.hydrant.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RssFlatnessTest {

    @Test
    void comparesTheMeanOfTheLastTenSamplesWithTheMeanOfSamplesElevenToTwenty() {
        List<Long> samples = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            samples.add(100L); // the first ten minutes are not judged: start-up and warm-up
        }
        for (int i = 0; i < 10; i++) {
            samples.add(600L);
        }
        for (int i = 0; i < 20; i++) {
            samples.add(i < 10 ? 640L : 629L);
        }

        RssFlatness flatness = RssFlatness.of(samples);

        assertThat(flatness.referenceMb()).isEqualTo(600);
        assertThat(flatness.finalMb()).isEqualTo(629);
        assertThat(flatness.pass()).isTrue();
        assertThat(flatness.verdict()).startsWith("PASS: 600.0 -> 629.0 MiB (+4.83 %)");
    }

    @Test
    void failsAProcessThatGrewMoreThanFivePercent() {
        List<Long> samples = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            samples.add(i < 20 ? 600L : 631L);
        }

        assertThat(RssFlatness.of(samples).pass()).isFalse();
        assertThat(RssFlatness.of(samples).verdict()).startsWith("FAIL");
    }

    @Test
    void givesNoVerdictWithoutThirtySamples() {
        RssFlatness flatness = RssFlatness.of(List.of(600L, 600L, 600L));

        assertThat(flatness.decided()).isFalse();
        assertThat(flatness.pass()).isFalse();
        assertThat(flatness.verdict()).startsWith("no verdict");
    }
}
