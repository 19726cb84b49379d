package dev.tongxing.hub.audit;

import dev.tongxing.hub.security.Caller;
import dev.tongxing.hub.security.Role;
import java.util.List;
import java.util.Optional;

/**
 * Who made a call, as the audit log records it: the authenticated client id, its roles and
 * province, or an explicit {@value #UNAUTHENTICATED} when the call carried no identity.
 *
 * @param roles realm role names, sorted
 */
public record AuditActor(String actor, List<String> roles, String province) {

    public static final String UNAUTHENTICATED = "unauthenticated";

    public AuditActor {
        roles = List.copyOf(roles);
    }

    /** The caller of the current gRPC call; read it on the call's thread, before any hop to a future. */
    public static AuditActor current() {
        return of(Caller.current());
    }

    static AuditActor of(Optional<Caller> caller) {
        return caller.map(c -> new AuditActor(c.clientId(),
                        c.roles().stream().map(Role::realmRole).sorted().toList(),
                        c.province().orElse("")))
                .orElseGet(() -> new AuditActor(UNAUTHENTICATED, List.of(), ""));
    }
}
