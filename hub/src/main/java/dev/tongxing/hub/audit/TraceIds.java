package dev.tongxing.hub.audit;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The trace id every audit record carries: the caller's W3C {@code traceparent} trace id, else
 * its {@code x-request-id}, else one the hub generates. Put on the call's {@link Context} so the
 * services read the same id the interceptors saw.
 */
@Component
public class TraceIds implements ServerInterceptor {

    static final Metadata.Key<String> TRACEPARENT = Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> REQUEST_ID = Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> CONTEXT_KEY = Context.key("tongxing-trace-id");
    private static final Pattern TRACEPARENT_FORMAT = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");
    /** A caller's request id is kept only if it is short and plain; anything else could smuggle data into the log. */
    private static final Pattern REQUEST_ID_FORMAT = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        return Contexts.interceptCall(Context.current().withValue(CONTEXT_KEY, of(headers)), call, headers, next);
    }

    /** The current call's trace id; a fresh one when the call did not pass this interceptor. */
    public static String current() {
        String id = CONTEXT_KEY.get();
        return id != null ? id : generate();
    }

    /** The trace id these headers name, or a fresh one. */
    public static String of(Metadata headers) {
        String traceparent = headers.get(TRACEPARENT);
        if (traceparent != null) {
            var matcher = TRACEPARENT_FORMAT.matcher(traceparent.strip());
            if (matcher.matches()) {
                return matcher.group(1);
            }
        }
        String requestId = headers.get(REQUEST_ID);
        if (requestId != null && REQUEST_ID_FORMAT.matcher(requestId).matches()) {
            return requestId;
        }
        return generate();
    }

    private static String generate() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
