package io.ironcage.runtime.deployment;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.ConnectException;
import java.net.Socket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.ironcage.runtime.LlmRouter;
import io.ironcage.runtime.analytics.AnalyticsEventLog;
import io.quarkus.arc.Arc;
import io.quarkus.test.QuarkusUnitTest;

/** {@code quarkus.iron.enabled=false} removes the router entirely: no bean, no listener. */
class RouterDisabledTest {

    static final int PORT = 18961;

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.iron.enabled", "false")
            .overrideConfigKey("quarkus.iron.token", "t")
            .overrideConfigKey("quarkus.iron.router.port", String.valueOf(PORT));

    @Test
    void noRouterBeanAndNothingListens() {
        assertFalse(Arc.container().instance(LlmRouter.class).isAvailable());
        assertFalse(Arc.container().instance(AnalyticsEventLog.class).isAvailable());
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", PORT).close());
    }
}
