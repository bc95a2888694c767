package io.ironcage.runtime.internal.server;

/**
 * The control server answered and said no (a 4xx other than 408/429): retrying will not help, and it must not trip
 * the circuit breaker. Every other failure (unreachable, timeout, 5xx, open circuit) means the server is unavailable.
 */
public final class ControlServerRefusal extends RuntimeException {

    private final int status;

    public ControlServerRefusal(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
