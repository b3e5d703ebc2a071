package dev.hydrant.nozzle.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a {@code multipart/*} body into the bytes of its parts (RFC 2046): parts are introduced by a
 * line {@code --boundary}, their headers (if any) end at the first empty line, and the body ends at the
 * CRLF before the next delimiter; {@code --boundary--} closes the body.
 */
final class MultipartParts {

    private MultipartParts() {
    }

    /** The boundary named in a {@code Content-Type} header, or empty when there is none. */
    static String boundary(String contentType) {
        if (contentType == null) {
            return "";
        }
        for (String parameter : contentType.split(";")) {
            String trimmed = parameter.trim();
            if (trimmed.regionMatches(true, 0, "boundary=", 0, 9)) {
                String value = trimmed.substring(9).trim();
                return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                        ? value.substring(1, value.length() - 1) : value;
            }
        }
        return "";
    }

    static List<byte[]> split(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        byte[] crlfDelimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        List<byte[]> parts = new ArrayList<>();
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int afterDelimiter = at + delimiter.length;
            if (afterDelimiter + 1 < body.length && body[afterDelimiter] == '-' && body[afterDelimiter + 1] == '-') {
                break;
            }
            int headersEnd = endOfHeaders(body, lineEnd(body, afterDelimiter));
            if (headersEnd < 0) {
                break;
            }
            int next = indexOf(body, crlfDelimiter, headersEnd);
            int end = next < 0 ? body.length : next;
            parts.add(Arrays.copyOfRange(body, headersEnd, end));
            at = next < 0 ? -1 : next + 2;
        }
        return parts;
    }

    /** The index just after the LF that ends the line holding {@code from}, or -1. */
    private static int lineEnd(byte[] body, int from) {
        for (int i = from; i < body.length; i++) {
            if (body[i] == '\n') {
                return i + 1;
            }
        }
        return -1;
    }

    /** Skips header lines up to and including the empty line; the index of the part's first body byte. */
    private static int endOfHeaders(byte[] body, int from) {
        int line = from;
        while (line >= 0 && line < body.length) {
            if (body[line] == '\n') {
                return line + 1;
            }
            if (body[line] == '\r' && line + 1 < body.length && body[line + 1] == '\n') {
                return line + 2;
            }
            line = lineEnd(body, line);
        }
        return -1;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from), last = haystack.length - needle.length; i <= last; i++) {
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
