package dev.tongxing.hub.cache;

import dev.tongxing.adapters.SourceSettings;
import dev.tongxing.hub.sources.SourceClient;
import dev.tongxing.hub.sources.SourceRegistry;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** One {@link SourceAnswerCache} per configured source, each with the source's own policy. */
@Component
public class SourceCaches {

    private final Map<String, SourceAnswerCache> bySource = new LinkedHashMap<>();

    public SourceCaches(SourceRegistry registry, SourceClient client, Clock clock) {
        for (SourceSettings source : registry.all()) {
            bySource.put(source.id(), new SourceAnswerCache(source, registry.properties(source.id()).cache(), clock,
                    (SourceAnswerCache.Upstream) client::fetch));
        }
    }

    public SourceAnswerCache of(String sourceId) {
        SourceAnswerCache cache = bySource.get(sourceId);
        if (cache == null) {
            throw new IllegalArgumentException("no source '" + sourceId + "'");
        }
        return cache;
    }

    public Collection<SourceAnswerCache> all() {
        return bySource.values();
    }
}
