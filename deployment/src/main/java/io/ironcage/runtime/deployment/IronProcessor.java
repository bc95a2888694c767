package io.ironcage.runtime.deployment;

import java.io.IOException;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.ironcage.runtime.LlmRouter;
import io.ironcage.runtime.agent.AgentRuntime;
import io.ironcage.runtime.analytics.AnalyticsEventLog;
import io.ironcage.runtime.internal.IronRecorder;
import io.ironcage.runtime.internal.devui.IronDevUiService;
import io.ironcage.runtime.internal.live.DashboardRoute;
import io.ironcage.runtime.internal.live.LiveFeed;
import io.ironcage.runtime.internal.live.LiveFeedEndpoint;
import io.ironcage.runtime.internal.server.ControlServerApi;
import io.ironcage.runtime.internal.server.ControlServerClient;
import io.ironcage.runtime.spi.PiiDetector;
import io.ironcage.runtime.spi.Policy;
import io.ironcage.runtime.spi.ProviderAdapter;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.deployment.BeanContainerBuildItem;
import io.quarkus.arc.processor.BuiltinScope;
import io.quarkus.deployment.IsDevelopment;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.AdditionalIndexedClassesBuildItem;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.HotDeploymentWatchedFileBuildItem;
import io.quarkus.deployment.builditem.ServiceStartBuildItem;
import io.quarkus.deployment.builditem.ShutdownContextBuildItem;
import io.quarkus.deployment.util.ServiceUtil;
import io.quarkus.devui.spi.JsonRPCProvidersBuildItem;
import io.quarkus.devui.spi.page.CardPageBuildItem;
import io.quarkus.devui.spi.page.Page;
import io.quarkus.vertx.deployment.VertxBuildItem;

/**
 * Build steps of Iron Runtime: registers the router bean, discovers provider and policy plugins from
 * {@code META-INF/services} and starts the router at run time.
 */
class IronProcessor {

    static final String FEATURE = "iron-runtime";
    static final List<Class<?>> PLUGIN_TYPES = List.of(ProviderAdapter.class, Policy.class, PiiDetector.class);

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    @BuildStep(onlyIf = RouterEnabled.class)
    AdditionalBeanBuildItem routerBean() {
        return AdditionalBeanBuildItem.builder()
                .addBeanClasses(LlmRouter.class, ControlServerClient.class, AgentRuntime.class, LiveFeed.class,
                        LiveFeedEndpoint.class, DashboardRoute.class)
                .setUnremovable().build();
    }

    /** Dev mode: an Iron Runtime card in the Dev UI, opening the dashboard and the live state. */
    @BuildStep(onlyIf = { IsDevelopment.class, RouterEnabled.class })
    CardPageBuildItem devUiCard() {
        CardPageBuildItem card = new CardPageBuildItem();
        card.addPage(Page.externalPageBuilder("Dashboard: agents, spend, requests").icon("font-awesome-solid:gauge-high")
                .dynamicUrlJsonRPCMethodName("dashboardUrl").isHtmlContent());
        card.addPage(Page.externalPageBuilder("Live state (router URL, providers, agents, spend)")
                .icon("font-awesome-solid:code").dynamicUrlJsonRPCMethodName("stateUrl").isJsonContent());
        return card;
    }

    @BuildStep(onlyIf = { IsDevelopment.class, RouterEnabled.class })
    JsonRPCProvidersBuildItem devUiService() {
        return new JsonRPCProvidersBuildItem(IronDevUiService.class);
    }

    /** The live feed's endpoint, so that WebSockets Next finds it. */
    @BuildStep(onlyIf = RouterEnabled.class)
    AdditionalIndexedClassesBuildItem liveFeedEndpoint() {
        return new AdditionalIndexedClassesBuildItem(LiveFeedEndpoint.class.getName());
    }

    /** Server mode: the control server's REST client interface, so that its implementation is generated. */
    @BuildStep(onlyIf = RouterEnabled.class)
    AdditionalIndexedClassesBuildItem controlServerApi() {
        return new AdditionalIndexedClassesBuildItem(ControlServerApi.class.getName(),
                ControlServerClient.class.getName());
    }

    /** Analytics (the {@code analytics} / {@code full} builds): records an event for every finished call. */
    @BuildStep(onlyIf = { RouterEnabled.class, AnalyticsEnabled.class })
    AdditionalBeanBuildItem analyticsBeans() {
        return AdditionalBeanBuildItem.unremovableOf(AnalyticsEventLog.class);
    }

    /** Plugins named in the application's services files; the files are watched so that dev mode reloads on edit. */
    @BuildStep(onlyIf = RouterEnabled.class)
    void discoverPlugins(BuildProducer<DiscoveredPluginBuildItem> discovered,
            BuildProducer<HotDeploymentWatchedFileBuildItem> watched) throws IOException {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        for (Class<?> type : PLUGIN_TYPES) {
            String file = "META-INF/services/" + type.getName();
            watched.produce(new HotDeploymentWatchedFileBuildItem(file));
            for (String name : ServiceUtil.classNamesNamedIn(cl, file)) {
                discovered.produce(new DiscoveredPluginBuildItem(type, name));
            }
        }
    }

    /** Every discovered plugin becomes a CDI bean, so it can inject config; the router collects them by type. */
    @BuildStep(onlyIf = RouterEnabled.class)
    void pluginBeans(List<DiscoveredPluginBuildItem> plugins, BuildProducer<AdditionalBeanBuildItem> beans) {
        if (!plugins.isEmpty()) {
            beans.produce(AdditionalBeanBuildItem.builder()
                    .addBeanClasses(plugins.stream().map(DiscoveredPluginBuildItem::className).toList())
                    .setUnremovable().setDefaultScope(BuiltinScope.SINGLETON.getName()).build());
        }
    }

    @BuildStep(onlyIf = RouterEnabled.class)
    @Record(ExecutionTime.RUNTIME_INIT)
    ServiceStartBuildItem startRouter(IronRecorder recorder, ShutdownContextBuildItem shutdown,
            BeanContainerBuildItem beanContainer, VertxBuildItem vertx) {
        recorder.startRouter(shutdown);
        return new ServiceStartBuildItem(FEATURE);
    }

    /** True when {@code quarkus.iron.analytics.enabled} is. */
    static final class AnalyticsEnabled implements BooleanSupplier {
        private final IronBuildTimeConfig config;

        AnalyticsEnabled(IronBuildTimeConfig config) {
            this.config = config;
        }

        @Override
        public boolean getAsBoolean() {
            return config.analytics().enabled();
        }
    }

    /** True when {@code quarkus.iron.enabled} is. */
    static final class RouterEnabled implements BooleanSupplier {
        private final IronBuildTimeConfig config;

        RouterEnabled(IronBuildTimeConfig config) {
            this.config = config;
        }

        @Override
        public boolean getAsBoolean() {
            return config.enabled();
        }
    }
}
