package dev.hydrant.plumbing.config;

import java.util.Objects;

/**
 * A configuration value that cannot work. Thrown at start-up, never on the per-envelope path;
 * its message names the setting so that an operator knows what to fix.
 */
public final class InvalidSettingException extends RuntimeException {

    private final String setting;

    public InvalidSettingException(String setting, String problem) {
        this(setting, problem, null);
    }

    public InvalidSettingException(String setting, String problem, Throwable cause) {
        super(Objects.requireNonNull(setting, "setting") + ": " + Objects.requireNonNull(problem, "problem"), cause);
        this.setting = setting;
    }

    /** The property name, for example {@code hydrant.doppler.tls.cert-file}. */
    public String setting() {
        return setting;
    }
}
