package dev.tongxing.bench;

import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The ceiling every hub figure is divided by: a gRPC server on the same machine, in the same run,
 * that answers GetStatus with a fixed answer of the hub's own size and does nothing else.
 */
final class BaselineServer implements AutoCloseable {

    private final Server server;

    BaselineServer(TravelerStatus answer) throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new TravelerStatusServiceGrpc.TravelerStatusServiceImplBase() {
                    @Override
                    public void getStatus(GetStatusRequest request, StreamObserver<TravelerStatus> response) {
                        response.onNext(answer);
                        response.onCompleted();
                    }
                })
                .build()
                .start();
    }

    String target() {
        return "127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
