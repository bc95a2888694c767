package io.ironcage.it;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.net.Socket;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;

import io.ironcage.runtime.LlmRouter;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Shared setup: the router under test, the mock behind it, and request builders. */
abstract class RouterTestBase {

    static final String TOKEN = "ic_test_token";
    static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello router\"}]}";
    static final String MESSAGES = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello router\"}]}";

    @Inject
    LlmRouter router;

    @ConfigProperty(name = "mock.url")
    String mockUrl;

    MockRequests mock;

    @BeforeEach
    void resetMock() {
        mock = new MockRequests(mockUrl);
        mock.clear();
    }

    /** A plain connection to the router, for tests that write HTTP by hand; reads wait at most {@code timeoutMillis}. */
    Socket rawConnection(int timeoutMillis) throws IOException {
        Socket socket = new Socket("127.0.0.1", router.port());
        socket.setSoTimeout(timeoutMillis);
        return socket;
    }

    /** A request to the router with the IC token as a bearer token. */
    RequestSpecification openAi() {
        return given().baseUri(router.rootUrl()).contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + TOKEN);
    }

    /** A request to the router with the IC token as {@code x-api-key}, as Anthropic clients send it. */
    RequestSpecification anthropic() {
        return given().baseUri(router.rootUrl()).contentType(ContentType.JSON).header("x-api-key", TOKEN);
    }
}
