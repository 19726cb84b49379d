package dev.tongxing.hub.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Access control under {@code tongxing.security}.
 *
 * @param opsTokenRequired the operations port ({@code server.address}: health, Prometheus metrics)
 *                         demands a bearer token. Without it the port must stay on loopback, which
 *                         start-up enforces outside demo mode.
 */
@ConfigurationProperties("tongxing.security")
public record SecurityProperties(@DefaultValue("false") boolean opsTokenRequired) {
}
