package dev.tongxing.hub.sources;

import dev.tongxing.adapters.RejectedAnswer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.camel.CamelExecutionException;
import org.apache.hc.core5.http.NoHttpResponseException;

/**
 * Turns a failed upstream call into the one-line reason that provenance carries. Reasons name the
 * source and the kind of failure, never the request (which holds the traveler's number).
 */
public final class FailureReasons {

    private FailureReasons() {}

    public static String describe(String sourceId, Throwable failure, Duration timeout) {
        Throwable cause = unwrap(failure);
        if (cause instanceof RejectedAnswer || cause instanceof dev.tongxing.hub.resilience.SourceRefused) {
            return cause.getMessage();
        }
        if (cause instanceof TimeoutException || cause instanceof SocketTimeoutException
                || cause instanceof InterruptedIOException) {
            return sourceId + ": no answer within " + timeout.toMillis() + " ms";
        }
        if (cause instanceof ConnectException) {
            return sourceId + ": connection refused";
        }
        if (cause instanceof NoHttpResponseException) {
            return sourceId + ": connection closed without an answer";
        }
        if (cause instanceof IOException) {
            return sourceId + ": I/O error (" + cause.getClass().getSimpleName() + ")";
        }
        return sourceId + ": failed (" + cause.getClass().getSimpleName() + ")";
    }

    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException
                || cause instanceof CamelExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
