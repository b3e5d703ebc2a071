package dev.hydrant.standalone.stack;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;

/** What the standalone prints once it runs: where everything listens and how to get a token. */
public final class ConnectionBanner {

    private ConnectionBanner() {
    }

    /**
     * @param tokenCommand how the user runs the token command here, e.g. {@code ./hydrant token}
     */
    public static void print(StandaloneStack stack, String tokenCommand, PrintStream out) {
        Path home = stack.settings().home().root();
        String tc = stack.trafficControllerUrl();
        StringBuilder text = new StringBuilder();
        if (stack.createdKeys()) {
            text.append("First start: made a development CA and certificates in ").append(home.resolve("pki"))
                    .append("\n             and a token-signing key in ").append(home.resolve("token-signing.key"))
                    .append(" (mode 600).\n");
        }
        text.append("Hydrant is running (data in ").append(home).append("):\n")
                .append(line("Metron, v2 gRPC ingress (mTLS)", "127.0.0.1:" + stack.metronPort()
                        + "  server name metron, client certs from " + home.resolve("pki")))
                .append(stack.metronUdpPort() < 0 ? ""
                        : line("Metron, v1 UDP ingress", "127.0.0.1:" + stack.metronUdpPort() + "  dropsonde envelopes"))
                .append(line("Doppler, gRPC (mTLS)", "127.0.0.1:" + stack.dopplerPort() + "  server name doppler"))
                .append(line("Traffic Controller", tc + "  /apps/{id}/stream and /firehose/{sub} (websocket),"))
                .append(line("", "/v2/read (SSE), /apps/{id}/recentlogs, /api/v1/read/{id}"))
                .append(line("Traffic Controller, v2 gRPC (mTLS)", "127.0.0.1:" + stack.trafficControllerGrpcPort()
                        + "  server name " + StandaloneStack.EGRESS_SERVER_NAME))
                .append(line("Metrics (Prometheus)", "http://127.0.0.1:"
                        + stack.managementPort(Component.TRAFFIC_CONTROLLER) + "/actuator/prometheus (Traffic Controller),"))
                .append(line("", ":" + stack.managementPort(Component.DOPPLER) + " (Doppler), :"
                        + stack.managementPort(Component.METRON) + " (Metron)"))
                .append(metronInputs(stack.context(Component.METRON).getEnvironment()))
                .append("Tokens (signed by the development key, valid 24 h):\n")
                .append("  ").append(tokenCommand).append("                       an admin: firehose and every app\n")
                .append("  ").append(tokenCommand).append(" --source-id my-app    may read only my-app\n")
                .append("Read an app's logs:\n")
                .append("  curl -N -H \"Authorization: bearer $(").append(tokenCommand).append(")\" '")
                .append(tc).append("/v2/read?source_id=my-app&log'\n")
                .append("Press Ctrl-C to stop.");
        out.println(text);
        out.flush();
    }

    /**
     * Metron's file inputs and scrape targets as it binds them: the standalone's defaults, or the list given on
     * the command line, which replaces them as a whole.
     */
    private static String metronInputs(Environment environment) {
        StringBuilder text = new StringBuilder();
        for (Map<String, String> input : boundList(environment, "hydrant.metron.files.inputs")) {
            String sourceId = input.getOrDefault("source-id", "from the path");
            text.append(line("Metron tails", input.get("path") + "  source id " + sourceId
                    + (sourceId.contains("{file}") ? " ({file}: the file's name without .log)" : "")));
        }
        for (Map<String, String> target : boundList(environment, "hydrant.metron.scrape.targets")) {
            text.append(line("Metron scrapes", target.get("url") + " every " + target.getOrDefault("interval", "15s")
                    + "  source id " + target.get("source-id")));
        }
        return text.toString();
    }

    private static List<Map<String, String>> boundList(Environment environment, String name) {
        ResolvableType entry = ResolvableType.forClassWithGenerics(Map.class, String.class, String.class);
        Bindable<List<Map<String, String>>> list = Bindable.of(ResolvableType.forClassWithGenerics(List.class, entry));
        return Binder.get(environment).bind(name, list).orElse(List.of());
    }

    private static String line(String what, String where) {
        return String.format("  %-36s %s%n", what, where);
    }
}
