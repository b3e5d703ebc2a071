package dev.hydrant.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PrometheusScrapeTest {

    private static final String TEXT = """
            # HELP dropped_total Envelopes dropped
            # TYPE dropped_total counter
            dropped_total{application="doppler",direction="egress"} 12.0
            dropped_total{direction="egress",subscriber="b"} 3.0
            dropped_total{direction="ingress"} 5.0
            egress_total 1.5E4
            ingress_total{application="doppler"} 20000.0
            """;

    @Test
    void sumsEverySeriesOfAMetricThatCarriesTheAskedLabels() {
        PrometheusScrape scrape = PrometheusScrape.parse(TEXT);

        assertThat(scrape.sum("dropped_total", "direction=\"egress\"")).isEqualTo(OptionalDouble.of(15));
        assertThat(scrape.sum("dropped_total", "direction=\"ingress\"")).isEqualTo(OptionalDouble.of(5));
        assertThat(scrape.sum("egress_total")).isEqualTo(OptionalDouble.of(15_000));
        assertThat(scrape.sum("ingress_total")).isEqualTo(OptionalDouble.of(20_000));
    }

    @Test
    void aMetricThatIsNotThereIsAbsentRatherThanZero() {
        assertThat(PrometheusScrape.parse(TEXT).sum("subscriptions")).isEmpty();
        assertThat(PrometheusScrape.parse("").sum("ingress_total")).isEmpty();
    }

    @Test
    void labelValuesAreListedOnceInTheOrderFirstSeen() {
        assertThat(PrometheusScrape.parse(TEXT).labelValues("dropped_total", "direction"))
                .containsExactly("egress", "ingress");
        assertThat(PrometheusScrape.parse(TEXT).labelValues("egress_total", "endpoint")).isEmpty();
    }
}
