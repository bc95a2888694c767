package io.ironcage.runtime.internal.devmode;

import io.ironcage.runtime.internal.router.RouterServer;

/**
 * Dev mode: the router's listener outlives application restarts, so agents keep one URL (even with a random port)
 * and a call that triggered a reload is served by the reloaded application instead of losing its connection.
 * Runtime classes of the extension are not reloaded, so this holder survives restarts.
 */
public final class RetainedListener {

    private static RouterServer server;
    private static String address;

    private RetainedListener() {
    }

    /** The listener kept from before the restart, if it was bound to {@code host}:{@code port}. */
    public static synchronized RouterServer take(String host, int port) {
        RouterServer kept = server;
        boolean sameAddress = (host + ":" + port).equals(address);
        server = null;
        address = null;
        if (kept != null && !sameAddress) {
            kept.close();
            return null;
        }
        return kept;
    }

    /** Keeps {@code listener}, configured for {@code host}:{@code port}, for the next start. */
    public static synchronized void keep(RouterServer listener, String host, int port) {
        server = listener;
        address = host + ":" + port;
    }

    /** Dev mode is over: closes the kept listener. */
    static synchronized void closeRetained() {
        if (server != null) {
            server.close();
            server = null;
            address = null;
        }
    }
}
