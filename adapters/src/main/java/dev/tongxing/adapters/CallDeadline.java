package dev.tongxing.adapters;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * Bounds one whole upstream call, from sending the request to the last byte of the answer. The
 * client's socket timeout only bounds the silence between two packets, so a source that drips its
 * answer a byte at a time would otherwise hold a connection for as long as it likes. When the
 * deadline passes, the connection is closed under the reader, which then fails with a
 * {@link SocketTimeoutException} naming the source.
 */
final class CallDeadline implements ExecChainHandler {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tongxing-call-deadline");
        thread.setDaemon(true);
        return thread;
    });

    private final String sourceId;
    private final Duration timeout;

    CallDeadline(String sourceId, Duration timeout) {
        this.sourceId = sourceId;
        this.timeout = timeout;
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> abort = TIMER.schedule(() -> {
            expired.set(true);
            scope.execRuntime.discardEndpoint();
        }, Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        try {
            ClassicHttpResponse response = chain.proceed(request, scope);
            HttpEntity entity = response.getEntity();
            if (entity == null) {
                abort.cancel(false);
            } else {
                response.setEntity(new HttpEntityWrapper(entity) {
                    @Override
                    public InputStream getContent() throws IOException {
                        return new Guarded(super.getContent(), abort, expired);
                    }
                });
            }
            return response;
        } catch (IOException e) {
            abort.cancel(false);
            throw expired.get() ? timedOut() : e;
        } catch (HttpException | RuntimeException e) {
            abort.cancel(false);
            throw e;
        }
    }

    private SocketTimeoutException timedOut() {
        return new SocketTimeoutException(sourceId + ": no complete answer within " + timeout.toMillis() + " ms");
    }

    /** The answer's body, failing with a timeout once the deadline has closed the connection. */
    private final class Guarded extends FilterInputStream {
        private final ScheduledFuture<?> abort;
        private final AtomicBoolean expired;

        Guarded(InputStream in, ScheduledFuture<?> abort, AtomicBoolean expired) {
            super(in);
            this.abort = abort;
            this.expired = expired;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw expired.get() ? timedOut() : e;
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return super.read(buffer, offset, length);
            } catch (IOException e) {
                throw expired.get() ? timedOut() : e;
            }
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } catch (IOException e) {
                if (!expired.get()) {
                    throw e;
                }
            } finally {
                abort.cancel(false);
            }
        }
    }
}
