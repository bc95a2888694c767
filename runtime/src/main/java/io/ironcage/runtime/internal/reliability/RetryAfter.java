package io.ironcage.runtime.internal.reliability;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import io.vertx.core.MultiMap;

/** Reads how long a provider asks to wait: {@code retry-after-ms} (OpenAI), else {@code retry-after} (seconds or a date). */
final class RetryAfter {

    private RetryAfter() {
    }

    /** Milliseconds to wait, or {@code -1} when the answer does not say (or says something unreadable). */
    static long millis(MultiMap headers) {
        String ms = headers.get("retry-after-ms");
        if (ms != null) {
            try {
                return Math.max(0, (long) Double.parseDouble(ms.trim()));
            } catch (NumberFormatException ignored) {
                // fall through to retry-after
            }
        }
        String value = headers.get("retry-after");
        if (value == null) {
            return -1;
        }
        try {
            return Math.max(0, (long) (Double.parseDouble(value.trim()) * 1000));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Math.max(0, at.toEpochMilli() - System.currentTimeMillis());
            } catch (DateTimeParseException unreadable) {
                return -1;
            }
        }
    }
}
