package dev.tongxing.demo;

import dev.tongxing.hub.TongxingHub;
import org.springframework.boot.SpringApplication;

/**
 * The hub as a newcomer first meets it: the production hub, unchanged, plus simulated province,
 * travel-card and carrier-SMS systems on loopback ({@link DemoSources}), configured by the
 * simulators' {@code tongxing-demo.yml} (imported in {@code config/application.yml}). The hub's
 * own artifact carries none of this.
 */
public final class TongxingDemo {

    private TongxingDemo() {}

    public static void main(String[] args) {
        SpringApplication.run(new Class<?>[] {TongxingHub.class, DemoSources.class}, args);
    }
}
