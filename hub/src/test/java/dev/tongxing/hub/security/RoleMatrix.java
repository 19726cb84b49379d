package dev.tongxing.hub.security;

import dev.tongxing.hub.support.RpcProbe;
import dev.tongxing.hub.support.RpcProbe.Rpc;
import io.grpc.CallCredentials;
import io.grpc.Channel;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Runs every RPC as every identity and lists where the door's answer differs from the expectation. */
final class RoleMatrix {

    private RoleMatrix() {}

    /**
     * @param identities a name per role (its realm role name, or "no-role") and its credentials
     * @param allowed    the roles each RPC must admit
     */
    static List<String> mismatches(Channel channel, Map<String, CallCredentials> identities, Map<Rpc, Set<Role>> allowed) {
        List<String> wrong = new ArrayList<>();
        for (Rpc rpc : Rpc.values()) {
            for (Map.Entry<String, CallCredentials> identity : identities.entrySet()) {
                boolean shouldPass = Role.ofRealmRole(identity.getKey()).map(allowed.get(rpc)::contains).orElse(false);
                Status.Code code = RpcProbe.call(channel, rpc, identity.getValue());
                boolean refused = code == Status.Code.PERMISSION_DENIED || code == Status.Code.UNAUTHENTICATED;
                if (shouldPass == refused) {
                    wrong.add(rpc + " as " + identity.getKey() + ": " + code + (shouldPass ? " (should pass)" : " (should be PERMISSION_DENIED)"));
                } else if (!shouldPass && code != Status.Code.PERMISSION_DENIED) {
                    wrong.add(rpc + " as " + identity.getKey() + ": " + code + " (an authenticated caller without the role is PERMISSION_DENIED)");
                }
            }
        }
        return wrong;
    }
}
