package io.ironcage.runtime.internal.live;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.ironcage.runtime.LlmRouter;
import io.ironcage.runtime.config.IronRuntimeConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;

/**
 * {@code /iron/dashboard}: one HTML page with its script inline, served from the runtime jar, that shows the live
 * feed ({@code /iron/ws}; the IC token comes from its {@code ?token=} parameter), and {@code /iron/state}, the feed's
 * snapshot over HTTP, which the page loads first. Off with {@code quarkus.iron.dashboard.enabled=false}.
 */
@ApplicationScoped
public class DashboardRoute {

    static final String PATH = "/iron/dashboard";
    static final String STATE_PATH = "/iron/state";

    @Inject
    IronRuntimeConfig config;

    @Inject
    LiveFeed feed;

    @Inject
    LlmRouter llmRouter;

    void register(@Observes Router router) {
        if (!config.dashboard().enabled()) {
            return;
        }
        Buffer page = Buffer.buffer(read());
        router.get(PATH).handler(rc -> rc.response().putHeader("content-type", "text/html; charset=utf-8")
                .putHeader("cache-control", "no-cache").putHeader("x-content-type-options", "nosniff").end(page));
        // The snapshot over plain HTTP: the page shows it at once, before the feed's updates come.
        router.get(STATE_PATH).handler(rc -> {
            if (!FeedAccess.allowed(FeedAccess.accepted(llmRouter, config.dashboard()), rc.request()::getHeader,
                    rc.request().query())) {
                rc.response().setStatusCode(401).putHeader("content-type", "application/json")
                        .end("{\"error\":\"Invalid IC token\"}");
                return;
            }
            rc.response().putHeader("content-type", "application/json").putHeader("cache-control", "no-store")
                    .end(feed.snapshot().encode());
        });
    }

    private static byte[] read() {
        try (InputStream in = DashboardRoute.class.getResourceAsStream("/META-INF/iron/dashboard.html")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("The dashboard page is missing from the runtime jar", e);
        }
    }
}
