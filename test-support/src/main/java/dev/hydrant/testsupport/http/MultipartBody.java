package dev.hydrant.testsupport.http;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cloudfoundry.dropsonde.events.EventFactory;

/** A reader of multipart bodies (RFC 2046) as the v1 recent logs answer them: one dropsonde Envelope a part. */
public final class MultipartBody {

    private MultipartBody() {
    }

    /** The boundary parameter of a {@code multipart/...; boundary=...} Content-Type. */
    public static String boundary(String contentType) {
        for (String parameter : contentType.split(";")) {
            String trimmed = parameter.trim();
            if (trimmed.regionMatches(true, 0, "boundary=", 0, 9)) {
                return trimmed.substring(9).replace("\"", "");
            }
        }
        throw new AssertionError("no boundary in Content-Type " + contentType);
    }

    /** Each part parsed as a dropsonde Envelope. */
    public static List<EventFactory.Envelope> envelopes(byte[] body, String boundary) {
        List<EventFactory.Envelope> envelopes = new ArrayList<>();
        for (byte[] part : parts(body, boundary)) {
            try {
                envelopes.add(EventFactory.Envelope.parseFrom(part));
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("a part that is not a dropsonde Envelope", e);
            }
        }
        return envelopes;
    }

    /**
     * The bodies of a multipart body: parts start after a {@code --boundary} line and their
     * (possibly empty) headers, and end before CRLF {@code --boundary}.
     */
    public static List<byte[]> parts(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        byte[] headersEnd = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        List<byte[]> parts = new ArrayList<>();
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int lineEnd = at + delimiter.length;
            if (lineEnd + 1 < body.length && body[lineEnd] == '-' && body[lineEnd + 1] == '-') {
                break;
            }
            // the delimiter line ends with CRLF; headers, if any, end with an empty line
            int contentStart = lineEnd + 2;
            if (!(body[contentStart] == '\r' && body[contentStart + 1] == '\n')) {
                contentStart = indexOf(body, headersEnd, lineEnd) + headersEnd.length;
            } else {
                contentStart += 2;
            }
            int next = indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII), contentStart);
            if (next < 0) {
                throw new AssertionError("multipart body without a closing delimiter");
            }
            parts.add(Arrays.copyOfRange(body, contentStart, next));
            at = next + 2;
        }
        return parts;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
