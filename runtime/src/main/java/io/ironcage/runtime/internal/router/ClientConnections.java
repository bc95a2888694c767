package io.ironcage.runtime.internal.router;

import java.util.HashMap;
import java.util.Map;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;

/**
 * The client connections of one event loop, each closed once it has had no call in progress for the idle limit:
 * between calls (keep-alive) and while a call's headers are still arriving, which the router cannot see start. Calls
 * in progress are bounded by their own limits (body, provider, total). Event-loop thread only.
 */
final class ClientConnections {

    /** One client connection; told when each of its calls is answered (its response's end handler). */
    final class Client extends Deadlines.Deadline<Client> implements Handler<Void> {
        private final HttpConnection connection;
        /** The limit it opened with (a reload in dev mode does not change the connections already open). */
        private final long idleNanos;
        /** Calls started and not yet answered (more than one when the client pipelines them). */
        private int calls;
        private boolean closed;

        Client(HttpConnection connection, long idleMillis) {
            this.connection = connection;
            this.idleNanos = idleMillis * 1_000_000;
        }

        /** A call was answered; with none left in progress the idle clock starts. */
        @Override
        public void handle(Void answered) {
            if (--calls == 0 && !closed) {
                idle.add(this, System.nanoTime() + idleNanos);
            }
        }

        @Override
        void expire() {
            connection.close();
        }
    }

    private final Deadlines<Client> idle;
    private final Map<HttpConnection, Client> clients = new HashMap<>();

    ClientConnections(Deadlines<Client> idle) {
        this.idle = idle;
    }

    /** Whether its idle connections are still swept (not once the listener closed). */
    boolean swept() {
        return idle.sweeper >= 0;
    }

    /** A connection opened: idle until its first call, for at most {@code idleMillis}. */
    void opened(HttpConnection connection, long idleMillis) {
        Client client = new Client(connection, idleMillis);
        clients.put(connection, client);
        idle.add(client, System.nanoTime() + client.idleNanos);
        connection.closeHandler(v -> {
            client.closed = true;
            clients.remove(connection);
            idle.remove(client);
        });
    }

    /**
     * A call's headers arrived: its connection is not idle until the call is answered. Nothing happens for a
     * connection opened without a limit.
     */
    void called(HttpServerRequest request) {
        Client client = clients.get(request.connection());
        if (client != null) {
            if (client.calls++ == 0) {
                idle.remove(client);
            }
            request.response().endHandler(client);
        }
    }
}
