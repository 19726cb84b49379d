package dev.tongxing.hub.sources;

import dev.tongxing.adapters.FormatFamilies;
import dev.tongxing.adapters.SourceRoutes;
import dev.tongxing.hub.config.HubProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Assembles the sources from configuration: registry, one Camel route each. */
@Configuration(proxyBeanMethods = false)
public class SourcesConfiguration {

    @Bean
    FormatFamilies formatFamilies(Clock clock) {
        return FormatFamilies.builtIn(clock);
    }

    @Bean
    SourceRegistry sourceRegistry(HubProperties properties, FormatFamilies families) {
        return new SourceRegistry(properties, families);
    }

    /** Camel's Spring Boot starter picks up RouteBuilder beans and starts their routes. */
    @Bean
    SourceRoutes sourceRoutes(SourceRegistry registry, FormatFamilies families) {
        return new SourceRoutes(registry.all(), families);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
