package dev.tongxing.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every Kustomize overlay under deploy/k8s/overlays renders with {@code kubectl kustomize}, and every
 * object it renders is valid against the Kubernetes API schemas (fabric8's kubernetes-model), with
 * unknown fields refused: a misspelt {@code terminationGracePeriodSecond} fails here, not in the
 * cluster. Beyond the schemas: the probes ask the health service, the grace period covers the drain,
 * the configuration covers every variable the production configuration needs, and no Secret value
 * is committed.
 */
class KustomizeOverlaysTest {

    private static final Path DEPLOY = Path.of(System.getProperty("tongxing.deploy.dir", ".")).toAbsolutePath().normalize();
    private static final Path OVERLAYS = DEPLOY.resolve("k8s/overlays");
    private static final Path PRODUCTION_CONFIG = DEPLOY.resolve("config/application-production.yml");
    private static final Path DEPLOYMENT_DOC = DEPLOY.resolve("../docs/deployment.md").normalize();

    /** The API objects the manifests may hold, by apiVersion/kind, each with its schema. */
    private static final Map<String, Class<? extends HasMetadata>> SCHEMAS = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "v1/ServiceAccount", ServiceAccount.class,
            "apps/v1/Deployment", Deployment.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);

    /** A ${NAME} without a default in application-production.yml: the deployment must set it. */
    private static final Pattern REQUIRED_VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper STRICT = strictMapper();

    @TestFactory
    Stream<DynamicTest> everyOverlayRendersAndValidates() throws IOException {
        List<Path> overlays;
        try (Stream<Path> dirs = Files.list(OVERLAYS)) {
            overlays = dirs.filter(dir -> Files.isRegularFile(dir.resolve("kustomization.yaml"))).sorted().toList();
        }
        assertThat(overlays).as("overlays under " + OVERLAYS).extracting(dir -> dir.getFileName().toString()).contains("production");
        return overlays.stream().map(overlay -> DynamicTest.dynamicTest(overlay.getFileName().toString(), () -> check(overlay)));
    }

    private static void check(Path overlay) throws Exception {
        List<HasMetadata> objects = validate(render(overlay));
        Set<String> kinds = new TreeSet<>();
        objects.forEach(object -> kinds.add(object.getKind()));
        assertThat(kinds).contains("Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler", "NetworkPolicy", "ConfigMap");
        assertThat(objects).as("no Secret (and so no secret value) is rendered from the repository")
                .noneMatch(object -> object instanceof Secret);

        Deployment deployment = only(objects, Deployment.class);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(matches(deployment.getSpec().getSelector(), podLabels)).as("the Deployment's selector selects its pods").isTrue();
        Container hub = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
        int grpcPort = hub.getPorts().stream().filter(port -> "grpc".equals(port.getName())).findFirst().orElseThrow().getContainerPort();

        // Native gRPC probes on the health service: readiness on the whole server, liveness on the name a drain keeps SERVING.
        assertThat(hub.getReadinessProbe().getGrpc()).as("readiness probe is a grpc: probe").isNotNull();
        assertThat(hub.getReadinessProbe().getGrpc().getPort()).isEqualTo(grpcPort);
        assertThat(hub.getReadinessProbe().getGrpc().getService()).isNullOrEmpty();
        assertThat(hub.getLivenessProbe().getGrpc()).as("liveness probe is a grpc: probe").isNotNull();
        assertThat(hub.getLivenessProbe().getGrpc().getPort()).isEqualTo(grpcPort);
        assertThat(hub.getLivenessProbe().getGrpc().getService()).isEqualTo("liveness");

        // Memory sized and guaranteed: the request is the limit.
        Map<String, Quantity> requests = hub.getResources().getRequests();
        Map<String, Quantity> limits = hub.getResources().getLimits();
        assertThat(requests).containsKeys("cpu", "memory");
        assertThat(limits).containsKey("memory");
        assertThat(Quantity.getAmountInBytes(requests.get("memory"))).isEqualTo(Quantity.getAmountInBytes(limits.get("memory")));

        // The configuration the pod reads: its ConfigMaps are rendered, its Secrets are the documented external ones.
        Map<String, String> environment = new java.util.HashMap<>();
        Set<String> fromSecrets = new HashSet<>();
        for (EnvFromSource source : hub.getEnvFrom()) {
            assertThat(source.getConfigMapRef()).as("envFrom takes only ConfigMaps; secrets are named one by one").isNotNull();
            environment.putAll(configMap(objects, source.getConfigMapRef().getName()).getData());
        }
        Set<String> secretNames = new TreeSet<>();
        for (EnvVar variable : hub.getEnv()) {
            if (variable.getValueFrom() != null && variable.getValueFrom().getSecretKeyRef() != null) {
                fromSecrets.add(variable.getName());
                secretNames.add(variable.getValueFrom().getSecretKeyRef().getName());
            } else if (variable.getValueFrom() != null && variable.getValueFrom().getConfigMapKeyRef() != null) {
                environment.put(variable.getName(), configMap(objects, variable.getValueFrom().getConfigMapKeyRef().getName())
                        .getData().get(variable.getValueFrom().getConfigMapKeyRef().getKey()));
            } else {
                environment.put(variable.getName(), variable.getValue());
            }
        }
        for (Volume volume : deployment.getSpec().getTemplate().getSpec().getVolumes()) {
            if (volume.getConfigMap() != null) {
                configMap(objects, volume.getConfigMap().getName());
            }
            if (volume.getSecret() != null) {
                secretNames.add(volume.getSecret().getSecretName());
            }
        }
        Set<String> missing = new TreeSet<>(requiredVariables());
        missing.removeAll(environment.keySet());
        missing.removeAll(fromSecrets);
        assertThat(missing).as("variables application-production.yml requires that the overlay does not set").isEmpty();
        assertThat(fromSecrets).contains("TONGXING_DB_USER", "TONGXING_DB_PASSWORD", "TONGXING_PSEUDONYM_KEY", "TONGXING_KAFKA_PASSWORD");
        assertThat(environment).containsKeys("TONGXING_DB_URL", "TONGXING_KAFKA_BOOTSTRAP", "TONGXING_OIDC_ISSUER");
        String doc = Files.readString(DEPLOYMENT_DOC, StandardCharsets.UTF_8);
        for (String secret : secretNames) {
            assertThat(doc).as("docs/deployment.md says where Secret " + secret + " comes from").contains("`" + secret + "`");
        }

        // The pod outlives its drain: NOT_SERVING delay plus grace period, with time for the rest of the shutdown.
        Duration drain = Duration.parse("PT" + environment.get("TONGXING_NOT_SERVING_DELAY").toUpperCase())
                .plus(Duration.parse("PT" + environment.get("TONGXING_SHUTDOWN_GRACE_PERIOD").toUpperCase()));
        long terminationGrace = deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        assertThat(Duration.ofSeconds(terminationGrace)).as("terminationGracePeriodSeconds against the drain").isGreaterThanOrEqualTo(drain.plusSeconds(5));

        // Services, the disruption budget and the autoscaler point at these pods.
        for (HasMetadata object : objects) {
            if (object instanceof Service service) {
                assertThat(podLabels).as("Service " + service.getMetadata().getName() + " selects the hub's pods")
                        .containsAllEntriesOf(service.getSpec().getSelector());
                assertThat(service.getSpec().getPorts()).anyMatch(port -> "grpc".equals(port.getTargetPort().getStrVal()));
            }
        }
        assertThat(matches(only(objects, PodDisruptionBudget.class).getSpec().getSelector(), podLabels)).isTrue();
        HorizontalPodAutoscaler autoscaler = only(objects, HorizontalPodAutoscaler.class);
        assertThat(autoscaler.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(autoscaler.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
        assertThat(autoscaler.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);

        // The network policy covers the hub's pods, and its egress peers are other pods, never the hub's own labels.
        NetworkPolicy policy = only(objects, NetworkPolicy.class);
        assertThat(matches(policy.getSpec().getPodSelector(), podLabels)).isTrue();
        assertThat(policy.getSpec().getPolicyTypes()).contains("Ingress", "Egress");
        policy.getSpec().getEgress().forEach(rule -> {
            for (NetworkPolicyPeer peer : rule.getTo()) {
                if (peer.getPodSelector() != null && peer.getPodSelector().getMatchLabels() != null) {
                    assertThat(peer.getPodSelector().getMatchLabels()).doesNotContainKeys("app.kubernetes.io/name", "app.kubernetes.io/component");
                }
            }
        });
        assertThat(policy.getSpec().getIngress()).anyMatch(rule -> rule.getPorts().stream()
                .anyMatch(port -> port.getPort().getIntVal() != null && port.getPort().getIntVal() == grpcPort));
    }

    @org.junit.jupiter.api.Test
    void anUnknownOrMistypedFieldIsRefused() {
        String misspelt = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: hub}
                spec:
                  selector: {matchLabels: {app: hub}}
                  template:
                    metadata: {labels: {app: hub}}
                    spec:
                      terminationGracePeriodSecond: 40
                      containers: [{name: hub, image: hub}]
                """;
        String mistyped = """
                apiVersion: v1
                kind: Service
                metadata: {name: hub}
                spec:
                  ports: [{port: "9090"}]
                """;
        String unknownKind = """
                apiVersion: example.org/v1
                kind: Widget
                metadata: {name: hub}
                """;
        for (String manifest : List.of(misspelt, mistyped, unknownKind)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> validate(manifest)).isInstanceOf(AssertionError.class);
        }
    }

    /** The kubectl .ci/run fetched when the machine had none, else the one on PATH. */
    private static String kubectl() {
        Path fetched = Path.of("..", "target", "ci-tools", "bin", "kubectl");
        return Files.isExecutable(fetched) ? fetched.toString() : "kubectl";
    }

    /** Runs {@code kubectl kustomize}; fails with what to install when kubectl is missing. */
    static String render(Path kustomization) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(kubectl(), "kustomize", kustomization.toString()).redirectErrorStream(false).start();
        } catch (IOException e) {
            fail("kubectl is not installed (or not on PATH): the Kubernetes manifests are rendered with `kubectl kustomize`. "
                    + "It needs Kustomize v5 (kubectl 1.27 or newer; Debian 12's kubernetes-client 1.20 is too old). "
                    + ".ci/run fetches one into target/ci-tools/bin when none is found. (" + e.getMessage() + ")");
            throw e;
        }
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("kubectl kustomize " + kustomization + " did not finish within 60 s");
        }
        assertThat(process.exitValue()).as("kubectl kustomize %s: %s", kustomization, new String(err, StandardCharsets.UTF_8)).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    /** Parses every document and binds it to its schema, unknown fields refused. */
    static List<HasMetadata> validate(String rendered) throws IOException {
        List<HasMetadata> objects = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(rendered)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document == null || document.isNull() || document.isEmpty()) {
                    continue;
                }
                String type = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
                String name = type + " " + document.path("metadata").path("name").asText();
                Class<? extends HasMetadata> schema = SCHEMAS.get(type);
                if (schema == null) {
                    problems.add(name + ": no schema for " + type + " (a new kind needs its model in deploy/pom.xml and here)");
                    continue;
                }
                try {
                    objects.add(STRICT.treeToValue(document, schema));
                } catch (IOException e) {
                    problems.add(name + ": " + e.getMessage().lines().findFirst().orElse(""));
                }
            }
        }
        assertThat(problems).as("objects that do not match the Kubernetes schemas").isEmpty();
        return objects;
    }

    /**
     * The model's classes keep unknown fields in an "additionalProperties" map; without that map,
     * an unknown field is an error, as {@code kubectl apply --validate=strict} makes it. Scalars
     * are not coerced either: a port written as "9090" is not a number.
     */
    static ObjectMapper strictMapper() {
        SimpleModule refuseUnknownFields = new SimpleModule("refuse-unknown-fields");
        refuseUnknownFields.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription description, BeanDeserializerBuilder builder) {
                builder.setAnySetter(null);
                return builder;
            }
        });
        return JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .addModule(refuseUnknownFields)
                .build();
    }

    private static Set<String> requiredVariables() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String line : Files.readAllLines(PRODUCTION_CONFIG, StandardCharsets.UTF_8)) {
            String content = line.replaceFirst("\\s#.*$", "");
            Matcher matcher = REQUIRED_VARIABLE.matcher(content);
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        assertThat(names).as("variables in " + PRODUCTION_CONFIG).isNotEmpty();
        return names;
    }

    private static ConfigMap configMap(List<HasMetadata> objects, String name) {
        return objects.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                .filter(map -> map.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("ConfigMap " + name + " is referenced but not rendered"));
    }

    private static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> kind) {
        List<T> found = objects.stream().filter(kind::isInstance).map(kind::cast).toList();
        assertThat(found).as(kind.getSimpleName() + " objects").hasSize(1);
        return found.getFirst();
    }

    private static boolean matches(LabelSelector selector, Map<String, String> labels) {
        assertThat(selector.getMatchExpressions()).as("selectors use matchLabels").isNullOrEmpty();
        return selector.getMatchLabels() != null && !selector.getMatchLabels().isEmpty()
                && labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
    }
}
