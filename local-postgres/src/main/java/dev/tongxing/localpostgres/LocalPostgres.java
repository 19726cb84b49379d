package dev.tongxing.localpostgres;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server on loopback, for the hub's tests and for the benchmark's production-store
 * run. {@code TONGXING_TEST_POSTGRES_URL} (a JDBC URL
 * with user and password in it) names one that is already running; otherwise the Debian package's
 * binaries ({@code apt-get install postgresql}) start a throwaway cluster in a temporary directory
 * on a free port, and stop it at {@link #close()}.
 *
 * <p>PostgreSQL refuses to run as root, and so does every embedded-PostgreSQL library (they run
 * the server as the build's user). When the build runs as root, the server runs as the
 * {@code postgres} system user the Debian package creates, through {@code runuser}.
 */
public final class LocalPostgres implements AutoCloseable {

    public static final String URL_VARIABLE = "TONGXING_TEST_POSTGRES_URL";

    /** USER_HZ, the unit of /proc's CPU times: 100 on every Linux the project runs on. */
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final String url;
    private final Path dataDir;
    private final Path bin;
    private final boolean asPostgresUser;

    private LocalPostgres(String url, Path dataDir, Path bin, boolean asPostgresUser) {
        this.url = url;
        this.dataDir = dataDir;
        this.bin = bin;
        this.asPostgresUser = asPostgresUser;
    }

    /** A server without fsync: fast, and enough for tests that do not crash the machine. */
    public static LocalPostgres start() throws IOException, InterruptedException {
        return start(false);
    }

    /** @param durable whether commits wait for fsync, as in production (for measurements) */
    public static LocalPostgres start(boolean durable) throws IOException, InterruptedException {
        String given = System.getenv(URL_VARIABLE);
        if (given != null && !given.isBlank()) {
            return new LocalPostgres(given, null, null, false);
        }
        Path bin = binaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("tongxing-pg", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path data = dir.resolve("data");
        Path socket = dir.resolve("socket");
        Files.createDirectories(socket);
        if (root) {
            run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
        }
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "tongxing", "-A", "trust", "-E", "UTF8",
                "--no-sync", "--locale=C"), root);
        int port = freePort();
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "-l", dir.resolve("server.log").toString(),
                "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -k " + socket + (durable ? "" : " -c fsync=off"), "start"), root);
        return new LocalPostgres("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=tongxing", data, bin, root);
    }

    /** A fresh database on this server, so tests do not see each other's rows. */
    public PGSimpleDataSource newDatabase(String name) throws java.sql.SQLException {
        PGSimpleDataSource admin = dataSource(url);
        try (var connection = admin.getConnection(); var statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name);
            statement.execute("CREATE DATABASE " + name);
        }
        PGSimpleDataSource database = dataSource(url);
        database.setDatabaseName(name);
        return database;
    }

    private static PGSimpleDataSource dataSource(String url) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(url);
        return source;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (dataDir == null) {
            return;
        }
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "immediate", "-w", "stop"), asPostgresUser);
        try (Stream<Path> files = Files.walk(dataDir.getParent())) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    /** Whether a server can be had here: a running one named by the variable, or the Debian package's binaries. */
    public static boolean available() {
        String given = System.getenv(URL_VARIABLE);
        if (given != null && !given.isBlank()) {
            return true;
        }
        try {
            binaries();
            return true;
        } catch (IllegalStateException missing) {
            return false;
        }
    }

    /**
     * CPU time the server's processes have used so far: the postmaster's own, that of the
     * backends and workers alive now, and that of those that ended (the kernel adds a reaped
     * child's time to its parent's), so a connection that closes does not take its work with it.
     * Zero for a server this class did not start. Read from {@code /proc}, which also shows a
     * server running as another user.
     */
    public Duration cpu() {
        if (dataDir == null) {
            return Duration.ZERO;
        }
        try {
            long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).strip());
            // A child reaped between listing it and reading it would count nowhere (its stat is gone,
            // and the postmaster's reading came before the reaping); the postmaster's total then
            // changes, so read again until it holds still around the children.
            for (int attempt = 1; ; attempt++) {
                long own = ticks(postmaster, true);
                long ticks = own;
                for (ProcessHandle child : ProcessHandle.of(postmaster).map(server -> server.children().toList()).orElse(List.of())) {
                    ticks += ticks(child.pid(), false);
                }
                if (ticks(postmaster, true) == own || attempt == 10) {
                    return Duration.ofMillis(ticks * 1000 / CLOCK_TICKS_PER_SECOND);
                }
            }
        } catch (IOException | RuntimeException notRunning) {
            return Duration.ZERO;
        }
    }

    /** utime + stime, and with {@code reaped} cutime + cstime, of /proc/<pid>/stat; 0 for a process gone meanwhile. */
    private static long ticks(long pid, boolean reaped) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException gone) {
            return 0;
        }
        // Fields after the command name, which is in parentheses and may contain spaces: state is field 3.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return reaped ? ticks + Long.parseLong(fields[13]) + Long.parseLong(fields[14]) : ticks;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Path binaries() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(candidate -> Files.isExecutable(candidate.resolve("initdb")))
                    .max(Comparator.naturalOrder())
                    .orElseThrow();
        } catch (IOException | java.util.NoSuchElementException e) {
            throw new IllegalStateException("No PostgreSQL server found: install Debian's postgresql package "
                    + "(apt-get install postgresql) or set " + URL_VARIABLE + " to a running server's JDBC URL");
        }
    }

    private static void run(List<String> command, boolean asPostgresUser) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", full) + " failed:\n" + output);
        }
    }
}
