package dev.tongxing.hub.security;

import io.grpc.Grpc;
import io.grpc.ServerCall;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * What a verified client certificate says about the caller. The issuing CA states a province in a
 * subject alternative name URI {@code urn:tongxing:province:NN}; the certificate's chain was already
 * checked against the configured trust during the TLS handshake.
 */
final class PeerCertificate {

    static final String PROVINCE_URI_PREFIX = "urn:tongxing:province:";
    private static final int SAN_URI = 6;

    private PeerCertificate() {}

    /** The verified client certificate of this call, if the call came over TLS with one. */
    static Optional<X509Certificate> of(ServerCall<?, ?> call) {
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        if (session == null) {
            return Optional.empty();
        }
        try {
            var chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? Optional.of(leaf) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    /** The provinces the certificate names; a certificate naming none binds the caller to none. */
    static List<String> provinces(X509Certificate certificate) {
        try {
            var names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return List.of();
            }
            return names.stream()
                    .filter(name -> name.size() >= 2 && Integer.valueOf(SAN_URI).equals(name.get(0)) && name.get(1) instanceof String)
                    .map(name -> (String) name.get(1))
                    .filter(uri -> uri.startsWith(PROVINCE_URI_PREFIX))
                    .map(uri -> uri.substring(PROVINCE_URI_PREFIX.length()))
                    .toList();
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }
}
