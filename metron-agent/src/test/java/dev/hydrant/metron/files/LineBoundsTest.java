package dev.hydrant.metron.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.metron.files.SourceNaming.Names;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lines at and over the 60 KiB bound (findings of the fuzz module's {@code LogFileFuzzTest}): the envelopes of a
 * file do not depend on how its writer's appends fell between the agent's reads, a line of exactly 60 KiB is one
 * envelope, and a longer one is cut only at UTF-8 character boundaries.
 */
class LineBoundsTest {

    @TempDir
    Path dir;

    private final FilesMeters meters = FilesMeters.register(new SimpleMeterRegistry());

    @Test
    void aPlainLineOfExactly60KiB_isOneEnvelope_whenItsNewlineComesInALaterRead() throws IOException {
        byte[] line = "a".repeat(LineAssembler.MAX_MESSAGE).getBytes(StandardCharsets.US_ASCII);

        List<Envelope> envelopes = read(LineFormat.PLAIN, line, "\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(envelopes).hasSize(1);
        assertThat(envelopes.get(0).getLog().getPayload().toByteArray()).isEqualTo(line);
    }

    @Test
    void aLongPlainLineOfThreeByteCharacters_isCutBetweenCharacters_inAnyAppending() throws IOException {
        byte[] line = ("x" + "€".repeat(30_000)).getBytes(StandardCharsets.UTF_8);
        byte[] file = Arrays.copyOf(line, line.length + 1);
        file[line.length] = '\n';

        for (int firstAppend : new int[] {file.length, 1000, 61_439, 61_441}) {
            List<Envelope> envelopes = read(LineFormat.PLAIN, Arrays.copyOf(file, firstAppend),
                    Arrays.copyOfRange(file, firstAppend, file.length));

            assertThat(envelopes).as("first append %d", firstAppend).hasSize(2)
                    .allSatisfy(e -> assertThat(e.getLog().getPayload().isValidUtf8()).isTrue());
            assertThat(joined(envelopes)).isEqualTo(line);
        }
    }

    @Test
    void criPartsJoiningToExactly60KiB_areOneEnvelope() throws IOException {
        String part = "b".repeat(LineAssembler.MAX_MESSAGE / 4);
        String first = "2026-11-28T19:00:00Z stdout P " + part + "\n";
        String last = "2026-11-28T19:00:00Z stdout F " + part + "\n";

        List<Envelope> envelopes = read(LineFormat.CRI, (first + first + first).getBytes(StandardCharsets.US_ASCII),
                last.getBytes(StandardCharsets.US_ASCII));

        assertThat(envelopes).hasSize(1);
        assertThat(envelopes.get(0).getLog().getPayload().size()).isEqualTo(LineAssembler.MAX_MESSAGE);
    }

    @Test
    void aCriLineOverTheRawBound_isCutBetweenCharacters() throws IOException {
        byte[] message = "€".repeat(4 * LineAssembler.MAX_MESSAGE / 3 + 10).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes("2026-11-28T19:00:00.5Z stdout F ".getBytes(StandardCharsets.US_ASCII));
        file.writeBytes(message);
        file.write('\n');

        List<Envelope> envelopes = read(LineFormat.CRI, file.toByteArray(), new byte[0]);

        assertThat(envelopes).allSatisfy(e -> assertThat(e.getLog().getPayload().isValidUtf8()).isTrue());
        assertThat(joined(envelopes)).isEqualTo(message);
    }

    /** The envelopes of a file written in two appends, with a read after each. */
    private List<Envelope> read(LineFormat format, byte[] first, byte[] second) throws IOException {
        Path path = Files.write(dir.resolve("0.log"), first);
        List<Envelope> out = new ArrayList<>();
        LineAssembler assembler = new LineAssembler(new Names("app", "0", "FILE"), meters.joined(), meters.split());
        try (TailedFile file = TailedFile.open(new FileKey(1, 1), path, 0, format, assembler, meters)) {
            file.read(Integer.MAX_VALUE, Integer.MAX_VALUE, out);
            Files.write(path, second, StandardOpenOption.APPEND);
            file.read(Integer.MAX_VALUE, Integer.MAX_VALUE, out);
        }
        return out;
    }

    private static byte[] joined(List<Envelope> envelopes) throws IOException {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (Envelope envelope : envelopes) {
            envelope.getLog().getPayload().writeTo(joined);
        }
        return joined.toByteArray();
    }
}
