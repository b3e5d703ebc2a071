package dev.hydrant.metron.scrape;

/** A scraped body that is not the Prometheus text format; the scrape counts as failed. */
public final class MalformedExposition extends RuntimeException {

    public MalformedExposition(String message) {
        super(message, null, false, false);
    }
}
