package dev.tongxing.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Raw document and phone numbers never reach a log or an error message. The modules built before
 * this one (the hub above all) ran thousands of lookups, changes and refusals with real-looking
 * resident IDs and phone numbers; this reads everything they logged, error messages of failed
 * calls included, and fails on any valid resident ID (check digit and all) or mainland mobile
 * number. Run by {@code mvn verify} from the repository root, after the hub's tests.
 */
class NoPersonalDataInTestLogsTest {

    private static final Pattern RESIDENT_ID = Pattern.compile("(?<![0-9A-Za-z])([1-8]\\d{16}[\\dX])(?![0-9A-Za-z])");
    private static final Pattern MOBILE = Pattern.compile("(?<![0-9])(1[3-9]\\d{9})(?![0-9])");
    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final String CHECK = "10X98765432";
    /** Modules whose own code logs while serving; their test logs are scanned. */
    private static final List<String> MODULES = List.of("hub", "demo", "cli", "simulators", "adapters");

    @Test
    void noTestLogHoldsARawResidentIdOrPhoneNumber() throws IOException {
        List<Path> logs = new ArrayList<>();
        for (String module : MODULES) {
            Path reports = Path.of("..", module, "target", "surefire-reports");
            if (Files.isDirectory(reports)) {
                try (Stream<Path> files = Files.list(reports)) {
                    files.filter(file -> file.getFileName().toString().endsWith("-output.txt")).forEach(logs::add);
                }
            }
        }
        assumeTrue(logs.stream().anyMatch(log -> log.toString().contains("hub")), "the hub's tests have not run in this build");

        List<String> found = new ArrayList<>();
        for (Path log : logs) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                Matcher id = RESIDENT_ID.matcher(line);
                while (id.find()) {
                    if (validResidentId(id.group(1))) {
                        found.add(log.getFileName() + ":" + (i + 1) + " resident ID " + masked(id.group(1)));
                    }
                }
                Matcher phone = MOBILE.matcher(line);
                while (phone.find()) {
                    found.add(log.getFileName() + ":" + (i + 1) + " phone number " + masked(phone.group(1)));
                }
            }
        }
        assertThat(logs).isNotEmpty();
        assertThat(found).as("raw personal numbers in test logs (shown masked)").isEmpty();
    }

    private static boolean validResidentId(String candidate) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (candidate.charAt(i) - '0') * WEIGHTS[i];
        }
        return CHECK.charAt(sum % 11) == candidate.charAt(17);
    }

    private static String masked(String number) {
        return number.substring(0, 3) + "*".repeat(number.length() - 7) + number.substring(number.length() - 4);
    }
}
