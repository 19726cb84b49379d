package dev.tongxing.hub.security;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door of every gRPC call: who is calling (a verified access token, bound to the client
 * certificate where one is presented) and whether the role matrix lets them call this method. Runs
 * before everything else, admission included, so an unauthenticated caller costs the hub one
 * refusal and never holds a slot. The caller is attached to the call's {@link Context}.
 */
public final class AuthenticationInterceptor implements ServerInterceptor {

    private static final Logger log = LoggerFactory.getLogger(AuthenticationInterceptor.class);
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final AccessTokenVerifier tokens;
    private final boolean certificateRequiredForProvinces;
    private final CallRefusals refusals;
    /**
     * The caller {@link #passesFromMemory} found for the call its transport thread is starting, so
     * the door, next on that thread for a call served inline, does not read, copy and look up the
     * token again: a token is a kilobyte or more, and reading it as text twice a call was about a
     * tenth of the bytes a cached lookup allocated. Matched by the call's own headers object, which
     * no other call shares; a call that does not match reads its token as any other.
     */
    private final ThreadLocal<PassedFromMemory> passed = new ThreadLocal<>();

    private record PassedFromMemory(Metadata headers, Caller caller) {}

    public AuthenticationInterceptor(AccessTokenVerifier tokens, boolean certificateRequiredForProvinces, CallRefusals refusals) {
        this.tokens = tokens;
        this.certificateRequiredForProvinces = certificateRequiredForProvinces;
        this.refusals = refusals;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        Optional<MethodAccess.Rule> rule = MethodAccess.ruleFor(method);
        if (rule.isEmpty()) {
            return refuse(call, headers, method, null, Status.PERMISSION_DENIED.withDescription(method + " is not open to any role"));
        }
        if (rule.get().open()) {
            return next.startCall(call, headers);
        }
        Caller caller = passedFromMemory(headers);
        if (caller == null) {
            String authorization = headers.get(AUTHORIZATION);
            if (authorization == null) {
                return refuse(call, headers, method, null, Status.UNAUTHENTICATED.withDescription(
                        "an access token is required: send metadata 'authorization: Bearer <token>'"));
            }
            Optional<String> token = AccessTokenVerifier.bearerToken(authorization);
            if (token.isEmpty()) {
                return refuse(call, headers, method, null, Status.UNAUTHENTICATED.withDescription("authorization must be 'Bearer <token>'"));
            }
            try {
                caller = tokens.verify(token.get());
            } catch (InvalidAccessToken invalid) {
                return refuse(call, headers, method, null, Status.UNAUTHENTICATED.withDescription(invalid.getMessage()));
            }
        }
        Optional<String> certificateProblem = certificateProblem(call, caller);
        if (certificateProblem.isPresent()) {
            return refuse(call, headers, method, caller, Status.PERMISSION_DENIED.withDescription(certificateProblem.get()));
        }
        if (!rule.get().allows(caller)) {
            String needed = rule.get().roles().stream().map(Role::realmRole).sorted().collect(Collectors.joining(" or "));
            return refuse(call, headers, method, caller, Status.PERMISSION_DENIED.withDescription(
                    method + " requires the role " + needed + "; client " + caller.clientId() + " has "
                            + (caller.roles().isEmpty() ? "no hub role" : caller.roles().stream().map(Role::realmRole).sorted().toList())));
        }
        return Contexts.interceptCall(caller.attach(Context.current()), call, headers, next);
    }

    /**
     * Whether this call is sure to pass the door from what the hub already holds in memory: a
     * method open to all, or a token verified before whose caller the role matrix and any client
     * certificate admit. Such a call can be served on the transport's own thread, since passing the
     * door then neither fetches keys nor waits for a refusal's audit record. The caller found is
     * left for the door on this thread, for this call only.
     */
    public boolean passesFromMemory(ServerCall<?, ?> call, Metadata headers) {
        Optional<MethodAccess.Rule> rule = MethodAccess.ruleFor(call.getMethodDescriptor().getFullMethodName());
        if (rule.isEmpty()) {
            return false;
        }
        if (rule.get().open()) {
            return true;
        }
        Optional<Caller> caller = tokens.rememberedFor(headers.get(AUTHORIZATION));
        boolean passes = caller.isPresent() && rule.get().allows(caller.get()) && certificateProblem(call, caller.get()).isEmpty();
        if (passes) {
            passed.set(new PassedFromMemory(headers, caller.get()));
        }
        return passes;
    }

    /** The caller {@link #passesFromMemory} left for this call on this thread, once; or null. */
    private Caller passedFromMemory(Metadata headers) {
        PassedFromMemory memo = passed.get();
        if (memo == null) {
            return null;
        }
        passed.set(null);
        return memo.headers() == headers ? memo.caller() : null;
    }

    /**
     * A province's certificate binds the call to that province: a token of another province on
     * the same connection is refused, so one province's key cannot act for another.
     */
    private Optional<String> certificateProblem(ServerCall<?, ?> call, Caller caller) {
        Optional<X509Certificate> certificate = PeerCertificate.of(call);
        if (certificate.isEmpty()) {
            if (certificateRequiredForProvinces && caller.has(Role.PROVINCE_SYSTEM)) {
                return Optional.of("province systems must connect with a client certificate (mutual TLS)");
            }
            return Optional.empty();
        }
        List<String> provinces = PeerCertificate.provinces(certificate.get());
        if (provinces.isEmpty()) {
            if (certificateRequiredForProvinces && caller.has(Role.PROVINCE_SYSTEM)) {
                return Optional.of("the client certificate names no province (" + PeerCertificate.PROVINCE_URI_PREFIX + "NN)");
            }
            return Optional.empty();
        }
        if (caller.province().isEmpty() || !provinces.contains(caller.province().get())) {
            return Optional.of("the client certificate is province " + String.join(",", provinces)
                    + "'s; the access token is " + caller.province().map(p -> "province " + p + "'s").orElse("of no province"));
        }
        return Optional.empty();
    }

    private <Q, A> ServerCall.Listener<Q> refuse(ServerCall<Q, A> call, Metadata headers, String method, Caller caller, Status status) {
        log.debug("refused {}: {} {}", method, status.getCode(), status.getDescription());
        refusals.refused(method, Optional.ofNullable(caller), status, headers);
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() { };
    }
}
