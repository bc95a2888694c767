package io.ironcage.runtime.internal.pii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.ironcage.runtime.spi.PiiMatch;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** The streaming check agrees with the tree scan on which bodies hold a value, escapes and labels included. */
class JsonTextScanTest {

    private static final PiiScanner SCANNER = new PiiScanner(BuiltInDetectors.all());

    private static Boolean streaming(String json) {
        return JsonTextScan.anyValue(SCANNER, Buffer.buffer(json));
    }

    private static boolean tree(String json) {
        List<PiiMatch> found = new ArrayList<>();
        return JsonTextScan.scan(SCANNER, new JsonObject(json), false, found::add);
    }

    @Test
    void bothScansFindTheSameBodies() {
        List<String> bodies = List.of(
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}",
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"mail jane@example.com\"}]}",
                // an escaped '@' is still an e-mail address once decoded
                "{\"messages\":[{\"role\":\"user\",\"content\":\"mail jane\\u0040example.com\"}]}",
                "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"call 555-123-4567\"}]}]}",
                "{\"stop\":[\"x\",\"card 4111 1111 1111 1111\"]}",
                // labels and ids are not text, nor is an image's URL
                "{\"model\":\"jane@example.com\",\"messages\":[{\"role\":\"user\",\"name\":\"jane@example.com\","
                        + "\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"http://10.0.0.1/a.png\"}}]}]}",
                "{\"system\":[{\"type\":\"text\",\"text\":\"key sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z\"}]}",
                "{\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"ssn\\\":\\\"123-45-6789\\\"}\"}}]}]}",
                "{\"max_tokens\":16,\"temperature\":0.5,\"nested\":{\"deeper\":[[{\"note\":\"from 192.168.1.10\"}]]}}");
        for (String body : bodies) {
            assertEquals(tree(body), streaming(body), body);
        }
        assertEquals(List.of(false, true, true, true, true, false, true, true, true),
                bodies.stream().map(JsonTextScanTest::streaming).toList());
    }

    @Test
    void whatIsNotAJsonObjectIsLeftToTheTextScan() {
        assertNull(streaming("[\"jane@example.com\"]"));
        assertNull(streaming("not json at all, jane@example.com"));
        assertNull(streaming("{\"content\":\"hello\""));
        assertEquals(true, streaming("{\"content\":\"hello\"} {\"content\":\"jane@example.com\"}"),
                "never clean for what follows the object");
        assertNull(streaming("{\"a\":" + "[".repeat(100_000) + "\"jane@example.com\"" + "]".repeat(100_000) + "}"),
                "nested too deep to walk");
        // never "clean" for a body the tree cannot read: found before the error, or unknown
        assertEquals(true, streaming("{\"content\":\"jane@example.com\""));
    }
}
