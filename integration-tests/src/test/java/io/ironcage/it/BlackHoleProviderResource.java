package io.ironcage.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A provider whose connections never open: a loopback listener that never accepts, its accept queue filled, so the
 * kernel drops every further connection attempt (no refusal, no answer) — what an address behind a firewall that
 * drops packets does. Points provider {@code blackhole} (models {@code hole-*}) at it and shortens the router's
 * connect timeout so a test waits for it, not for the default.
 */
public class BlackHoleProviderResource implements QuarkusTestResourceLifecycleManager {

    static final String KEY = "sk-blackhole-SECRET-5550123";
    static final long CONNECT_TIMEOUT_MILLIS = 400;

    private ServerSocket listener;
    private final List<Socket> queued = new ArrayList<>();

    @Override
    public Map<String, String> start() {
        try {
            listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            fillAcceptQueue();
        } catch (IOException e) {
            throw new IllegalStateException("could not set up the black-hole provider", e);
        }
        return Map.of(
                "quarkus.iron.providers.blackhole.base-url", "http://127.0.0.1:" + listener.getLocalPort(),
                "quarkus.iron.providers.blackhole.api-key", KEY,
                "quarkus.iron.providers.blackhole.models", "hole-",
                "quarkus.iron.router.connect-timeout", CONNECT_TIMEOUT_MILLIS + "ms");
    }

    /** Connects until an attempt hangs: from then on the listener's queue is full and new connections go nowhere. */
    private void fillAcceptQueue() throws IOException {
        for (int i = 0; i < 16; i++) {
            Socket socket = new Socket();
            queued.add(socket);
            try {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), 300);
            } catch (SocketTimeoutException full) {
                return;
            }
        }
        throw new IllegalStateException("the kernel kept accepting connections into a full queue");
    }

    @Override
    public void stop() {
        for (Socket socket : queued) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            if (listener != null) {
                listener.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
