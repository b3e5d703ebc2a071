package dev.hydrant.standalone.stack;

/**
 * The applications of the stack, in start order. Command-line arguments prefixed with a component's
 * name go to that component only, without the prefix: {@code --traffic-controller.server.port=9081}.
 */
public enum Component {
    DOPPLER("doppler"),
    TRAFFIC_CONTROLLER("traffic-controller"),
    METRON("metron");

    private final String argumentPrefix;

    Component(String name) {
        this.argumentPrefix = "--" + name + ".";
    }

    /** {@code --<name>.}, the prefix of arguments meant for this component only. */
    public String argumentPrefix() {
        return argumentPrefix;
    }
}
