package dev.tongxing.hub.server;

import dev.tongxing.api.v1.AuditServiceGrpc;
import io.grpc.BindableService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Services of the contract whose capabilities are not built yet. Registering their generated base
 * classes makes them discoverable through reflection and answer UNIMPLEMENTED, rather than be
 * unknown to clients.
 */
@Configuration(proxyBeanMethods = false)
class NotYetServed {

    @Bean
    BindableService auditService() {
        return new AuditServiceGrpc.AuditServiceImplBase() { };
    }
}
