package dev.tongxing.hub.server;

import io.grpc.netty.shaded.io.netty.util.concurrent.EventExecutor;
import io.grpc.netty.shaded.io.netty.util.internal.ThreadExecutorMap;
import java.util.concurrent.Executor;

/**
 * The transport thread (a Netty event loop) running the current code, if it runs on one. A lookup
 * served inline starts on the event loop of its connection; handing what finishes it back to that
 * loop lets the loop write and flush the answer itself, where a thread of its own would first have
 * to be woken to take it and would then wake the loop to write it. On this project's 2-core
 * virtual machine such wake-ups, not the work they carry, were most of a call's cost at moderate
 * load.
 */
public final class TransportThreads {

    private TransportThreads() {}

    /** The event loop the current thread is, or null on any other thread. */
    public static Executor current() {
        EventExecutor loop = ThreadExecutorMap.currentExecutor();
        return loop != null && loop.inEventLoop() ? loop : null;
    }
}
