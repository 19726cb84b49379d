package dev.tongxing.hub.support;

import dev.tongxing.hub.TongxingHub;
import dev.tongxing.hub.server.GrpcServer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One hub replica of a test fleet: a Spring context of its own in this JVM, with its own gRPC and
 * ops ports on loopback, sharing whatever stores its properties name with the other replicas.
 */
public final class HubReplica implements AutoCloseable {

    private final String name;
    private final ConfigurableApplicationContext context;

    private HubReplica(String name, ConfigurableApplicationContext context) {
        this.name = name;
        this.context = context;
    }

    /** Starts a replica with the test issuer, free ports and the given properties on top. */
    public static HubReplica start(String name, Map<String, Object> properties) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("tongxing.grpc.port", "0");
        all.put("server.port", "0");
        all.put("tongxing.security.issuer", TestIssuer.get().issuer());
        all.put("tongxing.security.jwks-refresh-min-interval", "50ms");
        all.put("tongxing.audit.replica-id", name);
        all.put("spring.application.name", "tongxing-" + name);
        all.putAll(properties);
        // As command-line arguments: they win over the application.yml files (default properties would not).
        String[] arguments = all.entrySet().stream().map(entry -> "--" + entry.getKey() + "=" + entry.getValue()).toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(TongxingHub.class).run(arguments);
        return new HubReplica(name, context);
    }

    public String name() {
        return name;
    }

    public int grpcPort() {
        return context.getBean(GrpcServer.class).port();
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public boolean running() {
        return context.isActive();
    }

    @Override
    public void close() {
        if (context.isActive()) {
            context.close();
        }
    }
}
