package io.ironcage.runtime.internal.pii;

import java.util.List;

import io.ironcage.runtime.spi.PiiDetector;

/** The detectors that come with the extension. They are stateless, so one instance of each serves every stream. */
public final class BuiltInDetectors {

    /** In order of precedence when two find the very same span (an {@code 0xx-xx-xxxx} SSN is also a phone number). */
    private static final List<PiiDetector> ALL = List.of(new SecretDetector(), new EmailDetector(),
            new CardDetector(), new IbanDetector(), new SsnDetector(), new PhoneDetector(), new IpDetector());

    private BuiltInDetectors() {
    }

    /** All built-in detectors: SECRET, EMAIL, CARD, IBAN, SSN, PHONE, IP. */
    public static List<PiiDetector> all() {
        return ALL;
    }
}
