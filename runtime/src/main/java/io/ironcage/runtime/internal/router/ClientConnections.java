package io.ironcage.runtime.internal.router;

import java.util.HashMap;
import java.util.Map;

import io.vertx.core.http.HttpConnection;

/**
 * The client connections of one event loop, each closed once it has had no call in progress for the idle limit:
 * between calls (keep-alive) and while a call's headers are still arriving, which the router cannot see start. Calls
 * in progress are bounded by their own limits (body, provider, total). Event-loop thread only.
 */
final class ClientConnections {

    /** One client connection. */
    static final class Client extends Deadlines.Deadline<Client> {
        private final HttpConnection connection;
        /** Calls started and not yet answered (more than one when the client pipelines them). */
        private int calls;

        Client(HttpConnection connection) {
            this.connection = connection;
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

    /** Whether the idle connections are kept on {@code list}. */
    boolean keptOn(Deadlines<Client> list) {
        return idle == list;
    }

    /** A connection opened: idle until its first call, for at most {@code idleMillis}. */
    void opened(HttpConnection connection, long idleMillis) {
        Client client = new Client(connection);
        clients.put(connection, client);
        idle.add(client, System.nanoTime() + idleMillis * 1_000_000);
        connection.closeHandler(v -> {
            clients.remove(connection);
            idle.remove(client);
        });
    }

    /**
     * A call's headers arrived on {@code connection}: not idle until it is answered ({@link #answered}).
     *
     * @return the connection's client, or {@code null} when it is not kept here (opened without a limit)
     */
    Client called(HttpConnection connection) {
        Client client = clients.get(connection);
        if (client != null && client.calls++ == 0) {
            idle.remove(client);
        }
        return client;
    }

    /** A call of {@code client} was answered; with none left in progress it may idle for {@code idleMillis}. */
    void answered(Client client, long idleMillis) {
        if (--client.calls == 0 && clients.containsKey(client.connection)) {
            idle.add(client, System.nanoTime() + idleMillis * 1_000_000);
        }
    }
}
