package dev.tongxing.hub.support;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * WireMock in the place of the demo configuration's HTTP sources: every source's endpoint is
 * {@code tongxing.demo.port}, so pointing that port at WireMock puts it behind all of them, in
 * their real formats.
 */
public final class WireMockSources {

    private WireMockSources() {}

    /** A started WireMock on loopback; {@code containerThreads} bounds the requests it serves at once. */
    public static WireMockServer started(int containerThreads) {
        WireMockServer upstream = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().containerThreads(containerThreads));
        upstream.start();
        return upstream;
    }

    /** Sources on this WireMock, a store of the context's own, and the test issuer's tokens. */
    public static void register(DynamicPropertyRegistry registry, WireMockServer upstream) {
        registry.add("tongxing.demo.port", upstream::port);
        FreePorts.ownStore(registry);
        TestIssuer.register(registry);
    }
}
