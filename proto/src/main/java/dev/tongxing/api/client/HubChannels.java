package dev.tongxing.api.client;

import io.grpc.EquivalentAddressGroup;
import io.grpc.ManagedChannelBuilder;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Channels to a hub fleet for every client of the contract (the CLI, the benchmark, tests): calls
 * that fail with UNAVAILABLE are retried, and calls are spread round-robin over every address the
 * target resolves to, so a replica that drains or dies costs its callers a retry on another
 * replica, not a failed scan.
 *
 * <p>A hub drains with UNAVAILABLE (calls cut at the end of its grace period, streams told to
 * reconnect) precisely so that this policy resends them. Every RPC of the contract may be retried:
 * lookups are reads, and changes are idempotent by change id. gRPC retries a stream only until its
 * first answer arrives; after that, sending the rest on a new stream is the caller's work (the
 * CLI's manifest command does so).
 *
 * <p>Targets: {@code host:port} (DNS; every address of the name, e.g. a Kubernetes headless
 * Service), {@code dns:///host:port}, or a list {@code host:port,host:port} of replicas.
 */
public final class HubChannels {

    /** Attempts per call, the first included: enough to get past one replica and its successor restarting. */
    public static final int MAX_ATTEMPTS = 4;
    /** Target scheme of a fixed list of replicas. */
    static final String REPLICAS_SCHEME = "tongxing-replicas";

    static {
        NameResolverRegistry.getDefaultRegistry().register(new ReplicaListProvider());
    }

    private HubChannels() {
    }

    /**
     * The gRPC service config of every hub channel: retry on UNAVAILABLE with exponential backoff
     * (0.1 s, 0.2 s, 0.4 s, with gRPC's jitter) and no more than {@link #MAX_ATTEMPTS} attempts, so
     * retries stay bounded when the whole fleet is down; round-robin over the resolved addresses.
     * No hedging: a scan is asked of one replica at a time.
     */
    public static Map<String, Object> serviceConfig() {
        Map<String, Object> retry = Map.of(
                "maxAttempts", (double) MAX_ATTEMPTS,
                "initialBackoff", "0.1s",
                "maxBackoff", "1s",
                "backoffMultiplier", 2.0,
                "retryableStatusCodes", List.of("UNAVAILABLE"));
        // An empty name is the default for every method of every service.
        Map<String, Object> everyMethod = Map.of("name", List.of(Map.of()), "retryPolicy", retry);
        return Map.of(
                "loadBalancingConfig", List.of(Map.of("round_robin", Map.of())),
                "methodConfig", List.of(everyMethod));
    }

    /** A channel builder for {@code target} with the retry policy; the caller adds credentials or plaintext. */
    public static ManagedChannelBuilder<?> forTarget(String target) {
        return ManagedChannelBuilder.forTarget(resolvable(target))
                .defaultServiceConfig(serviceConfig())
                .disableServiceConfigLookUp()
                .enableRetry();
    }

    /** The target as gRPC resolves it: a list of replicas gets its own scheme, one host:port stays DNS. */
    static String resolvable(String target) {
        String trimmed = target.strip();
        if (trimmed.contains(",")) {
            for (String replica : trimmed.split(",")) {
                address(replica);
            }
            return REPLICAS_SCHEME + ":///" + trimmed;
        }
        if (!trimmed.contains("://")) {
            address(trimmed);
            return "dns:///" + trimmed;
        }
        return trimmed;
    }

    /** host:port, checked and not yet resolved. */
    static InetSocketAddress address(String hostPort) {
        String value = hostPort.strip();
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("hub address '" + value + "' is not host:port");
        }
        String host = value.substring(0, colon).replace("[", "").replace("]", "");
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("hub address '" + value + "' has no port number");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("hub address '" + value + "': port " + port + " is out of range");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    /** Resolves {@code tongxing-replicas:///host:port,host:port} to those addresses, once. */
    private static final class ReplicaListProvider extends NameResolverProvider {
        @Override
        protected boolean isAvailable() {
            return true;
        }

        @Override
        protected int priority() {
            return 5;
        }

        @Override
        public String getDefaultScheme() {
            return REPLICAS_SCHEME;
        }

        @Override
        public NameResolver newNameResolver(URI target, NameResolver.Args args) {
            if (!REPLICAS_SCHEME.equals(target.getScheme())) {
                return null;
            }
            String path = target.getPath() == null ? "" : target.getPath().replaceFirst("^/", "");
            List<EquivalentAddressGroup> replicas = new ArrayList<>();
            for (String replica : path.split(",")) {
                InetSocketAddress named = address(replica);
                SocketAddress address = new InetSocketAddress(named.getHostString(), named.getPort());
                replicas.add(new EquivalentAddressGroup(address));
            }
            String authority = path.split(",")[0];
            return new NameResolver() {
                @Override
                public String getServiceAuthority() {
                    return authority;
                }

                @Override
                public void start(Listener2 listener) {
                    listener.onResult(ResolutionResult.newBuilder().setAddresses(replicas).build());
                }

                @Override
                public void shutdown() {
                }
            };
        }
    }
}
