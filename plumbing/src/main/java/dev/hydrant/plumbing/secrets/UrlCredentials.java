package dev.hydrant.plumbing.secrets;

import java.util.Objects;

/**
 * How a URL that may carry credentials (a drain URL: {@code syslog-tls://user:password@host:6514})
 * is shown anywhere but where it is used: the password, or a lone user name (often a token), becomes
 * {@code ****}. One rule for the Traffic Controller's answers and logs and the CLI's output.
 */
public final class UrlCredentials {

    private static final String HIDDEN = "****";

    private UrlCredentials() {
    }

    /**
     * {@code scheme://user:****@host...} for a URL with a user and password, {@code scheme://****@host...}
     * for one with a user (or token) only; any other text unchanged. Works on text that is not a valid
     * URL too, so a refused URL can be quoted safely.
     */
    public static String redact(String url) {
        Objects.requireNonNull(url, "url");
        int start = url.indexOf("://");
        if (start < 0) {
            return url;
        }
        start += 3;
        int end = url.length();
        for (char stop : new char[] {'/', '?', '#'}) {
            int at = url.indexOf(stop, start);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        int at = url.lastIndexOf('@', end - 1);
        if (at < start) {
            return url;
        }
        String userInfo = url.substring(start, at);
        int colon = userInfo.indexOf(':');
        String shown = colon < 0 ? HIDDEN : userInfo.substring(0, colon) + ":" + HIDDEN;
        return url.substring(0, start) + shown + url.substring(at);
    }
}
