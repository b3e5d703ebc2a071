package dev.hydrant.standalone.stack;

import java.time.Duration;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Gives one component's context Reactor Netty event loops and connections of its own, which end
 * without a quiet period when the context closes. Boot's default factory uses the JVM's global
 * resources and disposes them on close: in a JVM with several contexts the first to close would
 * stop the others' servers, and its quiet period (2 s, reset by any activity, up to 15 s) would
 * hold every stop. Boot backs off from its own factory when the context has one.
 */
final class OwnEventLoops implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        if (!(context instanceof GenericApplicationContext generic)) {
            throw new IllegalStateException("cannot give " + context.getClass().getName() + " its own event loops");
        }
        generic.registerBean(ReactorResourceFactory.class, OwnEventLoops::resources);
    }

    private static ReactorResourceFactory resources() {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        factory.setShutdownQuietPeriod(Duration.ZERO);
        return factory;
    }
}
