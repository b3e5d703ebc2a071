package dev.hydrant.nozzles.syslog.loss;

import org.cloudfoundry.loggregator.v2.Envelope;

/** Where the nozzle puts a line for an app's own log. */
@FunctionalInterface
public interface AppLog {

    void send(Envelope envelope);
}
