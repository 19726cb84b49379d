package dev.tongxing.hub.sources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.adapters.SourceAnswer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FetchedTest {

    @ParameterizedTest
    @CsvSource({
            "2026-12-04T10:00:00.900Z, 2026-12-04T10:00:01.100Z",
            "2026-12-04T10:00:00.100Z, 2026-12-04T10:05:00.900000001Z",
            "2026-12-04T10:00:01Z, 2026-12-04T10:00:00.5Z",
            "2026-12-04T10:00:00Z, 2026-12-04T10:00:00Z"})
    void itsAgeIsTheTimeBetweenItsFetchAndNowToTheNanosecond(Instant fetchedAt, Instant now) {
        Fetched fetched = new Fetched(new SourceAnswer.NotFound("shaanxi-ymt", "no record"), fetchedAt);

        assertThat(fetched.ageAt(now)).isEqualTo(Duration.between(fetchedAt, now));
        assertThat(fetched.fetchedAt()).isEqualTo(fetchedAt);
    }
}
