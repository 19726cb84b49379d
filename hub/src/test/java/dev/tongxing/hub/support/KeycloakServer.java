package dev.tongxing.hub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Keycloak for the tests, started once per test JVM on first use and stopped when the JVM
 * exits. It serves realm {@code tongxing} (imported from {@code deploy/keycloak/tongxing-realm.json},
 * the file production starts from) and realm {@code other} (a foreign realm whose tokens the hub must
 * refuse), on loopback ports of its own.
 *
 * <p>Keycloak's distribution is unpacked by the hub's build (maven-dependency-plugin) and runs on the
 * test JVM's own JDK (21+, chosen by maven-toolchains-plugin). Each run starts from an empty
 * in-memory database, so tests that change a realm (rotate a key, disable a client) affect only
 * this JVM; tests that change shared state should undo it or use a client no other test relies on.
 */
public final class KeycloakServer {

    public static final String TONGXING = "tongxing";
    public static final String OTHER = "other";
    /** The audience every hub client's access token carries. */
    public static final String HUB_AUDIENCE = "tongxing-hub";

    /**
     * Generous: the first start on a fresh clone also "augments" the distribution (about 90 s on a
     * loaded 2-core machine), and several builds share the CPU.
     */
    private static final Duration READY_TIMEOUT =
            Duration.ofSeconds(Long.getLong("tongxing.keycloak.ready-timeout-seconds", 420));
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final String ADMIN_USER = "tongxing-test-admin";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static KeycloakServer instance;
    /** A failed start is not retried: every later test fails at once instead of waiting again. */
    private static RuntimeException startFailure;

    private final URI baseUrl;
    private final Process process;
    private final Path logFile;
    private final Duration startupTime;
    private final String adminPassword = UUID.randomUUID().toString();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** The server of this test JVM, started on first call. Fails the calling test if Keycloak cannot start. */
    public static synchronized KeycloakServer get() {
        if (startFailure != null) {
            throw new IllegalStateException("Keycloak failed to start earlier in this test JVM", startFailure);
        }
        if (instance == null) {
            try {
                instance = new KeycloakServer();
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
        }
        return instance;
    }

    private KeycloakServer() {
        Path home = Path.of(requiredProperty("tongxing.keycloak.home")).toAbsolutePath();
        Path realmFile = Path.of(requiredProperty("tongxing.keycloak.realm-file")).toAbsolutePath();
        Path logDir = Path.of(System.getProperty("tongxing.keycloak.log-dir", "target/keycloak-logs")).toAbsolutePath();
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("no Keycloak distribution at " + home
                    + " (tongxing.keycloak.home); the hub's build unpacks it in generate-test-resources");
        }
        Path pidFile = home.resolve("tongxing-test-keycloak.pid");
        stopLeftoverOf(pidFile, home);
        prepareDataDir(home, realmFile);

        int httpPort = FreePorts.next();
        int managementPort = FreePorts.next();
        this.baseUrl = URI.create("http://127.0.0.1:" + httpPort);
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.logFile = logDir.resolve("keycloak-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".log");

        ProcessBuilder builder = new ProcessBuilder(
                "/bin/sh", home.resolve("bin/kc.sh").toString(), "start-dev",
                "--import-realm",
                // A fresh database per run; nothing survives from an earlier test JVM.
                "--db=dev-mem",
                // Loopback only: no other interface ever sees the test server.
                "--http-host=127.0.0.1",
                "--http-port=" + httpPort,
                "--http-management-port=" + managementPort,
                "--health-enabled=false",
                "--metrics-enabled=false")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        Map<String, String> env = builder.environment();
        // The test JVM's own JDK: 21 or newer, which Keycloak needs; Maven itself may run on 17.
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        // Modest memory and JIT effort: two cores and several JVMs share the machine.
        env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
        env.put("JAVA_OPTS_APPEND", "-XX:TieredStopAtLevel=1");
        env.remove("JAVA_OPTS");
        env.remove("KC_DB");

        Instant started = Instant.now();
        try {
            this.process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + home.resolve("bin/kc.sh"), e);
        }
        writePid(pidFile, process.pid());
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "keycloak-stop"));
        awaitReady();
        this.startupTime = Duration.between(started, Instant.now());
        // The lead reports Keycloak's start time; it also shows in the test's output file.
        System.out.printf("Keycloak %s ready in %.1f s (realm import included%s); log: %s%n",
                home.getFileName(), startupTime.toMillis() / 1000.0,
                augmented() ? ", first start: distribution augmented" : "", logFile);
    }

    // ---- Addresses ----

    public URI baseUrl() {
        return baseUrl;
    }

    /** The {@code iss} of the realm's tokens, e.g. {@code http://127.0.0.1:PORT/realms/tongxing}. */
    public String issuer(String realm) {
        return baseUrl + "/realms/" + realm;
    }

    public URI jwksUri(String realm) {
        return URI.create(issuer(realm) + "/protocol/openid-connect/certs");
    }

    public URI tokenEndpoint(String realm) {
        return URI.create(issuer(realm) + "/protocol/openid-connect/token");
    }

    public URI openIdConfiguration(String realm) {
        return URI.create(issuer(realm) + "/.well-known/openid-configuration");
    }

    /** How long the first start took, from launching kc.sh until the tongxing realm answered. */
    public Duration startupTime() {
        return startupTime;
    }

    public Path logFile() {
        return logFile;
    }

    /** The operating-system process id of the Keycloak JVM (for measuring it). */
    public long serverPid() {
        return process.descendants().filter(p -> p.info().command().orElse("").endsWith("/java"))
                .findFirst().map(ProcessHandle::pid).orElse(process.pid());
    }

    // ---- Tokens ----

    /** A fresh access token for the client by the client-credentials grant; fails if Keycloak refuses. */
    public String accessToken(RealmClient client) {
        return accessToken(client.realm(), client.clientId(), client.secret());
    }

    /** A fresh access token by the client-credentials grant; fails if Keycloak refuses. */
    public String accessToken(String realm, String clientId, String secret) {
        TokenResponse response = requestToken(realm, clientId, secret);
        return response.accessToken().orElseThrow(() -> new IllegalStateException(
                "Keycloak refused a token to " + clientId + " in realm " + realm + ": HTTP "
                        + response.status() + " " + response.body()));
    }

    /** The raw answer of the token endpoint, for tests that expect a refusal. */
    public TokenResponse requestToken(String realm, String clientId, String secret) {
        String basic = Base64.getEncoder().encodeToString(
                (form(clientId) + ":" + form(secret)).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = send(HttpRequest.newBuilder(tokenEndpoint(realm))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
        Optional<String> token = Optional.empty();
        if (response.statusCode() == 200) {
            token = Optional.of(readJson(response.body()).path("access_token").asText());
        }
        return new TokenResponse(response.statusCode(), response.body(), token);
    }

    /** @param accessToken present only when the status is 200 */
    public record TokenResponse(int status, String body, Optional<String> accessToken) {}

    // ---- Admin helpers ----

    /**
     * Adds a new generated RSA signing key with a higher priority than every key the realm has, so
     * tokens issued from now on carry a new {@code kid} while the JWKS still serves the old keys.
     *
     * @return the new key's {@code kid}
     */
    public String rotateSigningKey(String realm) {
        int priority = activeRs256Keys(realm).stream().mapToInt(k -> k.path("providerPriority").asInt()).max().orElse(100) + 100;
        String realmId = admin("GET", "/admin/realms/" + realm, null).path("id").asText();
        Map<String, Object> component = Map.of(
                "name", "rsa-rotated-" + priority,
                "providerId", "rsa-generated",
                "providerType", "org.keycloak.keys.KeyProvider",
                "parentId", realmId,
                "config", Map.of(
                        "priority", List.of(Integer.toString(priority)),
                        "algorithm", List.of("RS256"),
                        "keySize", List.of("2048"),
                        "active", List.of("true"),
                        "enabled", List.of("true")));
        admin("POST", "/admin/realms/" + realm + "/components", component);
        return activeRs256Keys(realm).stream()
                .filter(k -> k.path("providerPriority").asInt() == priority)
                .map(k -> k.path("kid").asText())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the rotated key did not appear in realm " + realm));
    }

    /** The kid tokens of the realm are signed with now (the active RS256 key of highest priority). */
    public String currentSigningKid(String realm) {
        return activeRs256Keys(realm).stream()
                .max(Comparator.comparingInt(k -> k.path("providerPriority").asInt()))
                .map(k -> k.path("kid").asText())
                .orElseThrow();
    }

    /** Enables or disables a client; a disabled client gets no tokens. */
    public void setClientEnabled(String realm, String clientId, boolean enabled) {
        JsonNode client = client(realm, clientId);
        ((com.fasterxml.jackson.databind.node.ObjectNode) client).put("enabled", enabled);
        admin("PUT", "/admin/realms/" + realm + "/clients/" + client.path("id").asText(), client);
    }

    /** Grants a realm role to the client's service account (takes effect for tokens issued afterwards). */
    public void grantRealmRole(String realm, String clientId, String role) {
        changeRealmRole(realm, clientId, role, "POST");
    }

    /** Removes a realm role from the client's service account (takes effect for tokens issued afterwards). */
    public void revokeRealmRole(String realm, String clientId, String role) {
        changeRealmRole(realm, clientId, role, "DELETE");
    }

    /**
     * Sets the access-token lifespan of the realm, in seconds (for expiry tests; Keycloak's minimum
     * useful value is a few seconds).
     */
    public void setAccessTokenLifespan(String realm, int seconds) {
        admin("PUT", "/admin/realms/" + realm, Map.of("accessTokenLifespan", seconds));
    }

    /** An admin REST call as the bootstrap admin; fails on any status other than 2xx. */
    public JsonNode admin(String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + adminToken())
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(writeJson(body)));
        }
        HttpResponse<String> response = send(request);
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("Keycloak admin " + method + " " + path + " answered HTTP "
                    + response.statusCode() + ": " + response.body());
        }
        return response.body().isBlank() ? JSON.createObjectNode() : readJson(response.body());
    }

    private void changeRealmRole(String realm, String clientId, String role, String method) {
        String clientUuid = client(realm, clientId).path("id").asText();
        String userId = admin("GET", "/admin/realms/" + realm + "/clients/" + clientUuid + "/service-account-user", null)
                .path("id").asText();
        JsonNode roleRep = admin("GET", "/admin/realms/" + realm + "/roles/" + form(role), null);
        admin(method, "/admin/realms/" + realm + "/users/" + userId + "/role-mappings/realm", List.of(roleRep));
    }

    private JsonNode client(String realm, String clientId) {
        JsonNode clients = admin("GET", "/admin/realms/" + realm + "/clients?clientId=" + form(clientId), null);
        if (clients.size() != 1) {
            throw new IllegalArgumentException("no client " + clientId + " in realm " + realm);
        }
        return clients.get(0);
    }

    private List<JsonNode> activeRs256Keys(String realm) {
        JsonNode keys = admin("GET", "/admin/realms/" + realm + "/keys", null).path("keys");
        return Stream.iterate(0, i -> i < keys.size(), i -> i + 1).map(keys::get)
                .filter(k -> "RS256".equals(k.path("algorithm").asText()))
                .filter(k -> "ACTIVE".equals(k.path("status").asText()))
                .filter(k -> "SIG".equals(k.path("use").asText()))
                .collect(Collectors.toList());
    }

    private String adminToken() {
        HttpResponse<String> response = send(HttpRequest.newBuilder(tokenEndpoint("master"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username="
                        + form(ADMIN_USER) + "&password=" + form(adminPassword))));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Keycloak refused the bootstrap admin: HTTP " + response.statusCode());
        }
        return readJson(response.body()).path("access_token").asText();
    }

    // ---- Life cycle ----

    private void awaitReady() {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        HttpRequest probe = HttpRequest.newBuilder(openIdConfiguration(TONGXING)).timeout(Duration.ofSeconds(5)).GET().build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with status " + process.exitValue()
                        + " before it was ready; see " + logFile + "\n" + tail(logFile));
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw new IllegalStateException("interrupted while waiting for Keycloak", e);
            }
            sleep(Duration.ofMillis(500));
        }
        stop();
        throw new IllegalStateException("Keycloak was not ready within " + READY_TIMEOUT.toSeconds()
                + " s (tongxing.keycloak.ready-timeout-seconds); see " + logFile + "\n" + tail(logFile));
    }

    /**
     * Stops kc.sh and the Keycloak JVM it forked: TERM first (Keycloak shuts down cleanly within a
     * few seconds), KILL after a grace period, so no server outlives the test JVM.
     */
    private void stop() {
        List<ProcessHandle> tree = Stream.concat(process.descendants(), Stream.of(process.toHandle())).toList();
        tree.forEach(ProcessHandle::destroy);
        Instant deadline = Instant.now().plus(STOP_GRACE);
        for (ProcessHandle p : tree) {
            while (p.isAlive() && Instant.now().isBefore(deadline)) {
                sleep(Duration.ofMillis(100));
            }
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * A test JVM killed outright (SIGKILL, a crashed fork) runs no shutdown hook. Its Keycloak is
     * stopped here, by the pid it recorded, and only if that process still runs this distribution.
     */
    private static void stopLeftoverOf(Path pidFile, Path home) {
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            ProcessHandle.of(pid).filter(p -> p.info().commandLine().orElse("").contains(home.toString()))
                    .ifPresent(p -> {
                        List<ProcessHandle> tree = Stream.concat(p.descendants(), Stream.of(p)).toList();
                        tree.forEach(ProcessHandle::destroyForcibly);
                    });
            ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().orElse("").contains("-Dkc.script.pid=" + pid + " "))
                    .forEach(ProcessHandle::destroyForcibly);
            Files.delete(pidFile);
        } catch (IOException | NumberFormatException e) {
            // A stale or unreadable pid file: nothing to stop.
        }
    }

    private static void prepareDataDir(Path home, Path realmFile) {
        Path data = home.resolve("data");
        try {
            deleteRecursively(data);
            Path imports = Files.createDirectories(data.resolve("import"));
            Files.copy(realmFile, imports.resolve("tongxing-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            try (InputStream other = KeycloakServer.class.getResourceAsStream("/keycloak/other-realm.json")) {
                if (other == null) {
                    throw new IllegalStateException("keycloak/other-realm.json is missing from the test classpath");
                }
                Files.copy(other, imports.resolve("other-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare " + data, e);
        }
    }

    private boolean augmented() {
        try {
            return Files.readString(logFile).contains("Updating the configuration and installing your custom providers");
        } catch (IOException e) {
            return false;
        }
    }

    // ---- Plumbing ----

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readJson(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String writeJson(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void writePid(Path pidFile, long pid) {
        try {
            Files.writeString(pidFile, Long.toString(pid));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set; the hub's surefire configuration sets it");
        }
        return value;
    }
}
