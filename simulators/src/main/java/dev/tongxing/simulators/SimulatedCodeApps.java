package dev.tongxing.simulators;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tongxing.api.offline.DocumentDigest;
import dev.tongxing.api.offline.EcKeys;
import dev.tongxing.api.offline.SignedCode;
import dev.tongxing.api.offline.SignedCodes;
import dev.tongxing.api.v1.DocumentType;
import dev.tongxing.api.v1.HealthCodeColour;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The provinces' health-code apps as far as offline verification needs them: each province that
 * has a signing key shows its residents a signed code ({@code TX1:}), valid for 24 hours. The keys
 * are the DEMO-ONLY ones in {@code demo-keys/code-signing.properties}, by province; the hub trusts
 * their public halves through {@code tongxing.trust.sources} in {@code tongxing-demo.yml}.
 *
 * <p>{@code GET /app/code/<traveler index>} answers the code as {@code text/plain}, as the app
 * would put it in its QR code; 404 for an unknown traveler or a province without a key.
 */
public final class SimulatedCodeApps implements HttpHandler {

    public static final String PATH = "/app/code/";
    public static final Duration LIFETIME = Duration.ofHours(24);
    private static final Pattern INDEX = Pattern.compile("/app/code/(\\d{1,9})");

    /** One province's signing key. */
    private record Signer(String sourceId, String keyId, ECPrivateKey key) {}

    private final Map<String, Signer> byProvince;
    private final SimulatedPopulation population;
    private final Clock clock;

    private SimulatedCodeApps(Map<String, Signer> byProvince, SimulatedPopulation population, Clock clock) {
        this.byProvince = Map.copyOf(byProvince);
        this.population = population;
        this.clock = clock;
    }

    /** The apps with the demo keys. */
    public static SimulatedCodeApps demo(SimulatedPopulation population, Clock clock) {
        Properties keys = new Properties();
        try (InputStream in = SimulatedCodeApps.class.getResourceAsStream("/demo-keys/code-signing.properties")) {
            if (in == null) {
                throw new IllegalStateException("demo-keys/code-signing.properties is missing from the simulators");
            }
            keys.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Signer> byProvince = new HashMap<>();
        for (String name : keys.stringPropertyNames()) {
            if (name.endsWith(".key-id")) {
                String province = name.substring(0, 2);
                byProvince.put(province, new Signer(keys.getProperty(province + ".source-id"), keys.getProperty(name),
                        EcKeys.privateKey(keys.getProperty(province + ".private-key"))));
            }
        }
        return new SimulatedCodeApps(byProvince, population, clock);
    }

    /** The signed code the traveler's province app shows now, if that province signs codes. */
    public Optional<String> codeFor(SimulatedTraveler traveler) {
        return codeFor(traveler, clock.instant());
    }

    /** As {@link #codeFor(SimulatedTraveler)}, issued at the given moment (tests make older codes). */
    public Optional<String> codeFor(SimulatedTraveler traveler, Instant issuedAt) {
        String province = traveler.residentId().substring(0, 2);
        Signer signer = byProvince.get(province);
        if (signer == null) {
            return Optional.empty();
        }
        SignedCode code = new SignedCode(province, signer.keyId(), traveler.maskedName(),
                DocumentDigest.of(DocumentType.RESIDENT_ID, traveler.residentId()), colour(traveler.healthColour()),
                issuedAt, issuedAt.plus(LIFETIME));
        return Optional.of(SignedCodes.sign(code, signer.key()));
    }

    /** The source id whose key signs the province's codes, if it signs any. */
    public Optional<String> signingSource(String province) {
        return Optional.ofNullable(byProvince.get(province)).map(Signer::sourceId);
    }

    private static HealthCodeColour colour(String pinyin) {
        return switch (pinyin) {
            case "lvma" -> HealthCodeColour.GREEN;
            case "huangma" -> HealthCodeColour.YELLOW;
            case "hongma" -> HealthCodeColour.RED;
            default -> throw new IllegalStateException("simulated traveler with colour " + pinyin);
        };
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher path = INDEX.matcher(exchange.getRequestURI().getPath());
            Optional<String> code = Optional.empty();
            if (path.matches() && "GET".equals(exchange.getRequestMethod())) {
                int index = Integer.parseInt(path.group(1));
                if (index < population.all().size()) {
                    code = codeFor(population.all().get(index));
                }
            }
            byte[] body = code.map(c -> c + "\n").orElse("no signed code for this traveler\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(code.isPresent() ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
        }
    }
}
