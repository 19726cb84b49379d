package dev.tongxing.localpostgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A real server: it answers SQL, and the benchmark can charge the CPU it spends to the run that made it work. */
class LocalPostgresTest {

    @Test
    void startsAServerWhoseWorkShowsInItsCpu() throws Exception {
        assertThat(LocalPostgres.available()).as("the Debian postgresql package (installed by .ci/run)").isTrue();
        try (LocalPostgres server = LocalPostgres.start()) {
            var database = server.newDatabase("cpu_probe");
            Duration before = server.cpu();
            try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE numbers AS SELECT g AS n FROM generate_series(1, 2000000) g");
                try (ResultSet sum = statement.executeQuery("SELECT sum(n) FROM numbers")) {
                    sum.next();
                    assertThat(sum.getLong(1)).isEqualTo(2_000_000L * 2_000_001L / 2);
                }
            }
            // The backend that did the work ends with its connection (the server reaps it a moment later);
            // its CPU must not vanish with it.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (server.cpu().compareTo(before.plusMillis(100)) <= 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(server.cpu()).isGreaterThan(before.plusMillis(100));
        }
    }
}
