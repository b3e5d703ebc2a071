package dev.hydrant.metron.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The text exposition format, 0.0.4, as Prometheus reads it. */
class ExpositionParserTest {

    @Test
    void samplesTakeTheirFamilysKind_partsOfHistogramsAndSummariesIncluded() {
        List<Sample> samples = ExpositionParser.parse("""
                # HELP http_requests_total The total number of HTTP requests.
                # TYPE http_requests_total counter
                http_requests_total{method="post",code="200"} 1027 1395066363000
                http_requests_total{method="post",code="400"}    3 1395066363000

                # A free comment
                # TYPE rpc_duration_seconds summary
                rpc_duration_seconds{quantile="0.99"} 76656
                rpc_duration_seconds_sum 1.7560473e+07
                rpc_duration_seconds_count 2693
                # TYPE http_request_duration_seconds histogram
                http_request_duration_seconds_bucket{le="0.05"} 24054
                http_request_duration_seconds_bucket{le="+Inf"} 144320
                http_request_duration_seconds_sum 53423
                http_request_duration_seconds_count 144320
                # TYPE temperature gauge
                temperature -12.5
                metric_without_type 7
                """);

        assertThat(samples).extracting(Sample::name, Sample::kind).containsExactly(
                tuple("http_requests_total", Sample.Kind.COUNTER), tuple("http_requests_total", Sample.Kind.COUNTER),
                tuple("rpc_duration_seconds", Sample.Kind.SUMMARY), tuple("rpc_duration_seconds_sum", Sample.Kind.SUMMARY),
                tuple("rpc_duration_seconds_count", Sample.Kind.SUMMARY),
                tuple("http_request_duration_seconds_bucket", Sample.Kind.HISTOGRAM),
                tuple("http_request_duration_seconds_bucket", Sample.Kind.HISTOGRAM),
                tuple("http_request_duration_seconds_sum", Sample.Kind.HISTOGRAM),
                tuple("http_request_duration_seconds_count", Sample.Kind.HISTOGRAM),
                tuple("temperature", Sample.Kind.GAUGE), tuple("metric_without_type", Sample.Kind.UNTYPED));
        assertThat(samples.get(0).labels()).containsExactly(Map.entry("method", "post"), Map.entry("code", "200"));
        assertThat(samples.get(0).timestampMs()).isEqualTo(1395066363000L);
        assertThat(samples.get(1).value()).isEqualTo(3);
        assertThat(samples.get(4).value()).isEqualTo(2693);
        assertThat(samples.get(6).labels()).containsEntry("le", "+Inf");
        assertThat(samples.get(9).value()).isEqualTo(-12.5);
        assertThat(samples.get(9).timestampMs()).isEqualTo(Sample.NO_TIMESTAMP);
    }

    @Test
    void labelValuesAreUnescaped_andSpecialValuesRead() {
        List<Sample> samples = ExpositionParser.parse("""
                msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\"",} 1.458255915e9
                weird{ a = "x,}y" } NaN
                up +Inf
                down -Inf
                """);

        assertThat(samples.get(0).labels()).containsEntry("path", "C:\\DIR\\FILE.TXT")
                .containsEntry("error", "Cannot find file:\n\"FILE.TXT\"");
        assertThat(samples.get(0).value()).isEqualTo(1.458255915e9);
        assertThat(samples.get(1).labels()).containsExactly(Map.entry("a", "x,}y"));
        assertThat(samples.get(1).value()).isNaN();
        assertThat(samples.get(2).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(samples.get(3).value()).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void aLineThatDoesNotParseFailsTheExpositionNamingTheLine() {
        assertThatThrownBy(() -> ExpositionParser.parse("ok 1\nbroken{a=\"1\" 2\n"))
                .isInstanceOf(MalformedExposition.class).hasMessageStartingWith("line 2:");
        assertThatThrownBy(() -> ExpositionParser.parse("x one\n")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> ExpositionParser.parse("x 1 2 3\n")).isInstanceOf(MalformedExposition.class);
        assertThatThrownBy(() -> ExpositionParser.parse("# TYPE x thing\n")).hasMessageContaining("unknown metric type");
    }

    @Test
    void countersBecomeCounterEnvelopesAndTheRestGauges_labelsAsTags() {
        List<Sample> samples = ExpositionParser.parse("""
                # TYPE c counter
                c{k="v"} 12.9
                c{k="nan"} NaN
                # TYPE g gauge
                g 0.5 1000
                """);

        var envelopes = ScrapeEnvelopes.of(samples, "src", "3", 42L);

        assertThat(envelopes).hasSize(2);
        assertThat(envelopes.get(0).getCounter().getName()).isEqualTo("c");
        assertThat(envelopes.get(0).getCounter().getTotal()).isEqualTo(12);
        assertThat(envelopes.get(0).getTagsMap()).containsExactly(Map.entry("k", "v"));
        assertThat(envelopes.get(0).getTimestamp()).isEqualTo(42L);
        assertThat(envelopes.get(0).getSourceId()).isEqualTo("src");
        assertThat(envelopes.get(0).getInstanceId()).isEqualTo("3");
        assertThat(envelopes.get(1).getGauge().getMetricsOrThrow("g").getValue()).isEqualTo(0.5);
        assertThat(envelopes.get(1).getTimestamp()).isEqualTo(1_000_000_000L);
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }
}
