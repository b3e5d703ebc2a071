package dev.hydrant.standalone.stack;

import dev.hydrant.standalone.DataDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.SimpleCommandLinePropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * How the stack is started: the data directory, the Doppler's port (which Metron and the Traffic
 * Controller must know before it starts, so a configured 0 is turned into a free port here), and the
 * command-line arguments of each component. Arguments given as {@code --<component>.<setting>=value}
 * go to that component only; all others go to every component (the {@code hydrant.<component>.*}
 * settings are read by their own component only anyway).
 *
 * @param home        the data directory
 * @param dopplerPort the Doppler's gRPC port, never 0
 * @param arguments   each component's command-line arguments, which override the standalone's defaults
 */
public record StackSettings(DataDirectory home, int dopplerPort, Map<Component, List<String>> arguments) {

    /** The Doppler's port unless {@code hydrant.doppler.port} says otherwise (docs/wire.md section 8). */
    public static final int DEFAULT_DOPPLER_PORT = 8082;
    private static final String DOPPLER_PORT_ARGUMENT = "--hydrant.doppler.port=";

    public StackSettings {
        Objects.requireNonNull(home, "home");
        arguments = Map.copyOf(arguments);
    }

    /**
     * Settings from the arguments of {@code run}.
     *
     * @throws IllegalArgumentException for an argument that is not {@code --name=value} (or {@code --name})
     */
    public static StackSettings parse(List<String> args, Map<String, String> environment) {
        DataDirectory home = DataDirectory.of(args, environment);
        Map<Component, List<String>> arguments = new EnumMap<>(Component.class);
        for (Component component : Component.values()) {
            arguments.put(component, new ArrayList<>());
        }
        for (String arg : args) {
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "': settings are given as --name=value");
            }
            if (arg.startsWith(DataDirectory.OPTION)) {
                continue;
            }
            Component scoped = null;
            for (Component component : Component.values()) {
                if (arg.startsWith(component.argumentPrefix())) {
                    scoped = component;
                }
            }
            if (scoped != null) {
                arguments.get(scoped).add("--" + arg.substring(scoped.argumentPrefix().length()));
            } else {
                arguments.values().forEach(list -> list.add(arg));
            }
        }
        int dopplerPort = configuredDopplerPort(arguments.get(Component.DOPPLER));
        if (dopplerPort == 0) {
            dopplerPort = freeLoopbackPort();
        }
        arguments.get(Component.DOPPLER).removeIf(arg -> arg.startsWith(DOPPLER_PORT_ARGUMENT));
        arguments.get(Component.DOPPLER).add(DOPPLER_PORT_ARGUMENT + dopplerPort);
        return new StackSettings(home, dopplerPort, arguments);
    }

    /** The command-line arguments of one component. */
    public String[] argumentsOf(Component component) {
        return arguments.getOrDefault(component, List.of()).toArray(String[]::new);
    }

    /** {@code hydrant.doppler.port} as the Doppler will see it: arguments, then system properties and environment. */
    private static int configuredDopplerPort(List<String> dopplerArguments) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(
                new SimpleCommandLinePropertySource(dopplerArguments.toArray(String[]::new)));
        try {
            return Binder.get(environment).bind("hydrant.doppler.port", Integer.class).orElse(DEFAULT_DOPPLER_PORT);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Invalid setting hydrant.doppler.port: not a port number", e);
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port for the Doppler", e);
        }
    }
}
