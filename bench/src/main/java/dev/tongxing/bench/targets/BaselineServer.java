package dev.tongxing.bench.targets;

import dev.tongxing.api.v1.GetStatusRequest;
import dev.tongxing.api.v1.TravelerStatus;
import dev.tongxing.api.v1.TravelerStatusServiceGrpc;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The ceiling every hub figure is divided by, run as a process of its own: a bare grpc-java server
 * on the same machine, in the same run, with a direct executor, answering GetStatus with a fixed
 * answer of the hub's own size (the hub's answer, captured at the start of the run) and doing
 * nothing else. Args: {@code <port> <answer file>}.
 */
public final class BaselineServer {

    private BaselineServer() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        TravelerStatus answer = TravelerStatus.parseFrom(Files.readAllBytes(Path.of(args[1])));
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .directExecutor()
                .addService(new TravelerStatusServiceGrpc.TravelerStatusServiceImplBase() {
                    @Override
                    public void getStatus(GetStatusRequest request, StreamObserver<TravelerStatus> response) {
                        response.onNext(answer);
                        response.onCompleted();
                    }
                })
                .build()
                .start();
        System.out.println("READY baseline on 127.0.0.1:" + server.getPort() + ", answering " + answer.getSerializedSize() + " bytes");
        server.awaitTermination();
    }
}
