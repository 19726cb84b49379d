package dev.tongxing.hub.server;

import dev.tongxing.hub.config.HubProperties;
import dev.tongxing.hub.security.AuthenticationInterceptor;
import dev.tongxing.hub.security.ListenerTls;
import dev.tongxing.hub.security.SecurityProperties;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The hub's gRPC listener: every service bean, the standard health service and server reflection
 * (so grpcurl-style tools can discover the contract). Started last, stopped first.
 */
@Component
public class GrpcServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GrpcServer.class);

    private final HubProperties.Grpc settings;
    private final List<BindableService> services;
    private final HealthStatusManager health = new HealthStatusManager();
    private final ExecutorService callThreads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("grpc-call-", 0).factory());
    private volatile Server server;

    private final List<ServerInterceptor> interceptors;
    private final AuthenticationInterceptor authentication;

    private final SecurityProperties.Mtls tls;
    private final GracefulDrain drain;

    public GrpcServer(HubProperties properties, List<BindableService> services, List<ServerInterceptor> interceptors,
                      AuthenticationInterceptor authentication, SecurityProperties security, GracefulDrain drain) {
        this.settings = properties.grpc();
        this.tls = security.mtls();
        this.services = services;
        this.interceptors = interceptors.stream().filter(interceptor -> interceptor != authentication).toList();
        this.authentication = authentication;
        this.drain = drain;
    }

    @Override
    public void start() {
        InetSocketAddress address = new InetSocketAddress(settings.host(), settings.port());
        NettyServerBuilder builder = (tls.enabled()
                        ? NettyServerBuilder.forAddress(address, ListenerTls.credentials(tls))
                        : NettyServerBuilder.forAddress(address))
                // Cheap calls stay on the transport thread; the rest hop to a virtual thread (CallExecutors).
                .directExecutor()
                .callExecutor(new CallExecutors(authentication, callThreads))
                .maxInboundMessageSize(settings.maxInboundMessage())
                .permitKeepAliveTime(30, TimeUnit.SECONDS)
                // Connection lifetimes (reasons in HubProperties.Grpc): abandoned connections go, and no
                // connection, however busy with idle streams, lives for ever.
                .maxConnectionIdle(settings.maxConnectionIdle().toMillis(), TimeUnit.MILLISECONDS)
                .maxConnectionAge(settings.maxConnectionAge().toMillis(), TimeUnit.MILLISECONDS)
                .maxConnectionAgeGrace(settings.maxConnectionAgeGrace().toMillis(), TimeUnit.MILLISECONDS)
                // Outermost, on every service: a drain ends each call the way its clients expect.
                .intercept(drain.interceptor())
                // Health and reflection pass the same door; the role matrix leaves them open for probes.
                .addService(ServerInterceptors.intercept(health.getHealthService(), authentication))
                .addService(ServerInterceptors.intercept(ProtoReflectionServiceV1.newInstance(), authentication));
        // Authentication is outermost: an unauthenticated call never takes an admission slot.
        services.forEach(service -> builder.addService(
                ServerInterceptors.intercept(ServerInterceptors.intercept(service, interceptors), authentication)));
        try {
            server = builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for gRPC on " + settings.host() + ":" + settings.port(), e);
        }
        services.forEach(service -> health.setStatus(service.bindService().getServiceDescriptor().getName(), ServingStatus.SERVING));
        health.setStatus("", ServingStatus.SERVING);
        health.setStatus(GracefulDrain.LIVENESS, ServingStatus.SERVING);
        log.info("Tongxing gRPC listening on {}:{}", settings.host(), port());
    }

    @Override
    public void stop() {
        Server running = server;
        if (running == null) {
            return;
        }
        // NOT_SERVING first, then no new calls, then the calls in flight finish (GracefulDrain).
        List<String> serving = new ArrayList<>(services.stream().map(service -> service.bindService().getServiceDescriptor().getName()).toList());
        serving.add("");
        drain.drain(running, health, serving);
        callThreads.shutdownNow();
        server = null;
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** The bound port (useful when configured as 0). */
    public int port() {
        return server.getPort();
    }
}
