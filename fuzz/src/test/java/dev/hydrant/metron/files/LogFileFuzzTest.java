package dev.hydrant.metron.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import dev.hydrant.metron.files.SourceNaming.Names;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Container log files (metron-agent README, "Formats"): any bytes a runtime or an app puts in a file, in any
 * format, read by {@link TailedFile} in 64 KiB reads however the writer's appends fall, become log envelopes of at
 * most {@link LineAssembler#MAX_MESSAGE} bytes, never an exception (a line that does not parse is forwarded as a
 * plain line and counted); the envelopes do not depend on how the file was appended to; a file of valid UTF-8
 * gives envelopes of valid UTF-8 (messages are cut at character boundaries). And well-formed CRI, Docker json-file
 * and plain lines, however the runtime split them into partial lines, come back as the messages written, with
 * their stream and time.
 */
class LogFileFuzzTest {

    /** Bytes of one file at most: lines over the 240 KiB raw bound are within reach. */
    private static final int MAX_FILE = 260_000;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path directory;

    private final FilesMeters meters = FilesMeters.register(new SimpleMeterRegistry());

    /** One message as written: its stream, its own time (0 for none) and its bytes. */
    private record Written(boolean stderr, long nanos, byte[] message) {
    }

    @FuzzTest(maxDuration = "10s")
    void anyFileIsReadIntoBoundedLines_inAnyChunking_andWellFormedLinesComeBackAsWritten(FuzzedDataProvider data)
            throws IOException {
        LineFormat format = data.pickValue(LineFormat.values());
        boolean generated = data.consumeBoolean();
        int[] appends = new int[data.consumeInt(0, 6)];
        for (int i = 0; i < appends.length; i++) {
            appends[i] = data.consumeInt(1, 140_000);
        }
        List<Written> written = new ArrayList<>();
        byte[] file = generated ? wellFormed(format, data, written) : anyBytes(data);

        List<Envelope> whole = read(file, format, new int[0]);
        List<Envelope> chunked = read(file, format, appends);

        boolean utf8 = generated || isUtf8(file);
        for (Envelope envelope : whole) {
            Log log = envelope.getLog();
            if (log.getPayload().size() > LineAssembler.MAX_MESSAGE || log.getType() == Log.Type.UNRECOGNIZED
                    || utf8 && !log.getPayload().isValidUtf8()) {
                assertThat(log.getPayload().size()).as("payload bytes").isLessThanOrEqualTo(LineAssembler.MAX_MESSAGE);
                assertThat(log.getType()).isIn(Log.Type.OUT, Log.Type.ERR);
                assertThat(log.getPayload().isValidUtf8()).as("valid UTF-8 from a file of valid UTF-8").isTrue();
            }
        }
        List<Line> wholeLines = lines(whole);
        List<Line> chunkedLines = lines(chunked);
        if (!chunkedLines.equals(wholeLines)) {
            assertThat(chunkedLines).as("appended in pieces of %s", Arrays.toString(appends))
                    .containsExactlyElementsOf(wholeLines);
        }
        if (generated) {
            assertComeBackAsWritten(written, whole, format != LineFormat.PLAIN);
        }
    }

    /** Any bytes, with a part repeated so that lines reach and pass the bounds. */
    private static byte[] anyBytes(FuzzedDataProvider data) {
        byte[] head = data.consumeBytes(data.consumeInt(0, 200));
        byte[] repeated = data.consumeBytes(data.consumeInt(0, 16));
        int times = repeated.length == 0 ? 0 : data.consumeInt(0, MAX_FILE / repeated.length);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(head);
        file.writeBytes(new String(repeated, StandardCharsets.ISO_8859_1).repeat(times).getBytes(StandardCharsets.ISO_8859_1));
        file.writeBytes(data.consumeRemainingAsBytes());
        return file.toByteArray();
    }

    /** Lines as a runtime writes them, each message split into parts of a fuzzed size (a runtime uses 16 KiB). */
    private static byte[] wellFormed(LineFormat format, FuzzedDataProvider data, List<Written> written) {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        int messages = data.consumeInt(1, 6);
        for (int m = 0; m < messages && file.size() < MAX_FILE; m++) {
            boolean stderr = format != LineFormat.PLAIN && data.consumeBoolean();
            Instant time = Instant.ofEpochSecond(data.consumeLong(1, 9_000_000_000L), data.consumeInt(0, 999_999_999));
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(60 * data.consumeInt(-18 * 60, 18 * 60));
            String timestamp = OffsetDateTime.ofInstant(time, offset).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            int partSize = data.consumeInt(1, 20_000);
            String message = message(data);
            byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
            long nanos = format == LineFormat.PLAIN ? 0 : time.getEpochSecond() * 1_000_000_000L + time.getNano();
            written.add(new Written(stderr, nanos, bytes));
            String stream = stderr ? "stderr" : "stdout";
            switch (format) {
                case CRI -> {
                    int from = 0;
                    do {
                        int to = Math.min(bytes.length, from + partSize);
                        boolean last = to == bytes.length;
                        file.writeBytes((timestamp + " " + stream + (last ? " F " : " P ")).getBytes(StandardCharsets.US_ASCII));
                        file.write(bytes, from, to - from);
                        file.write('\n');
                        from = to;
                    } while (from < bytes.length);
                }
                case DOCKER -> {
                    int from = 0;
                    do {
                        int to = Math.min(message.length(), from + partSize);
                        if (to < message.length() && Character.isHighSurrogate(message.charAt(to - 1))) {
                            to = to == from + 1 ? to + 1 : to - 1; // a pair is never split
                        }
                        String part = message.substring(from, to) + (to == message.length() ? "\n" : "");
                        file.writeBytes(JSON.writeValueAsBytes(new DockerLine(part, stream, timestamp)));
                        file.write('\n');
                        from = to;
                    } while (from < message.length());
                }
                case PLAIN -> {
                    file.writeBytes(bytes);
                    file.write('\n');
                }
                default -> throw new IllegalStateException(format.name());
            }
        }
        return file.toByteArray();
    }

    /** One line of Docker's json-file. */
    private record DockerLine(String log, String stream, String time) {
    }

    /**
     * A message without a newline: fuzzed text repeated, then padded with ASCII to a fuzzed length in bytes near
     * a multiple of 1 KiB (so that the 60 KiB bound and its neighbours are met).
     */
    private static String message(FuzzedDataProvider data) {
        String text = new String(data.consumeString(data.consumeInt(0, 24)).replace('\n', ' ')
                .getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        int length = Math.max(0, data.consumeInt(0, 130) * 1024 + data.consumeInt(-4, 4));
        if (text.isEmpty()) {
            return "x".repeat(data.consumeBoolean() ? length : 0);
        }
        int textBytes = text.getBytes(StandardCharsets.UTF_8).length;
        StringBuilder message = new StringBuilder(text.repeat(Math.max(0, (length - 4) / textBytes)));
        int bytes = textBytes * Math.max(0, (length - 4) / textBytes);
        for (int i = 0; i < text.length() && bytes < length - 4; i++) {
            message.append(text.charAt(i));
            bytes += String.valueOf(text.charAt(i)).getBytes(StandardCharsets.UTF_8).length;
        }
        message.append("x".repeat(Math.max(0, length - bytes)));
        return new String(message.toString().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    /** The file written whole, or appended to in pieces of {@code appends} bytes with a read after each. */
    private List<Envelope> read(byte[] file, LineFormat format, int[] appends) throws IOException {
        Path path = directory.resolve("0.log");
        Files.write(path, new byte[0]);
        List<Envelope> out = new ArrayList<>();
        LineAssembler assembler = new LineAssembler(new Names("fuzz", "0", "FILE"), meters.joined(), meters.split());
        try (TailedFile tailed = TailedFile.open(new FileKey(1, 1), path, 0, format, assembler, meters)) {
            int from = 0;
            for (int piece : appends) {
                int to = Math.min(file.length, from + piece);
                Files.write(path, Arrays.copyOfRange(file, from, to), StandardOpenOption.APPEND);
                from = to;
                tailed.read(Integer.MAX_VALUE, Integer.MAX_VALUE, out);
            }
            Files.write(path, Arrays.copyOfRange(file, from, file.length), StandardOpenOption.APPEND);
            tailed.read(Integer.MAX_VALUE, Integer.MAX_VALUE, out);
            tailed.flushIdle(0, out);
        }
        return out;
    }

    /** Each message as one envelope, or as consecutive envelopes of at most 60 KiB that join into it. */
    private static void assertComeBackAsWritten(List<Written> written, List<Envelope> envelopes, boolean ownTime)
            throws IOException {
        int at = 0;
        for (Written message : written) {
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            int pieces = 0;
            do {
                assertThat(at).as("envelopes for message %d", written.indexOf(message)).isLessThan(envelopes.size());
                Envelope piece = envelopes.get(at++);
                if (piece.getLog().getType() != (message.stderr() ? Log.Type.ERR : Log.Type.OUT)
                        || ownTime && piece.getTimestamp() != message.nanos() + pieces) {
                    assertThat(piece.getLog().getType()).isEqualTo(message.stderr() ? Log.Type.ERR : Log.Type.OUT);
                    assertThat(piece.getTimestamp()).as("time of piece %d", pieces).isEqualTo(message.nanos() + pieces);
                }
                piece.getLog().getPayload().writeTo(joined);
                pieces++;
            } while (joined.size() < message.message().length);
            if (!Arrays.equals(joined.toByteArray(), message.message())) {
                assertThat(joined.toByteArray()).isEqualTo(message.message());
            }
        }
        assertThat(envelopes).hasSize(at);
    }

    /** An envelope's stream and bytes (a plain line's time is the time it was read). */
    private record Line(Log.Type type, ByteString payload) {
    }

    private static List<Line> lines(List<Envelope> envelopes) {
        return envelopes.stream().map(e -> new Line(e.getLog().getType(), e.getLog().getPayload())).toList();
    }

    private static boolean isUtf8(byte[] bytes) {
        return ByteString.copyFrom(bytes).isValidUtf8();
    }
}
