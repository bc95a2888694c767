package io.ironcage.runtime.internal;

import io.ironcage.runtime.LlmRouter;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.ShutdownContext;
import io.quarkus.runtime.annotations.Recorder;

/** Starts the router when the application starts and stops it when it stops. */
@Recorder
public class IronRecorder {

    public void startRouter(ShutdownContext shutdown) {
        LlmRouter router = Arc.container().instance(LlmRouter.class).get();
        router.start();
        shutdown.addShutdownTask(router::stop);
    }
}
