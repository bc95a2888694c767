package io.ironcage.runtime.internal.pii;

/**
 * A detector failed (threw, or answered nonsense). Scanning stops rather than carry on without that detector, so a
 * policy can fail closed instead of letting text through unchecked.
 */
public final class PiiScanException extends RuntimeException {

    PiiScanException(String kind, Throwable cause) {
        super("PII detector " + kind + " failed: " + cause, cause);
    }
}
