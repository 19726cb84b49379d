package dev.tongxing.hub.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.api.v1.AuditServiceGrpc;
import dev.tongxing.api.v1.ProvinceExchangeGrpc;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every RPC of the contract has its row in the role matrix before it ships. */
class MethodAccessTest {

    @Test
    void everyContractMethodHasARowAndNoneIsOpen() {
        List<MethodDescriptor<?, ?>> methods = Stream.of(TravelerStatusServiceGrpc.getServiceDescriptor(),
                        ProvinceExchangeGrpc.getServiceDescriptor(), AuditServiceGrpc.getServiceDescriptor(),
                        dev.tongxing.api.v1.TrustListServiceGrpc.getServiceDescriptor())
                .map(ServiceDescriptor::getMethods)
                .flatMap(java.util.Collection::stream)
                .toList();
        assertThat(methods).isNotEmpty().allSatisfy(method -> {
            var rule = MethodAccess.ruleFor(method.getFullMethodName());
            assertThat(rule).as(method.getFullMethodName()).isPresent();
            assertThat(rule.get().open()).as(method.getFullMethodName()).isFalse();
            assertThat(rule.get().roles()).as(method.getFullMethodName()).isNotEmpty();
        });
        assertThat(MethodAccess.matrixRows()).hasSize(methods.size());
    }

    @Test
    void unknownMethodsAreRefusedAndOnlyHealthAndReflectionAreOpen() {
        assertThat(MethodAccess.ruleFor("tongxing.v1.TravelerStatusService/Backdoor")).isEmpty();
        assertThat(MethodAccess.ruleFor("tongxing.v2.Anything/Else")).isEmpty();
        assertThat(MethodAccess.ruleFor("grpc.health.v1.Health/Check")).hasValueSatisfying(rule -> assertThat(rule.open()).isTrue());
        assertThat(MethodAccess.ruleFor("grpc.reflection.v1.ServerReflection/ServerReflectionInfo"))
                .hasValueSatisfying(rule -> assertThat(rule.open()).isTrue());
    }
}
