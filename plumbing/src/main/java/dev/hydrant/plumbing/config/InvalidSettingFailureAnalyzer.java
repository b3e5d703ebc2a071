package dev.hydrant.plumbing.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an {@link InvalidSettingException} at start-up into a short report that names the setting. */
public final class InvalidSettingFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSettingException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidSettingException cause) {
        String detail = cause.getCause() == null ? "" : " (" + cause.getCause().getMessage() + ")";
        return new FailureAnalysis(
                "Invalid setting " + cause.getMessage() + detail,
                "Correct or set '" + cause.setting() + "' and start again.",
                cause);
    }
}
