package io.ironcage.runtime.internal.router;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids for calls ({@code x-iron-request-id}): unique enough to correlate logs and events, cheap to make on the event
 * loop (no secure random, no lock). Not a secret.
 */
final class CallIds {

    private CallIds() {
    }

    static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "call_" + Long.toHexString(random.nextLong() | Long.MIN_VALUE)
                + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
    }
}
