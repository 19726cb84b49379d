package dev.tongxing.hub.verdict;

import dev.tongxing.hub.config.HubProperties;
import dev.tongxing.hub.config.PolicyProperties;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The policy for each checkpoint, from configuration; unknown checkpoints get {@code default}. */
@Component
public class VerdictPolicies {

    static final String DEFAULT = "default";

    private final Map<String, VerdictPolicy> byId = new HashMap<>();
    private final Map<String, String> byCheckpoint;

    public VerdictPolicies(HubProperties properties) {
        byId.put(DEFAULT, new VerdictPolicy(DEFAULT, new PolicyProperties(true, false, null, null)));
        properties.policies().forEach((id, rules) -> byId.put(id, new VerdictPolicy(id, rules)));
        this.byCheckpoint = properties.checkpoints();
    }

    public VerdictPolicy forCheckpoint(String checkpointId) {
        return byId.get(byCheckpoint.getOrDefault(checkpointId, DEFAULT));
    }
}
