package io.ironcage.it;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;

import io.restassured.path.json.JsonPath;

/** Reads and clears what the mock provider received, over its control endpoints. */
final class MockRequests {

    private final String mockUrl;

    MockRequests(String mockUrl) {
        this.mockUrl = mockUrl;
    }

    void clear() {
        given().delete(mockUrl + "/mock/requests").then().statusCode(204);
    }

    List<Map<String, Object>> all() {
        return given().get(mockUrl + "/mock/requests").then().statusCode(200).extract().jsonPath().getList("$");
    }

    int count() {
        return all().size();
    }

    @SuppressWarnings("unchecked")
    Map<String, String> lastHeaders() {
        List<Map<String, Object>> all = all();
        return (Map<String, String>) all.get(all.size() - 1).get("headers");
    }

    Map<String, Object> last() {
        List<Map<String, Object>> all = all();
        if (all.isEmpty()) {
            throw new AssertionError("the mock provider received nothing");
        }
        return all.get(all.size() - 1);
    }

    String lastBody() {
        return (String) last().get("body");
    }

    JsonPath lastBodyJson() {
        return JsonPath.from(lastBody());
    }

    int abortedStreams() {
        return given().get(mockUrl + "/mock/stats").then().extract().jsonPath().getInt("abortedStreams");
    }
}
