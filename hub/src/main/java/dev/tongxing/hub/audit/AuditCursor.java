package dev.tongxing.hub.audit;

import dev.tongxing.hub.lookup.InvalidRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A position in QueryAudit's order (time, replica, sequence), and its opaque text form, the page
 * token. Keyset pagination: resuming costs one index seek however deep the position is.
 */
record AuditCursor(long recordedAtMicros, String replicaId, long sequence) {

    String token() {
        String text = recordedAtMicros + "|" + replicaId + "|" + sequence;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static AuditCursor parse(String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            String[] parts = text.split("\\|", -1);
            if (parts.length != 3 || parts[1].isEmpty()) {
                throw new IllegalArgumentException();
            }
            return new AuditCursor(Long.parseLong(parts[0]), parts[1], Long.parseLong(parts[2]));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest("page_token", "is not a token this hub issued");
        }
    }
}
