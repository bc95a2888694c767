package io.ironcage.runtime.internal.devui;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.inject.Inject;

import io.ironcage.runtime.LlmRouter;

/**
 * Dev UI (dev mode only): where the Iron Runtime card's pages point — the dashboard and the live state, with the
 * router's IC token (a dev-mode convenience: the Dev UI only answers on the developer's machine).
 */
public class IronDevUiService {

    @Inject
    LlmRouter router;

    public String dashboardUrl() {
        return "/iron/dashboard?token=" + token();
    }

    public String stateUrl() {
        return "/iron/state?token=" + token();
    }

    private String token() {
        String token = router.apiKey();
        return token == null ? "" : URLEncoder.encode(token, StandardCharsets.UTF_8);
    }
}
