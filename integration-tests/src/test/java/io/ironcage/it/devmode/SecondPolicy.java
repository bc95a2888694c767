package io.ironcage.it.devmode;

import io.ironcage.runtime.spi.Policy;
import io.ironcage.runtime.spi.PolicyDecision;
import io.ironcage.runtime.spi.RouterRequest;

/** A plugin the dev-mode test adds to the services file. */
public class SecondPolicy implements Policy {

    @Override
    public int order() {
        return 10;
    }

    @Override
    public PolicyDecision onRequest(RouterRequest request) {
        return PolicyDecision.reject(451, "second", "second policy");
    }
}
