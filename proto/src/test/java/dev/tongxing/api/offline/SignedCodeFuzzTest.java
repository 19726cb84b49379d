package dev.tongxing.api.offline;

import static dev.tongxing.api.offline.TestKeys.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tongxing.api.v1.HealthCodeColour;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Mutated signed codes: the verifier must refuse with {@link CodeRefused} or accept exactly what
 * the province signed; any other exception, or a colour the province did not sign, fails.
 * Deterministic seeds, so a failure reproduces; the counts go to the test's output file.
 */
class SignedCodeFuzzTest {

    private static final int PAYLOADS = 100_000;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/:\" {}[],\\\u0000\u00ff王";

    private final TestKeys test = new TestKeys();

    /** Whole codes mutated as a QR scanner, a screenshot or an attacker might: every part, header to signature. */
    @Test
    void mutatedCodesAreRefusedOrCarryExactlyTheSignedClaims() {
        ProvinceKeys keys = test.keys();
        String red = test.shaanxiCode(HealthCodeColour.RED, NOW.minus(Duration.ofMinutes(30)));
        SignedCode signed = SignedCodes.verify(red, keys, NOW);
        LongAdder refused = new LongAdder();
        LongAdder accepted = new LongAdder();
        long started = System.nanoTime();
        long cpuStarted = processCpuNanos();
        // Both cores: each mutation has its own seed, so any failure reproduces alone.
        IntStream.range(0, PAYLOADS).parallel().forEach(i -> {
            Random random = new Random(20260113L * 31 + i);
            String mutated = i % 10 == 0 ? recolouredPayload(red, random) : mutate(red, random);
            try {
                SignedCode code = SignedCodes.verify(mutated, keys, NOW);
                accepted.increment();
                if (!code.equals(signed)) {
                    throw new AssertionError("mutation " + i + " was accepted with other claims than signed: " + mutated);
                }
            } catch (CodeRefused expected) {
                refused.increment();
            }
        });
        System.out.printf("signed-code fuzz: %d mutated codes in %d ms (%d ms CPU), %d refused, %d accepted (all equal to the signed claims)%n",
                PAYLOADS, (System.nanoTime() - started) / 1_000_000, (processCpuNanos() - cpuStarted) / 1_000_000, refused.sum(), accepted.sum());
        assertThat(refused.sum() + accepted.sum()).isEqualTo(PAYLOADS);
        assertThat(refused.sum()).isGreaterThan(PAYLOADS * 9 / 10);
    }

    /**
     * Mutated claims, as if a province (or a key thief) signed them: the claims reader must refuse
     * them or take exactly the one colour the JSON states.
     */
    @Test
    void mutatedClaimsAreRefusedOrReadAsTheyStand() {
        String red = test.shaanxiCode(HealthCodeColour.RED, NOW.minus(Duration.ofMinutes(30)));
        String json = new String(Base64.getUrlDecoder().decode(red.substring(SignedCodes.PREFIX.length()).split("\\.")[1]), StandardCharsets.UTF_8);
        LongAdder refused = new LongAdder();
        LongAdder accepted = new LongAdder();
        long started = System.nanoTime();
        long cpuStarted = processCpuNanos();
        IntStream.range(0, PAYLOADS).parallel().forEach(i -> {
            String mutated = mutate(json, new Random(13L * 31 + i));
            try {
                SignedCode code = SignedCodes.claims(mutated, "sx-1");
                accepted.increment();
                if (code.colour() != statedColour(mutated)) {
                    throw new AssertionError("claims " + i + " were read with a colour they do not state: " + mutated);
                }
            } catch (CodeRefused expected) {
                refused.increment();
            }
        });
        System.out.printf("signed-code claims fuzz: %d mutated payloads in %d ms (%d ms CPU), %d refused, %d accepted (each with the colour it states)%n",
                PAYLOADS, (System.nanoTime() - started) / 1_000_000, (processCpuNanos() - cpuStarted) / 1_000_000, refused.sum(), accepted.sum());
        assertThat(refused.sum() + accepted.sum()).isEqualTo(PAYLOADS);
    }

    /** CPU time of this JVM: on a shared machine the wall clock says more about the neighbours than about the parser. */
    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    /** The colour an independent JSON reader finds in the claims. */
    private static HealthCodeColour statedColour(String json) {
        JsonObject claims = JsonParser.parseString(json).getAsJsonObject();
        JsonElement col = claims.get("col");
        return switch (col.getAsString()) {
            case "G" -> HealthCodeColour.GREEN;
            case "Y" -> HealthCodeColour.YELLOW;
            case "R" -> HealthCodeColour.RED;
            default -> throw new AssertionError("accepted a colour the claims do not state: " + json);
        };
    }

    /** The attack that matters most: the payload says GREEN, the signature is the RED code's. */
    private static String recolouredPayload(String code, Random random) {
        String[] parts = code.substring(SignedCodes.PREFIX.length()).split("\\.");
        String json = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String colour = String.valueOf("GYR".charAt(random.nextInt(3)));
        String recoloured = json.replace("\"col\":\"R\"", random.nextBoolean() ? "\"col\":\"" + colour + "\"" : "\"col\":\"R\",\"col\":\"" + colour + "\"");
        return SignedCodes.PREFIX + parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(recoloured.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
    }

    private static String mutate(String input, Random random) {
        StringBuilder out = new StringBuilder(input);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = out.isEmpty() ? 0 : random.nextInt(out.length());
            switch (random.nextInt(6)) {
                case 0 -> { if (!out.isEmpty()) out.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length()))); }
                case 1 -> out.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                case 2 -> { if (!out.isEmpty()) out.deleteCharAt(at); }
                case 3 -> out.setLength(at);
                case 4 -> {
                    int from = random.nextInt(out.length() + 1);
                    int to = Math.min(out.length(), from + random.nextInt(16));
                    out.insert(at, out.substring(from, to));
                }
                default -> { if (!out.isEmpty()) out.setCharAt(at, (char) (out.charAt(at) ^ (1 << random.nextInt(7)))); }
            }
        }
        return out.toString();
    }
}
