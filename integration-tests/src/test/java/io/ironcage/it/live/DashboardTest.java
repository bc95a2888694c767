package io.ironcage.it.live;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

        String dom = chromium("--dump-dom", url);
        assertTrue(dom.contains("id=\"req-" + id + "\""), "the request is on the page:\n" + dom);
        assertTrue(dom.contains(">live<"), "the page is connected:\n" + dom);
        assertTrue(dom.contains("gpt-4o-mini"), dom);

        Path shot = Path.of("target", "dashboard.png").toAbsolutePath();
        Files.deleteIfExists(shot);
        chromium("--screenshot=" + shot, "--window-size=1280,900", url);
        assertTrue(Files.size(shot) > 10_000, "a screenshot was taken: " + shot);
    }

    /** Runs headless Chromium on the page, giving its script time to connect and render; returns what it printed. */
    private static String chromium(String... args) throws Exception {
        String binary = Files.isExecutable(Path.of("/usr/bin/chromium")) ? "/usr/bin/chromium" : "chromium";
        Path profile = Files.createTempDirectory("iron-chromium");
        List<String> cmd = new ArrayList<>(List.of(binary, "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile,
                "--virtual-time-budget=4000"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("iron-chromium", ".out");
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Chromium is needed by this test: apt-get install chromium (.ci/run does)", e);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within 60 s");
        }
        return Files.readString(out);
    }
}
