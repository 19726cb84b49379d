package dev.tongxing.hub.lookup;

import dev.tongxing.hub.security.Caller;
import dev.tongxing.hub.security.CallerNotAllowed;

/**
 * The checkpoint a lookup is made for: always the authenticated caller itself, never a name the
 * request merely states, so a checkpoint cannot borrow another's verdict policy or place a
 * traveler in another province's territory.
 *
 * @param id       the checkpoint's client id; selects its verdict policy ({@code tongxing.checkpoints})
 * @param province GB/T 2260 code of the province whose territory it stands in (its token's
 *                 province claim), empty when it stands in none
 */
public record Checkpoint(String id, String province) {

    /**
     * @param requestedId the request's {@code checkpoint_id}: empty, or the caller's own client id
     * @throws CallerNotAllowed when the request names another checkpoint
     */
    public static Checkpoint calling(Caller caller, String requestedId) {
        if (!requestedId.isEmpty() && !requestedId.equals(caller.clientId())) {
            throw new CallerNotAllowed("checkpoint_id: '" + InvalidRequest.printable(requestedId, 64) + "' is not the calling checkpoint "
                    + caller.clientId() + "; leave it empty or send your own");
        }
        return new Checkpoint(caller.clientId(), caller.province().orElse(""));
    }
}
