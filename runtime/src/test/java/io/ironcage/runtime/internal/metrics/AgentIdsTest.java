package io.ironcage.runtime.internal.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class AgentIdsTest {

    private static String jwt(String payload) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
    }

    @Test
    void aControlServerTokenNamesItsAgent() {
        assertEquals("agent_42", AgentIds.of(jwt("{\"agent_id\":\"agent_42\",\"budget_id\":\"b\"}")));
    }

    @Test
    void anythingElseIsTheDefaultAgent() {
        assertEquals("default", AgentIds.of("ic_demo_token"));
        assertEquals("default", AgentIds.of(null));
        assertEquals("default", AgentIds.of("a.b.c"));
        assertEquals("default", AgentIds.of(jwt("{\"sub\":\"x\"}")));
        assertEquals("default", AgentIds.of(jwt("not json")));
    }
}
