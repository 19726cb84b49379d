package dev.tongxing.hub.security;

import io.grpc.Context;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling, as established from a verified access token (and, where mutual TLS is in use,
 * the client certificate). Attached to the gRPC {@link Context} of every authenticated call by
 * the authentication interceptor, so services, audit and limits read the same identity.
 *
 * @param subject  the token's {@code sub}: the service account (or user) that called
 * @param clientId the OAuth client the token was issued to ({@code azp}); the stable name of a
 *                 calling system, used as the checkpoint id, the audit actor and the key of
 *                 per-caller limits
 * @param roles    the hub roles the token carries
 * @param province GB/T 2260 code of the province the client belongs to (the {@code province}
 *                 claim); empty for national callers such as the ministry
 */
public record Caller(String subject, String clientId, Set<Role> roles, Optional<String> province) {

    static final Context.Key<Caller> CONTEXT_KEY = Context.key("tongxing-caller");

    public Caller {
        roles = Set.copyOf(roles);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** The caller of the current gRPC call, if it was authenticated. */
    public static Optional<Caller> current() {
        return Optional.ofNullable(CONTEXT_KEY.get());
    }

    /** The caller of the current gRPC call; every call past the authentication interceptor has one. */
    public static Caller require() {
        Caller caller = CONTEXT_KEY.get();
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller on this call");
        }
        return caller;
    }

    /** A context carrying this caller, for the interceptor and for tests that call services directly. */
    public Context attach(Context context) {
        return context.withValue(CONTEXT_KEY, this);
    }

    @Override
    public String toString() {
        return "Caller[" + clientId + ", roles=" + roles + province.map(p -> ", province=" + p).orElse("") + "]";
    }
}
