package dev.tongxing.hub.security;

import com.nimbusds.jose.JWSAlgorithm;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may call the hub, under {@code tongxing.security}. Every gRPC call carries an OIDC access
 * token issued by the realm at {@code issuer} (Keycloak in production), validated locally against
 * the realm's published keys. Without an issuer the hub runs only in demo mode, where a clearly
 * labelled development identity issues the tokens itself.
 *
 * @param issuer          the realm's issuer URL exactly as tokens state it in {@code iss}, for
 *                        example {@code https://sso.example/realms/tongxing}; required outside demo mode
 * @param jwksUri         where the realm publishes its signing keys; defaults to Keycloak's
 *                        {@code <issuer>/protocol/openid-connect/certs}
 * @param audience        the audience ({@code aud}) a token must name to be accepted here, so a
 *                        token minted for another service of the realm is refused
 * @param clockSkew       tolerance for {@code exp} and {@code nbf}: small, because tokens are short-lived
 * @param algorithms      accepted signature algorithms; asymmetric only, so a token "signed" with
 *                        the realm's public key as an HMAC secret can never verify
 * @param provinceClaim   the claim naming the GB/T 2260 province a client belongs to
 * @param jwksCacheFor    how long the realm's keys are used before they are fetched again; a token
 *                        with an unknown key id refreshes them at once, so rotation needs no restart
 * @param jwksRefreshMinInterval least time between two fetches of the keys, so forged key ids
 *                        cannot make the hub hammer the realm
 * @param callerLimits    per-caller rate limits
 * @param development     the development identity used in demo mode when no issuer is configured
 * @param opsTokenRequired require an {@code operator} token on the operations port (metrics);
 *                        required when that port listens beyond loopback
 * @param mtls            mutual TLS on the gRPC listener
 */
@ConfigurationProperties("tongxing.security")
public record SecurityProperties(
        String issuer,
        URI jwksUri,
        @DefaultValue("tongxing-hub") String audience,
        @DefaultValue("30s") Duration clockSkew,
        @DefaultValue({"RS256", "PS256", "ES256"}) List<String> algorithms,
        @DefaultValue("province") String provinceClaim,
        @DefaultValue("5m") Duration jwksCacheFor,
        @DefaultValue("10s") Duration jwksRefreshMinInterval,
        @DefaultValue CallerLimits callerLimits,
        @DefaultValue Development development,
        @DefaultValue("false") boolean opsTokenRequired,
        @DefaultValue Mtls mtls) {

    public SecurityProperties {
        if (issuer != null && issuer.isBlank()) {
            issuer = null;
        }
        if (issuer != null && !issuer.startsWith("https://") && !issuer.startsWith("http://")) {
            throw new IllegalArgumentException("tongxing.security.issuer '" + issuer + "' is not an http(s) URL");
        }
        if (jwksUri == null && issuer != null) {
            jwksUri = URI.create(issuer.replaceAll("/+$", "") + "/protocol/openid-connect/certs");
        }
        if (audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("tongxing.security.audience must not be empty");
        }
        if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("tongxing.security.clock-skew must be between 0 and 5 minutes");
        }
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("tongxing.security.algorithms must name at least one algorithm");
        }
        for (String name : algorithms) {
            JWSAlgorithm algorithm = JWSAlgorithm.parse(name);
            if (!JWSAlgorithm.Family.RSA.contains(algorithm) && !JWSAlgorithm.Family.EC.contains(algorithm)
                    && !JWSAlgorithm.Family.ED.contains(algorithm)) {
                throw new IllegalArgumentException("tongxing.security.algorithms: '" + name
                        + "' is not an asymmetric signature algorithm (RS*, PS*, ES*, EdDSA)");
            }
        }
        algorithms = List.copyOf(algorithms);
    }

    /** True when tokens come from a real identity provider rather than the development identity. */
    public boolean usesIssuer() {
        return issuer != null;
    }

    /**
     * How fast one credential may ask about travelers, so a leaked or misused checkpoint credential
     * cannot walk the population. Counted per client ({@code azp}).
     *
     * @param lookupsPerSecond lookups (single scans and manifest entries alike) per client per second
     * @param perClient        overrides for named clients, for example a large station's credential
     */
    public record CallerLimits(
            @DefaultValue("1000") int lookupsPerSecond,
            Map<String, Integer> perClient) {

        public CallerLimits {
            perClient = perClient == null ? Map.of() : Map.copyOf(perClient);
            if (lookupsPerSecond < 1) {
                throw new IllegalArgumentException("tongxing.security.caller-limits.lookups-per-second must be at least 1");
            }
            perClient.forEach((client, limit) -> {
                if (limit == null || limit < 1) {
                    throw new IllegalArgumentException("tongxing.security.caller-limits.per-client." + client + " must be at least 1");
                }
            });
        }

        public int limitFor(String clientId) {
            return perClient.getOrDefault(clientId, lookupsPerSecond);
        }
    }

    /**
     * The development identity: in demo mode with no issuer, the hub signs tokens itself with a key
     * pair generated at start and hands them out on the operations port to the clients listed here.
     * Refused outside demo mode.
     *
     * @param clients  client id to its secret, roles and province
     * @param tokenTtl lifetime of an issued token
     */
    public record Development(
            Map<String, DevelopmentClient> clients,
            @DefaultValue("5m") Duration tokenTtl) {

        public Development {
            clients = clients == null ? Map.of() : Map.copyOf(clients);
            clients.forEach((id, client) -> {
                if (client.secret() == null || client.secret().isBlank()) {
                    throw new IllegalArgumentException("tongxing.security.development.clients." + id + ".secret is required");
                }
                for (String role : client.roles()) {
                    if (Role.ofRealmRole(role).isEmpty()) {
                        throw new IllegalArgumentException("tongxing.security.development.clients." + id + ".roles: unknown role '" + role + "'");
                    }
                }
            });
        }
    }

    /**
     * @param secret   the client secret (demo only)
     * @param roles    realm roles, as in {@link Role#realmRole()}
     * @param province GB/T 2260 code, empty for national clients
     */
    public record DevelopmentClient(String secret, List<String> roles, String province) {
        public DevelopmentClient {
            roles = roles == null ? List.of() : List.copyOf(roles);
            province = province == null ? "" : province;
        }

        @Override
        public String toString() {
            return "DevelopmentClient[roles=" + roles + ", province=" + province + "]";
        }
    }

    /**
     * Mutual TLS on the gRPC listener. With TLS on, a client certificate (when presented, or always
     * when {@code client-auth} is {@code require}) must chain to {@code trust}; a certificate naming a
     * province (subject alternative name URI {@code urn:tongxing:province:NN}) binds the call to that
     * province, so province A's certificate cannot carry province B's token. Files are re-read every
     * {@code refresh}, so certificates rotate without a restart.
     *
     * @param enabled          serve gRPC over TLS
     * @param certificateChain PEM certificate chain of the hub
     * @param privateKey       PEM private key of the hub (PKCS#8)
     * @param trust            PEM bundle of the CAs that issue client certificates
     * @param clientAuth       {@code none}, {@code optional} or {@code require}
     * @param requireForProvinces refuse {@code province-system} callers that present no certificate
     * @param refresh          how often the files are re-read
     */
    public record Mtls(
            @DefaultValue("false") boolean enabled,
            String certificateChain,
            String privateKey,
            String trust,
            @DefaultValue("optional") String clientAuth,
            @DefaultValue("false") boolean requireForProvinces,
            @DefaultValue("1m") Duration refresh) {

        public Mtls {
            if (!List.of("none", "optional", "require").contains(clientAuth)) {
                throw new IllegalArgumentException("tongxing.security.mtls.client-auth must be none, optional or require");
            }
            if (enabled && (blank(certificateChain) || blank(privateKey))) {
                throw new IllegalArgumentException("tongxing.security.mtls.certificate-chain and private-key are required when mtls is enabled");
            }
            if (enabled && !clientAuth.equals("none") && blank(trust)) {
                throw new IllegalArgumentException("tongxing.security.mtls.trust is required when client-auth is " + clientAuth);
            }
            if (requireForProvinces && (!enabled || clientAuth.equals("none"))) {
                throw new IllegalArgumentException("tongxing.security.mtls.require-for-provinces needs mtls enabled with client-auth optional or require");
            }
            if (refresh.isNegative() || refresh.isZero()) {
                throw new IllegalArgumentException("tongxing.security.mtls.refresh must be positive");
            }
        }

        private static boolean blank(String value) {
            return value == null || value.isBlank();
        }
    }
}
