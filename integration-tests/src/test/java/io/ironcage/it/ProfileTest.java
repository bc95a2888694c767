package io.ironcage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.ironcage.runtime.analytics.AnalyticsEventLog;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The Maven profile the build ran with ({@code full} by default, {@code enabled} for core only, {@code analytics})
 * decides what the app contains: analytics exists exactly when the profile includes it, the router always.
 */
@QuarkusTest
@WithTestResource(MockProviderResource.class)
class ProfileTest extends RouterTestBase {

    @Test
    void theAppContainsWhatTheProfileSelects() {
        String expected = System.getProperty("iron.expect.analytics");
        assertTrue(expected != null, "run through Maven: the profile sets iron.expect.analytics");
        assertEquals(Boolean.parseBoolean(expected), Arc.container().instance(AnalyticsEventLog.class).isAvailable());
        assertTrue(router.isRunning());
        openAi().body(CHAT).post("/v1/chat/completions").then().statusCode(200);
    }
}
