package io.ironcage.runtime.deployment;

import io.quarkus.builder.item.MultiBuildItem;

/**
 * A plugin class found in a {@code META-INF/services} file of the application. Other extensions may produce it too
 * to contribute a plugin.
 */
public final class DiscoveredPluginBuildItem extends MultiBuildItem {

    private final Class<?> spi;
    private final String className;

    public DiscoveredPluginBuildItem(Class<?> spi, String className) {
        this.spi = spi;
        this.className = className;
    }

    /** {@code ProviderAdapter.class} or {@code Policy.class}. */
    public Class<?> spi() {
        return spi;
    }

    public String className() {
        return className;
    }
}
