package dev.hydrant.nozzles.syslog.format;

import java.util.List;

/**
 * What one envelope gives one drain: its RFC 5424 messages (one, or one per gauge metric), each the bytes of
 * one syslog message without framing; or nothing, because the envelope cannot be a valid message.
 *
 * @param messages the messages, in order
 * @param valid    false when the envelope cannot be written (the caller counts it)
 */
public record SyslogMessages(List<byte[]> messages, boolean valid) {

    static final SyslogMessages INVALID = new SyslogMessages(List.of(), false);

    public SyslogMessages {
        messages = List.copyOf(messages);
    }
}
