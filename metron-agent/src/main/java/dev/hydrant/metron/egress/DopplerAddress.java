package dev.hydrant.metron.egress;

import dev.hydrant.plumbing.config.InvalidSettingException;

/**
 * One configured Doppler entry, {@code host:port} (an IPv6 literal in brackets, {@code [::1]:8082}).
 * A host name may resolve to many addresses: one Doppler per address.
 *
 * @param host a host name or an IP literal (without brackets)
 * @param port the Doppler's gRPC port
 */
public record DopplerAddress(String host, int port) {

    /**
     * Parses {@code host:port}.
     *
     * @param setting the property named when the entry is wrong
     */
    public static DopplerAddress parse(String entry, String setting) {
        String value = entry == null ? "" : entry.trim();
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new InvalidSettingException(setting, "'" + value + "' is not host:port");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new InvalidSettingException(setting, "'" + value + "': write an IPv6 address as [address]:port");
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(setting, "'" + value + "' has no numeric port");
        }
        if (host.isBlank() || port < 1 || port > 65535) {
            throw new InvalidSettingException(setting, "'" + value + "' needs a host and a port from 1 to 65535");
        }
        return new DopplerAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
