package dev.tongxing.hub.security;

import dev.tongxing.adapters.TlsFiles;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;

/**
 * The gRPC listener's TLS: the hub's certificate, and the CAs whose client certificates it accepts
 * (provinces', each naming its province). Files are re-read on {@code refresh}, so both sides
 * rotate certificates without a restart.
 */
public final class ListenerTls {

    private ListenerTls() {}

    public static ServerCredentials credentials(SecurityProperties.Mtls mtls) {
        TlsFiles files = TlsFiles.load(mtls.certificateChain(), mtls.privateKey(),
                mtls.clientAuth().equals("none") ? null : mtls.trust(), false, mtls.refresh());
        TlsServerCredentials.Builder builder = TlsServerCredentials.newBuilder()
                .keyManager(files.keys().orElseThrow())
                .clientAuth(switch (mtls.clientAuth()) {
                    case "require" -> TlsServerCredentials.ClientAuth.REQUIRE;
                    case "optional" -> TlsServerCredentials.ClientAuth.OPTIONAL;
                    default -> TlsServerCredentials.ClientAuth.NONE;
                });
        files.trust().ifPresent(builder::trustManager);
        return builder.build();
    }
}
