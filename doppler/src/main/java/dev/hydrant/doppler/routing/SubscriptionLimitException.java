package dev.hydrant.doppler.routing;

/** The router already serves as many subscriptions as it is allowed to. */
public final class SubscriptionLimitException extends IllegalStateException {

    public SubscriptionLimitException(int limit) {
        super("too many subscriptions: this doppler serves at most " + limit);
    }
}
