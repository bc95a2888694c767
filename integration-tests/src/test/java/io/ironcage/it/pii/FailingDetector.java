package io.ironcage.it.pii;

import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import io.ironcage.runtime.spi.PiiDetector;
import io.ironcage.runtime.spi.PiiMatch;
import io.quarkus.arc.Unremovable;

/** A user's detector plugin that breaks on one phrase: the guard must then fail closed. */
@ApplicationScoped
@Unremovable
public class FailingDetector implements PiiDetector {

    static final String TRIGGER = "BREAK-THE-SCANNER";

    @Override
    public String kind() {
        return "BROKEN";
    }

    @Override
    public void find(CharSequence text, Consumer<PiiMatch> found) {
        if (text.toString().contains(TRIGGER)) {
            throw new IllegalStateException("detector bug");
        }
    }

    @Override
    public int maxLength() {
        return 32;
    }
}
