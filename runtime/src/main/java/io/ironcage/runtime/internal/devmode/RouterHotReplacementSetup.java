package io.ironcage.runtime.internal.devmode;

import io.quarkus.dev.spi.HotReplacementContext;
import io.quarkus.dev.spi.HotReplacementSetup;

/**
 * Dev mode: lets calls arriving at the router trigger the live-reload scan, as browser requests do for the
 * application's own HTTP port. Agents only talk to the router, so without this an edited plugin would wait for
 * some other request.
 */
public class RouterHotReplacementSetup implements HotReplacementSetup {

    @Override
    public void setupHotDeployment(HotReplacementContext context) {
        DevModeReload.install(context);
    }

    @Override
    public void close() {
        DevModeReload.install(null);
        RetainedListener.closeRetained();
    }
}
