package dev.tongxing.hub.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.api.v1.AuditRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chain's encoding never changes: records hashed by an earlier build (in a store, a journal,
 * a signed head) must verify with this one. The expected digests are those the builds that wrote
 * chains so far computed; any other encoding has to reproduce them byte for byte.
 */
class AuditHashesTest {

    static final AuditRow ASCII = new AuditRow("hub-a", 42, AuditRecord.Kind.LOOKUP, 1_764_800_000_123_456L,
            "tongxing.v1.TravelerStatusService/GetStatus", "gate-7", List.of("checkpoint", "auditor"), "61", "ab".repeat(32), "王*",
            "0f".repeat(16), "cd".repeat(32), "61", List.of("shaanxi-ymt", "travel-card"),
            List.of("health_code=CACHED:shaanxi-ymt age=3s", "travel_card=LIVE:travel-card"), "health_code=GREEN travel_card=TRAVEL_GREEN",
            "PASS", "", "trace-1", AuditHashes.GENESIS, "");

    /** Non-ASCII text, a character outside the Basic Multilingual Plane, empty lists and missing values. */
    static final AuditRow UNUSUAL = new AuditRow("副本-𠀀", 1, AuditRecord.Kind.REFUSAL, 0, "m", "", List.of(), "", null, null,
            null, "", "", List.of(), List.of(""), "核酸检测超过72小时 𠀀", "PERMISSION_DENIED", "没有权限\n第二行", "", "ff".repeat(32), "");

    @Test
    void recordHashesAreThoseEarlierBuildsWrote() {
        assertThat(AuditHashes.hash(ASCII)).isEqualTo("56c527470692665756bb083551bd88c9f5da818b1df5f74dc76d1008a634b0e8");
        assertThat(AuditHashes.hash(UNUSUAL)).isEqualTo("6e8a9826773f880458752349e2dd3ddcc01ae983f33d56a340e4a9d93d3cce5a");
    }

    @Test
    void personalDigestsAreThoseEarlierBuildsWrote() {
        assertThat(AuditHashes.personalDigest("0f".repeat(16), "ab".repeat(32), "王*")).isEqualTo("33610ad7f7588eee6b7dcc2c0b4a3c95887f8c26e9b79de92d726e1aa48f3550");
        assertThat(AuditHashes.personalDigest("", "", "")).isEqualTo("15ec7bf0b50732b49f8228e07d24365338f9e3ab994b00af08e5a3bffe55fd8b");
    }
}
