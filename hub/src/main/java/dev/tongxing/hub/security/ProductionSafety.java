package dev.tongxing.hub.security;

import dev.tongxing.hub.config.ExchangeProperties;
import dev.tongxing.hub.config.FleetProperties;
import dev.tongxing.hub.config.HubProperties;
import dev.tongxing.hub.config.SourceProperties;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Component;
import org.springframework.util.ClassUtils;

/**
 * Refuses to start a hub that is not in demo mode but still carries what only the demo may: the
 * demo pseudonym key, a source on the simulators' loopback ports, an operations port reachable
 * beyond loopback with no token guarding it, or the single-process stores. Outside demo mode the hub
 * is a replica of a fleet (docs/scale-out.md): its applied changes and audit chains belong in
 * PostgreSQL, changes fan out through Kafka and capacity is shared by leases; a lone replica on
 * embedded H2 with in-memory fan-out would serve stale colours on its siblings and spend every
 * province's whole capacity again. Demo mode itself is refused where the simulators are
 * absent (the production artifact), so that {@code tongxing.demo.enabled=true} cannot serve to
 * switch these checks off. Runs while the context starts, before any listener is bound; every
 * problem found is reported at once, each naming its property.
 */
@Component
public class ProductionSafety {

    /** The key in the demo configuration (tongxing-demo.yml); anyone can read it there. */
    public static final String DEMO_PSEUDONYM_KEY = "demo-only-pseudonym-key-not-for-production";

    /** A class only the simulators module has: present in the demo application and the hub's tests. */
    static final String SIMULATORS_MARKER = "dev.tongxing.simulators.SimulatedSystems";

    public ProductionSafety(HubProperties hub, ExchangeProperties exchange, SecurityProperties security,
                            FleetProperties fleet, Environment environment, ResourceLoader resources) {
        List<String> problems = problems(hub, exchange, security, fleet, Binder.get(environment),
                ClassUtils.isPresent(SIMULATORS_MARKER, resources.getClassLoader()));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Unsafe configuration, refusing to start:\n  - " + String.join("\n  - ", problems));
        }
    }

    static List<String> problems(HubProperties hub, ExchangeProperties exchange, SecurityProperties security,
                                 FleetProperties fleet, Binder binder, boolean simulatorsPresent) {
        List<String> problems = new ArrayList<>();
        HubProperties.Demo demo = hub.demo();
        if (demo.enabled()) {
            if (!simulatorsPresent) {
                problems.add("tongxing.demo.enabled=true, but this build has no simulators: demo mode runs only in the demo"
                        + " application (mvn -pl demo -am spring-boot:run)");
            }
            return problems;
        }
        if (DEMO_PSEUDONYM_KEY.equals(exchange.pseudonymKey())) {
            problems.add("tongxing.exchange.pseudonym-key is the published demo key; outside demo mode set it"
                    + " (TONGXING_PSEUDONYM_KEY) from the secret store");
        }
        for (Map.Entry<String, SourceProperties> source : new TreeMap<>(hub.sources()).entrySet()) {
            URI endpoint = source.getValue().endpoint();
            if (isLoopback(endpoint.getHost()) && (endpoint.getPort() == demo.port() || endpoint.getPort() == demo.grpcPort())) {
                problems.add("tongxing.sources." + source.getKey() + ".endpoint points at " + endpoint.getHost() + ":"
                        + endpoint.getPort() + ", a demo simulator port (tongxing.demo.port " + demo.port()
                        + ", tongxing.demo.grpc-port " + demo.grpcPort() + "); outside demo mode give the source its real endpoint");
            }
        }
        checkFleetStores(fleet, binder.bind("spring.datasource.url", String.class).orElse(""), problems);
        if (!security.opsTokenRequired()) {
            checkOpsAddress("server.address", binder.bind("server.address", InetAddress.class).orElse(null), problems);
            if (binder.bind("management.server.port", Integer.class).isBound()) {
                checkOpsAddress("management.server.address",
                        binder.bind("management.server.address", InetAddress.class).orElse(null), problems);
            }
        }
        return problems;
    }

    private static void checkFleetStores(FleetProperties fleet, String datasourceUrl, List<String> problems) {
        if (!datasourceUrl.startsWith("jdbc:postgresql:")) {
            problems.add("spring.datasource.url is " + schemeOf(datasourceUrl) + "; outside demo mode the applied changes, subscription"
                    + " positions and audit chains are shared by the fleet in PostgreSQL: set TONGXING_DB_URL to"
                    + " jdbc:postgresql://host:5432/tongxing (embedded H2 is for the demo only)");
        }
        if (!fleet.kafka().enabled()) {
            problems.add("tongxing.fleet.kafka.enabled is false; outside demo mode applied changes must fan out to every"
                    + " replica through Kafka: set it to true and spring.kafka.bootstrap-servers (TONGXING_KAFKA_BOOTSTRAP)");
        }
        if (!fleet.leases().enabled()) {
            problems.add("tongxing.fleet.leases.enabled is false; outside demo mode each replica must take its share of"
                    + " every province's declared capacity from the fleet's leases: set it to true");
        }
    }

    /** Only the JDBC scheme ("jdbc:h2:..."): the rest of a JDBC URL may carry a password. */
    private static String schemeOf(String jdbcUrl) {
        if (jdbcUrl.isBlank()) {
            return "unset";
        }
        String[] parts = jdbcUrl.split("[:;?]", 3);
        return parts.length < 2 ? "not a JDBC URL" : parts[0] + ":" + parts[1] + ":...";
    }

    private static void checkOpsAddress(String property, InetAddress address, List<String> problems) {
        if (address == null || !address.isLoopbackAddress()) {
            problems.add(property + " " + (address == null ? "is unset (all interfaces)" : address.getHostAddress())
                    + " exposes the operations port (health, metrics) beyond loopback with no token; keep it on 127.0.0.1"
                    + " or set tongxing.security.ops-token-required=true");
        }
    }

    /** Loopback or the wildcard address (which reaches this host too), judged without a DNS lookup. */
    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        if (host.equalsIgnoreCase("localhost") || host.toLowerCase().endsWith(".localhost")) {
            return true;
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!literal.contains(":") && !literal.matches("[0-9.]+")) {
            return false; // a host name other than localhost: resolving it here would be a DNS lookup
        }
        try {
            InetAddress address = InetAddress.getByName(literal); // an IP literal: parsed, never resolved
            return address.isLoopbackAddress() || address.isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
