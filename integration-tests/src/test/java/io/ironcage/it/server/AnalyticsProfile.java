package io.ironcage.it.server;

import java.util.HashMap;
import java.util.Map;

/** Server mode with a quick analytics sync and a ledger of its own (its outbox starts empty). */
public class AnalyticsProfile extends ServerModeProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("quarkus.iron.analytics.sync-interval", "200ms");
        config.put("quarkus.iron.ledger.path", "target/iron/analytics-" + System.nanoTime() + "/ledger");
        return config;
    }
}
