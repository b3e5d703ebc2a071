package dev.hydrant.metron.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.regex.Pattern;

/**
 * A scrape's body (metron-agent README, "Prometheus scraping"): whatever a target answers, in any chunking and with any
 * Content-Length, {@link BoundedBody} holds at most its limit and gives the body exactly or fails with
 * {@link BoundedBody.TooLarge}; {@link ExpositionParser} turns the text into samples of well-formed names or
 * throws {@link MalformedExposition}, never another exception. And an exposition written from fuzzed families
 * (names, labels with escapes, values with NaN and the infinities, timestamps, blanks, comments) parses into
 * exactly the samples written, each of the kind its family's {@code # TYPE} gives.
 */
class ExpositionFuzzTest {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final String NAME_START = "abcxyzABZ_:";
    private static final String NAME_REST = NAME_START + "0189";
    private static final String[] KINDS = {"counter", "gauge", "histogram", "summary", "untyped"};
    private static final String[] SUFFIXES = {"", "", "_bucket", "_sum", "_count", "_total"};

    @DictionaryEntries({"# TYPE ", "# HELP ", " counter", " gauge", " histogram", " summary", "{", "}", "=\\\"",
            "\\\",", "\\\\\\\"", "\\\\n", "\\\\\\\\", "NaN", "+Inf", "-Inf", "_bucket", "_sum", "_count",
            "le=\\\"", "\\x0A"}) // in libFuzzer's dictionary escapes: \\ and \" and \xAB
    @FuzzTest(maxDuration = "10s")
    void anyBodyIsSamplesOrMalformed_andWrittenSamplesParseBackAsWritten(FuzzedDataProvider data) throws Exception {
        if (data.consumeBoolean()) {
            writtenSamplesParseBack(data);
            return;
        }
        int limit = data.consumeInt(0, 4096);
        long declared = data.consumeBoolean() ? data.consumeLong(-1, 8192) : -1;
        int[] chunks = new int[data.consumeInt(0, 8)];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = data.consumeInt(0, 2048);
        }
        byte[] body = data.consumeRemainingAsBytes();

        CompletableFuture<byte[]> read = deliver(limit, declared, body, chunks);

        if (declared > limit || body.length > limit) {
            assertThat(read).isCompletedExceptionally();
            assertThat(read.handle((body1, error) -> error).getNow(null)).isInstanceOf(BoundedBody.TooLarge.class);
            return;
        }
        assertThat(read.getNow(null)).isEqualTo(body);
        List<Sample> samples;
        try {
            samples = ExpositionParser.parse(new String(body, StandardCharsets.UTF_8));
        } catch (MalformedExposition malformed) {
            assertThat(malformed.getMessage()).startsWith("line ");
            return;
        }
        assertThat(samples.size()).isLessThanOrEqualTo(body.length / 3 + 1);
        for (Sample sample : samples) {
            if (!NAME.matcher(sample.name()).matches() || sample.kind() == null
                    || !sample.labels().keySet().stream().allMatch(label -> NAME.matcher(label).matches())) {
                assertThat(sample.name()).matches(NAME);
                assertThat(sample.labels().keySet()).allSatisfy(label -> assertThat(label).matches(NAME));
                assertThat(sample.kind()).isNotNull();
            }
        }
    }

    /** The body as the HTTP client hands it over: in buffers of the chunk sizes, only as far as asked for. */
    private static CompletableFuture<byte[]> deliver(int limit, long declared, byte[] body, int[] chunks) {
        Map<String, List<String>> headers = declared < 0 ? Map.of() : Map.of("Content-Length", List.of(Long.toString(declared)));
        HttpResponse.BodySubscriber<byte[]> subscriber = BoundedBody.handler(limit).apply(new Info(headers));
        Demand demand = new Demand();
        subscriber.onSubscribe(demand);
        CompletableFuture<byte[]> result = subscriber.getBody().toCompletableFuture();
        int from = 0;
        int chunk = 0;
        while (from < body.length && !demand.cancelled) {
            assertThat(demand.requested).as("asked for more").isPositive();
            demand.requested--;
            List<ByteBuffer> buffers = new ArrayList<>();
            for (int i = 0; i < 2 && from < body.length; i++) {
                int size = Math.max(1, chunks.length == 0 ? body.length : chunks[chunk++ % chunks.length]);
                int to = Math.min(body.length, from + size);
                buffers.add(ByteBuffer.wrap(Arrays.copyOfRange(body, from, to)));
                from = to;
            }
            subscriber.onNext(buffers);
        }
        if (!demand.cancelled) {
            subscriber.onComplete();
        } else {
            assertThat(result).isCompletedExceptionally();
        }
        assertThat(result).isDone();
        return result;
    }

    /** An exposition written from fuzzed families, and the samples it holds. */
    private static void writtenSamplesParseBack(FuzzedDataProvider data) {
        StringBuilder text = new StringBuilder();
        Map<String, Sample.Kind> kinds = new HashMap<>();
        int families = data.consumeInt(0, 4);
        List<String> names = new ArrayList<>();
        for (int f = 0; f < families; f++) {
            String name = name(data);
            names.add(name);
            if (data.consumeBoolean()) {
                String kind = data.pickValue(KINDS);
                text.append("# TYPE ").append(name).append(' ').append(data.consumeBoolean() ? kind : kind.toUpperCase(Locale.ROOT))
                        .append(newline(data));
                kinds.put(name, Sample.Kind.valueOf(kind.toUpperCase(Locale.ROOT)));
            }
            if (data.consumeBoolean()) {
                text.append("# HELP ").append(name).append(' ').append(data.consumeString(30).replaceAll("[\r\n]", " "))
                        .append(newline(data));
            }
        }
        List<Sample> written = new ArrayList<>();
        int samples = data.consumeInt(0, 8);
        for (int s = 0; s < samples; s++) {
            String name = names.isEmpty() || data.consumeBoolean() ? name(data)
                    : data.pickValue(names) + data.pickValue(SUFFIXES);
            text.append(name).append(blanks(data));
            Map<String, String> labels = new LinkedHashMap<>();
            int count = data.consumeInt(0, 3);
            if (count > 0 || data.consumeBoolean()) {
                text.append('{');
                for (int l = 0; l < count; l++) {
                    String label = name(data).replace(":", "_");
                    String value = data.consumeString(20);
                    text.append(blanks(data)).append(label).append(blanks(data)).append('=').append(blanks(data))
                            .append('"').append(escaped(value)).append('"').append(blanks(data));
                    labels.put(label, value); // written twice: the last value, in the first place
                    if (l < count - 1 || data.consumeBoolean()) {
                        text.append(',');
                    }
                }
                text.append(blanks(data)).append('}');
            }
            double value = value(data);
            text.append(' ').append(blanks(data)).append(written(value, data));
            long timestamp = Sample.NO_TIMESTAMP;
            if (data.consumeBoolean()) {
                timestamp = data.consumeLong(Long.MIN_VALUE + 1, Long.MAX_VALUE);
                text.append(data.consumeBoolean() ? ' ' : '\t').append(blanks(data)).append(timestamp);
            }
            text.append(blanks(data)).append(newline(data));
            written.add(new Sample(name, labels, value, timestamp, kindOf(name, kinds)));
        }
        if (text.length() > 0 && data.consumeBoolean()) {
            text.setLength(text.length() - 1); // no final newline
        }

        assertThat(ExpositionParser.parse(text.toString())).as("parsed from:\n%s", text).containsExactlyElementsOf(written);
    }

    private static String name(FuzzedDataProvider data) {
        StringBuilder name = new StringBuilder().append(NAME_START.charAt(data.consumeInt(0, NAME_START.length() - 1)));
        int length = data.consumeInt(0, 8);
        for (int i = 0; i < length; i++) {
            name.append(NAME_REST.charAt(data.consumeInt(0, NAME_REST.length() - 1)));
        }
        return name.toString();
    }

    private static String escaped(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String blanks(FuzzedDataProvider data) {
        return data.pickValue(new String[] {"", "", " ", "\t", "  \t"});
    }

    private static String newline(FuzzedDataProvider data) {
        return data.pickValue(new String[] {"\n", "\n", "\r\n", "\n\n", "\n  \n"});
    }

    private static double value(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 4)) {
            case 0 -> Double.NaN;
            case 1 -> Double.POSITIVE_INFINITY;
            case 2 -> Double.NEGATIVE_INFINITY;
            case 3 -> data.consumeInt();
            default -> data.consumeDouble();
        };
    }

    private static String written(double value, FuzzedDataProvider data) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? data.pickValue(new String[] {"+Inf", "Inf"}) : "-Inf";
        }
        boolean integral = value == Math.rint(value) && Math.abs(value) < 1e15 && Double.compare(value, -0.0) != 0;
        return integral && data.consumeBoolean() ? Long.toString((long) value) : Double.toString(value);
    }

    /** The documented kind of a sample: its own family's, or that of the histogram or summary it belongs to. */
    private static Sample.Kind kindOf(String name, Map<String, Sample.Kind> kinds) {
        if (kinds.containsKey(name)) {
            return kinds.get(name);
        }
        for (String suffix : List.of("_bucket", "_sum", "_count")) {
            Sample.Kind family = name.endsWith(suffix) ? kinds.get(name.substring(0, name.length() - suffix.length())) : null;
            if (family == Sample.Kind.HISTOGRAM || family == Sample.Kind.SUMMARY && !suffix.equals("_bucket")) {
                return family;
            }
        }
        return Sample.Kind.UNTYPED;
    }

    /** The subscription of the body: what the subscriber asked for and whether it cancelled. */
    private static final class Demand implements Flow.Subscription {
        private long requested;
        private boolean cancelled;

        @Override
        public void request(long n) {
            requested += n;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    /** A 200 response's status line and headers. */
    private record Info(Map<String, List<String>> headerMap) implements HttpResponse.ResponseInfo {

        @Override
        public int statusCode() {
            return 200;
        }

        @Override
        public HttpHeaders headers() {
            return HttpHeaders.of(headerMap, (name, value) -> true);
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
