package io.ironcage.runtime.internal.devmode;

import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import io.quarkus.dev.spi.HotReplacementContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Runs the dev-mode change scan before each router call (a scan without changes only compares file timestamps);
 * calls that arrive during a scan wait for it. Outside dev mode nothing is installed and {@link #active()} is false.
 */
public final class DevModeReload {

    private static final Logger LOG = Logger.getLogger(DevModeReload.class);

    private static volatile HotReplacementContext context;
    private static final AtomicReference<Future<Void>> running = new AtomicReference<>();

    private DevModeReload() {
    }

    static void install(HotReplacementContext ctx) {
        context = ctx;
    }

    public static boolean active() {
        return context != null;
    }

    /** Scans for changes (restarting the application when there are some); completes on the caller's context. */
    public static Future<Void> scan(Vertx vertx) {
        HotReplacementContext ctx = context;
        if (ctx == null) {
            return Future.succeededFuture();
        }
        Promise<Void> promise = Promise.promise();
        Future<Void> current = running.get();
        if (current != null || !running.compareAndSet(null, promise.future())) {
            Future<Void> other = running.get();
            return other == null ? Future.succeededFuture() : other;
        }
        vertx.<Void> executeBlocking(() -> {
            try {
                ctx.doScan(false);
            } catch (Exception e) {
                LOG.error("Live reload failed", e);
            } finally {
                running.set(null);
            }
            return null;
        }, false).onComplete(ar -> promise.complete());
        return promise.future();
    }

    /** The problem that keeps the application from starting (e.g. a compile error), or {@code null}. */
    public static Throwable deploymentProblem() {
        HotReplacementContext ctx = context;
        return ctx == null ? null : ctx.getDeploymentProblem();
    }
}
