package dev.tongxing.hub.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Directories for the stores of Spring's cached contexts and of hub processes, which outlive the
 * test that made them, so no test can delete them itself (and a JVM-exit hook would race the
 * contexts still closing them). They go under the module's target/scratch, which {@code mvn clean}
 * and a fresh clone start without, instead of adding up in the machine's /tmp run after run.
 * Named by {@link UnnumberedTempDirs}: the hub logs its stores' paths.
 */
public final class ScratchDirectories {

    private static final Path ROOT = Path.of("target", "scratch").toAbsolutePath();

    private ScratchDirectories() {
    }

    public static Path create(String prefix) {
        try {
            return UnnumberedTempDirs.create(ROOT, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
