package io.ironcage.it.live;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.ironcage.it.MockProviderResource;
import io.ironcage.runtime.LlmRouter;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium}; {@code .ci/run} installs it): the page loads,
 * connects to the live feed and shows a request made during the test. The screenshot is kept in
 * {@code target/dashboard.png}.
 */
@QuarkusTest
@WithTestResource(MockProviderResource.class)
class DashboardTest {

    @TestHTTPResource("/iron/dashboard")
    URI dashboard;

    @Inject
    LlmRouter router;

    @Test
    void thePageIsServed() {
        given().get(dashboard).then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("/iron/ws"));
    }

    @Test
    void chromiumShowsARequestMadeDuringTheTest() throws Exception {
        String id = given().baseUri(router.rootUrl()).contentType(ContentType.JSON)
                .header("Authorization", "Bearer ic_test_token")
                .body("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"dashboard\"}]}")
                .post("/v1/chat/completions").then().statusCode(200).extract().header("x-iron-request-id");
        String url = dashboard + "?token=ic_test_token";

        try (HeadlessChromium chromium = HeadlessChromium.open(url, 1280, 900)) {
            boolean shown = chromium.waitFor("document.getElementById('connection').textContent === 'live'"
                    + " && document.getElementById('req-" + id + "') !== null", Duration.ofSeconds(20));
            String dom = chromium.html();
            assertTrue(shown, "connected, with the request on the page, within 20 s:\n" + dom);
            assertTrue(dom.contains("gpt-4o-mini"), dom);

            Path shot = Path.of("target", "dashboard.png").toAbsolutePath();
            Files.deleteIfExists(shot);
            chromium.screenshot(shot);
            assertTrue(Files.size(shot) > 10_000, "a screenshot was taken: " + shot);
        }
    }
}
