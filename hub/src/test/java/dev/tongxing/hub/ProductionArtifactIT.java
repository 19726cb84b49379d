package dev.tongxing.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * The hub's jars, as just packaged (the plain one and the runnable {@code -exec} one), carry no
 * simulator class, no demo configuration and no demo key. The demo belongs to the demo
 * application; a production hub that could start simulators, or that ships a private key anyone
 * can read, is exactly what this catches. Run by failsafe after {@code package}.
 */
class ProductionArtifactIT {

    /** The demo private key, read from the simulators (a test dependency of the hub, nothing more). */
    private static final String DEMO_PRIVATE_KEY = demoPrivateKey();

    @Test
    void theHubJarsCarryNoSimulatorAndNoDemoKey() throws IOException {
        String jars = System.getProperty("tongxing.hub.jars");
        assertThat(jars).as("system property tongxing.hub.jars (set by the hub's pom)").isNotBlank();
        for (String jar : jars.split(",")) {
            Path path = Path.of(jar);
            assertThat(path).as("built hub jar").isRegularFile();
            List<String> found = new ArrayList<>();
            try (InputStream in = Files.newInputStream(path)) {
                scan(path.getFileName().toString(), in, true, found);
            }
            assertThat(found).as("demo material in " + path).isEmpty();
        }
    }

    /** Entries of one jar, nested library jars included; contents of the project's own classes and resources. */
    private static void scan(String where, InputStream jar, boolean ours, List<String> found) throws IOException {
        ZipInputStream zip = new ZipInputStream(jar);
        for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
            String name = entry.getName();
            String path = name.startsWith("BOOT-INF/classes/") ? name.substring("BOOT-INF/classes/".length()) : name;
            if (path.startsWith("dev/tongxing/simulators/") || path.contains("demo-keys/") || path.endsWith("tongxing-demo.yml")
                    || name.matches("BOOT-INF/lib/tongxing-simulators.*\\.jar")) {
                found.add(where + "!/" + name);
            } else if (name.startsWith("BOOT-INF/lib/") && name.endsWith(".jar")) {
                scan(where + "!/" + name, new NonClosing(zip), name.startsWith("BOOT-INF/lib/tongxing-"), found);
            } else if (ours && !entry.isDirectory()
                    && new String(zip.readAllBytes(), StandardCharsets.ISO_8859_1).contains(DEMO_PRIVATE_KEY)) {
                found.add(where + "!/" + name + " (holds the demo private key)");
            }
        }
    }

    private static String demoPrivateKey() {
        try (InputStream in = ProductionArtifactIT.class.getResourceAsStream("/demo-keys/shanghai-ssm-demo.pkcs8.b64")) {
            assertThat(in).as("the simulators' demo key on the test classpath").isNotNull();
            String key = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.startsWith("#")).map(String::strip).reduce("", String::concat).replace("=", "");
            assertThat(key).hasSizeGreaterThan(60);
            // The tail is the private scalar; the head is the PKCS#8 header every P-256 key shares.
            return key.substring(key.length() - 32);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reading a nested jar must not close the outer one. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
