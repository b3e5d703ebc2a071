package dev.hydrant.trafficcontroller.config;

import com.zaxxer.hikari.HikariDataSource;
import dev.hydrant.trafficcontroller.auth.Authorizer;
import dev.hydrant.trafficcontroller.auth.Rejections;
import dev.hydrant.trafficcontroller.drains.AddressPolicy;
import dev.hydrant.trafficcontroller.drains.DrainDatabase;
import dev.hydrant.trafficcontroller.drains.DrainRepository;
import dev.hydrant.trafficcontroller.drains.DrainSettings;
import dev.hydrant.trafficcontroller.drains.Drains;
import dev.hydrant.trafficcontroller.drains.DrainsHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The drain bindings: their database (embedded H2 under data-dir, or the configured JDBC URL, migrated with
 * Flyway at start), where a drain may point (blocked and allowed ranges, checked at start) and
 * {@code /v1/drains}. The Traffic Controller builds its one DataSource here rather than through Boot's
 * auto-configuration, which would also give one to every component sharing its classpath.
 */
@Configuration(proxyBeanMethods = false)
public class DrainsConfiguration {

    @Bean
    AddressPolicy drainAddressPolicy(DrainSettings settings) {
        return AddressPolicy.of(settings);
    }

    @Bean(destroyMethod = "close")
    HikariDataSource drainDataSource(DrainSettings settings, AddressPolicy checkedFirst) {
        return DrainDatabase.open(settings);
    }

    @Bean
    Drains drains(HikariDataSource drainDataSource, DrainSettings settings, AddressPolicy policy, ProxyMetrics metrics) {
        return new Drains(new DrainRepository(drainDataSource, settings.maxDrainsPerSource()), policy, metrics);
    }

    @Bean
    RouterFunction<ServerResponse> drainRoutes(Authorizer authorizer, Drains drains, Rejections rejections) {
        DrainsHandler handler = new DrainsHandler(authorizer, drains, rejections);
        return RouterFunctions.route()
                .POST("/v1/drains", handler::create)
                .GET("/v1/drains", handler::list)
                .DELETE("/v1/drains/{id}", handler::delete)
                .build();
    }
}
