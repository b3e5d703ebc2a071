package dev.hydrant.plumbing.discovery;

import dev.hydrant.plumbing.config.InvalidSettingException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * One configured Doppler, {@code host:port}, as Metron and the Traffic Controller take them in
 * their {@code dopplers} setting. A host name may resolve to many addresses: see {@link DopplerResolver}.
 *
 * <p>The rule, the same in every component: an entry is {@code host:port} with a port from 1 to
 * 65535; the host is a DNS name, an IPv4 address, or an IPv6 address in brackets
 * ({@code [::1]:8082}). An IPv6 address without brackets is refused, with or without a port,
 * because {@code fe80::1:8082} could be an address with a port or an address alone. There is no
 * default port. A refused entry stops start-up with a message naming the setting.
 *
 * @param host a DNS name or an IP literal (an IPv6 literal without its brackets)
 * @param port the Doppler's gRPC port
 */
public record DopplerAddress(String host, int port) {

    public DopplerAddress {
        Objects.requireNonNull(host, "host");
        if (host.isBlank() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("a Doppler needs a host and a port from 1 to 65535: " + host + ":" + port);
        }
    }

    /**
     * Parses one entry of a {@code dopplers} setting.
     *
     * @param setting the property named when the entry is refused, e.g. {@code hydrant.metron.dopplers}
     * @throws InvalidSettingException naming {@code setting} when the entry does not follow the rule
     */
    public static DopplerAddress parse(String entry, String setting) {
        Objects.requireNonNull(setting, "setting");
        String value = entry == null ? "" : entry.strip();
        if (value.isEmpty()) {
            throw refused(setting, value, "is empty: write host:port");
        }
        String host;
        String port;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                throw refused(setting, value, "opens a bracket it does not close: write [address]:port");
            }
            host = value.substring(1, close);
            String rest = value.substring(close + 1);
            if (!rest.startsWith(":")) {
                throw refused(setting, value, "has no port: write [address]:port");
            }
            port = rest.substring(1);
            if (!isIpv6Literal(host)) {
                throw refused(setting, value, "has no IPv6 address in its brackets: write [address]:port, "
                        + "or host:port for a name or an IPv4 address");
            }
        } else {
            int colon = value.indexOf(':');
            if (colon < 0) {
                throw refused(setting, value, "has no port: write host:port");
            }
            if (value.indexOf(':', colon + 1) >= 0) {
                if (isIpv6Literal(value) || isIpv6Literal(value.substring(0, value.lastIndexOf(':')))) {
                    throw refused(setting, value,
                            "is an IPv6 address without brackets: write [address]:port, e.g. [::1]:8082");
                }
                throw refused(setting, value, "is not host:port");
            }
            host = value.substring(0, colon);
            port = value.substring(colon + 1);
            if (host.isEmpty()) {
                throw refused(setting, value, "has no host: write host:port");
            }
            if (!isHostName(host)) {
                throw refused(setting, value, "has a host that is neither a DNS name nor an IP address");
            }
        }
        return new DopplerAddress(host, port(port, value, setting));
    }

    /** The address a name resolved to, as a Doppler: its IP literal (without an IPv6 zone) and port. */
    public static DopplerAddress of(InetSocketAddress resolved) {
        InetAddress ip = Objects.requireNonNull(resolved.getAddress(), "an unresolved address: " + resolved);
        String literal = ip.getHostAddress();
        int zone = literal.indexOf('%');
        return new DopplerAddress(zone < 0 ? literal : literal.substring(0, zone), resolved.getPort());
    }

    /** {@code host:port}, with an IPv6 literal in brackets: the form {@link #parse} takes. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static int port(String text, String value, String setting) {
        if (text.isEmpty()) {
            throw refused(setting, value, "has no port after its colon");
        }
        if (text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw refused(setting, value, "has a port that is not a number from 1 to 65535");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw refused(setting, value, "has a port outside 1..65535");
        }
        return port;
    }

    /** Letters, digits, dots, hyphens and underscores: a DNS name or an IPv4 address. */
    private static boolean isHostName(String host) {
        return host.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '-' || c == '_');
    }

    /**
     * Whether {@code text} is an IPv6 literal (no zone id); text with a colon is parsed as a literal,
     * without any DNS lookup.
     */
    private static boolean isIpv6Literal(String text) {
        if (text.indexOf(':') < 0 || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return false;
        }
        try {
            InetAddress.getByName(text);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static InvalidSettingException refused(String setting, String value, String problem) {
        return new InvalidSettingException(setting, "'" + value + "' " + problem);
    }
}
