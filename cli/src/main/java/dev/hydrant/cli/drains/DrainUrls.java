package dev.hydrant.cli.drains;

import dev.hydrant.plumbing.secrets.UrlCredentials;
import java.util.ArrayList;
import java.util.List;

/** What the CLI does to drain URLs itself: set their drain-type, and hide their credentials as the API does. */
public final class DrainUrls {

    private DrainUrls() {
    }

    /** {@code url} with its {@code drain-type} query parameter set to {@code type} (any earlier one removed). */
    public static String withType(String url, String type) {
        int hash = url.indexOf('#');
        String fragment = hash < 0 ? "" : url.substring(hash);
        String rest = hash < 0 ? url : url.substring(0, hash);
        int question = rest.indexOf('?');
        String base = question < 0 ? rest : rest.substring(0, question);
        List<String> parameters = new ArrayList<>();
        if (question >= 0) {
            for (String pair : rest.substring(question + 1).split("&")) {
                if (!pair.isEmpty() && !pair.equals("drain-type") && !pair.startsWith("drain-type=")) {
                    parameters.add(pair);
                }
            }
        }
        parameters.add("drain-type=" + type);
        return base + "?" + String.join("&", parameters) + fragment;
    }

    /** {@code scheme://user:****@host...} or {@code scheme://****@host...}: the API's redaction. */
    public static String redact(String url) {
        return UrlCredentials.redact(url);
    }
}
