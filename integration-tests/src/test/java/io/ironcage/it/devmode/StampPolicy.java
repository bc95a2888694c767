package io.ironcage.it.devmode;

import io.ironcage.runtime.spi.Policy;
import io.ironcage.runtime.spi.PolicyDecision;
import io.ironcage.runtime.spi.RouterRequest;

/** A plugin the dev-mode test edits. */
public class StampPolicy implements Policy {

    @Override
    public PolicyDecision onRequest(RouterRequest request) {
        return PolicyDecision.reject(418, "stamp", "stamp v1");
    }
}
