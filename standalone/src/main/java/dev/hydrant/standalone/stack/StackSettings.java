package dev.hydrant.standalone.stack;

import dev.hydrant.standalone.DataDirectory;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the stack is started: the data directory and the command-line arguments of each component.
 * Arguments given as {@code --<component>.<setting>=value} go to that component only; all others go
 * to every component (the {@code hydrant.<component>.*} settings are read by their own component
 * only anyway). The Doppler's port is not decided here: the stack starts the Doppler first and
 * gives Metron and the Traffic Controller the port it bound (any port when configured as 0).
 *
 * @param home      the data directory
 * @param arguments each component's command-line arguments, which override the standalone's defaults
 */
public record StackSettings(DataDirectory home, Map<Component, List<String>> arguments) {

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
        return new StackSettings(home, arguments);
    }

    /** The command-line arguments of one component. */
    public String[] argumentsOf(Component component) {
        return arguments.getOrDefault(component, List.of()).toArray(String[]::new);
    }
}
