package io.ironcage.runtime.internal.metrics;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.vertx.core.json.JsonObject;

/**
 * The agent an IC token stands for. The router treats the token as opaque (the control server verifies it), but a
 * token minted by the control server is a JWT whose {@code agent_id} claim names the agent: read it, unverified, to
 * label metrics and events. Never logs or returns the token.
 */
public final class AgentIds {

    private AgentIds() {
    }

    /** The token's {@code agent_id} claim, or {@code "default"} when it has none (a plain token, or none). */
    public static String of(String token) {
        if (token == null) {
            return "default";
        }
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return "default";
        }
        try {
            String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            Object id = new JsonObject(payload).getValue("agent_id");
            return id == null ? "default" : id.toString();
        } catch (RuntimeException notAJwt) {
            return "default";
        }
    }
}
