package dev.tongxing.adapters;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * Reads no more of an answer than one byte past the source's size limit. That byte is enough for
 * {@link StrictReply} to reject the answer as oversized; the rest is never downloaded, so a source
 * sending ten megabytes costs the hub a few hundred kilobytes and no time.
 */
final class BodyLimit implements ExecChainHandler {

    private final long readable;

    BodyLimit(int maxBodyBytes) {
        this.readable = (long) maxBodyBytes + 1;
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        ClassicHttpResponse response = chain.proceed(request, scope);
        HttpEntity entity = response.getEntity();
        if (entity != null) {
            response.setEntity(new HttpEntityWrapper(entity) {
                @Override
                public InputStream getContent() throws IOException {
                    return new Truncated(super.getContent(), readable, scope.execRuntime::discardEndpoint);
                }

                @Override
                public long getContentLength() {
                    long declared = super.getContentLength();
                    return declared < 0 ? declared : Math.min(declared, readable);
                }
            });
        }
        return response;
    }

    /**
     * Ends the stream after {@code remaining} bytes, as if the answer stopped there. The connection
     * is then dropped rather than closed politely, because a polite close drains the rest of the
     * body so that the connection can be reused, which is exactly the download this avoids.
     */
    private static final class Truncated extends FilterInputStream {
        private final Runnable dropConnection;
        private long remaining;
        private boolean dropped;

        Truncated(InputStream in, long remaining, Runnable dropConnection) {
            super(in);
            this.remaining = remaining;
            this.dropConnection = dropConnection;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int next = super.read();
            if (next >= 0) {
                consumed(1);
            }
            return next;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int count = super.read(buffer, offset, (int) Math.min(length, remaining));
            if (count > 0) {
                consumed(count);
            }
            return count;
        }

        private void consumed(int count) {
            remaining -= count;
            if (remaining <= 0 && !dropped) {
                dropped = true;
                dropConnection.run();
            }
        }

        @Override
        public void close() throws IOException {
            if (!dropped) {
                super.close();
            }
        }
    }
}
