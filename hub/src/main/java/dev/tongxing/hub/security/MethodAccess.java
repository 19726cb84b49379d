package dev.tongxing.hub.security;

import dev.tongxing.api.v1.AuditServiceGrpc;
import dev.tongxing.api.v1.ProvinceExchangeGrpc;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import dev.tongxing.api.v1.TrustListServiceGrpc;
import io.grpc.MethodDescriptor;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The role matrix: which roles may call each RPC. A method that is not listed here is refused to
 * everyone, so a new RPC cannot ship open by accident; {@code MethodAccessTest} checks that every
 * method the server binds has its row.
 *
 * <p>Beyond the role, some RPCs bind the caller to data: a province publishes only for its own
 * residents and subscribes only to its own territory, a checkpoint asks only as itself. Those
 * checks live with the services, which know the data.
 */
public final class MethodAccess {

    /** What one RPC requires. */
    public record Rule(boolean open, Set<Role> roles) {

        static Rule anyOf(Role first, Role... rest) {
            return new Rule(false, Set.copyOf(EnumSet.of(first, rest)));
        }

        public boolean allows(Caller caller) {
            return open || caller.roles().stream().anyMatch(roles::contains);
        }
    }

    /** Load balancers and probes must see a full or starting hub's health without credentials. */
    private static final Set<String> OPEN_SERVICES = Set.of("grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection");

    private static final Map<String, Rule> MATRIX = matrix();

    private MethodAccess() {}

    private static Map<String, Rule> matrix() {
        Map<String, Rule> rows = new LinkedHashMap<>();
        row(rows, TravelerStatusServiceGrpc.getGetStatusMethod(), Rule.anyOf(Role.CHECKPOINT));
        row(rows, TravelerStatusServiceGrpc.getVerifyCodeMethod(), Rule.anyOf(Role.CHECKPOINT));
        row(rows, TravelerStatusServiceGrpc.getCheckBatchMethod(), Rule.anyOf(Role.CHECKPOINT));
        // Warming the cache for a manifest is a checkpoint's lookup made early: same role, same per-caller limit.
        row(rows, TravelerStatusServiceGrpc.getPrefetchManifestMethod(), Rule.anyOf(Role.CHECKPOINT));
        row(rows, ProvinceExchangeGrpc.getPublishStatusChangesMethod(), Rule.anyOf(Role.PROVINCE_SYSTEM));
        row(rows, ProvinceExchangeGrpc.getSubscribeStatusChangesMethod(), Rule.anyOf(Role.PROVINCE_SYSTEM));
        row(rows, AuditServiceGrpc.getQueryAuditMethod(), Rule.anyOf(Role.AUDITOR));
        row(rows, AuditServiceGrpc.getVerifyAuditChainMethod(), Rule.anyOf(Role.AUDITOR));
        row(rows, AuditServiceGrpc.getGetRegionHealthMethod(), Rule.anyOf(Role.AUDITOR, Role.OPERATOR));
        // Public keys only: checkpoints verify codes offline with it, provinces each other's codes,
        // auditors see which keys were trusted. Operators have no use for it.
        row(rows, TrustListServiceGrpc.getGetTrustListMethod(), Rule.anyOf(Role.CHECKPOINT, Role.PROVINCE_SYSTEM, Role.AUDITOR));
        return Map.copyOf(rows);
    }

    private static void row(Map<String, Rule> rows, MethodDescriptor<?, ?> method, Rule rule) {
        rows.put(method.getFullMethodName(), rule);
    }

    /** The rule for a full method name ({@code package.Service/Method}); empty when it has none. */
    public static Optional<Rule> ruleFor(String fullMethodName) {
        Rule rule = MATRIX.get(fullMethodName);
        if (rule != null) {
            return Optional.of(rule);
        }
        String service = MethodDescriptor.extractFullServiceName(fullMethodName);
        return OPEN_SERVICES.contains(service) ? Optional.of(new Rule(true, Set.of())) : Optional.empty();
    }

    /** Every listed method and its rule, for documentation and tests. */
    public static Map<String, Rule> matrixRows() {
        return MATRIX;
    }
}
