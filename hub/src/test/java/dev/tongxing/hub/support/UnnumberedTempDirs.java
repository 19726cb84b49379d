package dev.tongxing.hub.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Temporary directories whose names hold no long run of digits. The JDK names a temporary
 * directory after a random number of up to twenty digits; one in a few hundred is eighteen digits
 * with a valid check digit, a "resident ID", and the hub logs its store's path (the H2 URL), so
 * {@code NoPersonalDataInTestLogsTest} failed on a directory name. A UUID's runs of digits are at
 * most twelve long. The default for every {@code @TempDir} of this module
 * ({@code junit-platform.properties}); {@link ScratchDirectories} names its directories the same way.
 */
public final class UnnumberedTempDirs implements TempDirFactory {

    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext extension) throws IOException {
        return create(Path.of(System.getProperty("java.io.tmpdir")), "junit-");
    }

    /** A new directory under {@code parent} named {@code prefix} and a random UUID. */
    public static Path create(Path parent, String prefix) throws IOException {
        return Files.createDirectory(Files.createDirectories(parent).resolve(prefix + UUID.randomUUID()));
    }
}
