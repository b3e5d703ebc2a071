package dev.hydrant.metron.scrape;

import dev.hydrant.metron.ingress.IngressService;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLParameters;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the Prometheus scraper: each checked target gets a {@link TargetScraper} whose envelopes
 * enter the agent exactly as received ones (tagged, counted as {@code ingress}, offered to the one
 * drop-oldest buffer), their counters keeping the totals they were scraped with.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ScrapeProperties.class)
public final class ScrapeConfiguration {

    @Bean
    ScrapeScheduler metronScrapeScheduler(ScrapeProperties properties, IngressService ingress, MeterRegistry registry) {
        List<ScrapeTarget> targets = properties.checkedTargets();
        ExecutorService httpThreads = Executors.newFixedThreadPool(properties.threads(),
                ScrapeScheduler.threads("metron-scrape-http"));
        HttpClient plain = null;
        List<TargetScraper> scrapers = new ArrayList<>();
        for (ScrapeTarget target : targets) {
            HttpClient client;
            if (target.ssl().isPresent()) {
                client = client(properties, httpThreads).sslContext(target.ssl().get())
                        .sslParameters(new SSLParameters(null, ScrapeTls.protocols())).build();
            } else {
                if (plain == null) {
                    plain = client(properties, httpThreads).build();
                }
                client = plain;
            }
            scrapers.add(new TargetScraper(target, client, properties.timeout(), properties.maxBodySize().toBytes(),
                    ingress::acceptWithTotals, ScrapeMeters.failures(registry, target.sourceId(), target.instanceId()),
                    Clock.systemUTC(), httpThreads));
        }
        return new ScrapeScheduler(scrapers, httpThreads);
    }

    private static HttpClient.Builder client(ScrapeProperties properties, ExecutorService httpThreads) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(properties.timeout())
                .executor(httpThreads);
    }
}
