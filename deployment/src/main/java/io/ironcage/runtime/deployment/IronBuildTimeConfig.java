package io.ironcage.runtime.deployment;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Build-time switches of Iron Runtime, matching the reference crate's features ({@code enabled}, {@code analytics},
 * {@code full}).
 */
@ConfigMapping(prefix = "quarkus.iron")
@ConfigRoot(phase = ConfigPhase.BUILD_TIME)
public interface IronBuildTimeConfig {

    /**
     * Whether the router is built into the application at all. When {@code false} no router bean, listener or plugin
     * wiring exists.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * Analytics (event recording and, later, sync to the control server).
     */
    AnalyticsConfig analytics();

    /** Analytics switches. */
    interface AnalyticsConfig {

        /**
         * Whether analytics is built in (the {@code analytics} / {@code full} profiles). Needs
         * {@code quarkus.iron.enabled}.
         */
        @WithDefault("true")
        boolean enabled();
    }
}
