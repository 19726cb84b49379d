package dev.tongxing.hub.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.hub.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2022-01-04T01:00:00Z"));

    @Test
    void retriesStayAFractionOfCalls() {
        RetryBudget budget = new RetryBudget(0.1, 1, clock);
        int retries = 0;
        for (int call = 0; call < 1000; call++) {
            budget.deposit();
            if (budget.tryWithdraw()) {
                retries++;
            }
        }
        // 10% of the calls, plus the one-per-second allowance.
        assertThat(retries).isBetween(100, 101);
    }

    @Test
    void aQuietSourceStillGetsItsAllowanceEachSecond() {
        RetryBudget budget = new RetryBudget(0.1, 1, clock);
        assertThat(budget.tryWithdraw()).isTrue();
        assertThat(budget.tryWithdraw()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(budget.tryWithdraw()).isTrue();
    }

    @Test
    void aLongQuietSpellCannotSaveUpAStorm() {
        RetryBudget budget = new RetryBudget(1.0, 0, clock);
        for (int i = 0; i < 10_000; i++) {
            budget.deposit();
        }
        int retries = 0;
        while (budget.tryWithdraw()) {
            retries++;
        }
        assertThat(retries).isEqualTo(100);
    }
}
