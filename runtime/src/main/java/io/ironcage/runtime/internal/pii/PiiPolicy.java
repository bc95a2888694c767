package io.ironcage.runtime.internal.pii;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.ironcage.runtime.PiiDetection;
import io.ironcage.runtime.config.IronRuntimeConfig.PiiMode;
import io.ironcage.runtime.spi.CallOutcome;
import io.ironcage.runtime.spi.ChunkDecision;
import io.ironcage.runtime.spi.PiiMatch;
import io.ironcage.runtime.spi.Policy;
import io.ironcage.runtime.spi.PolicyDecision;
import io.ironcage.runtime.spi.RouterRequest;
import io.ironcage.runtime.spi.StreamEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The built-in PII guard. Requests are scanned before they are forwarded (and redacted, refused or only reported,
 * per {@code request-mode}); answers as they come back, JSON whole and streams incrementally (per
 * {@code response-mode}). Every value found is reported as a {@link PiiDetection} event and counted, never logged.
 * Fails closed: when a detector fails, the request is refused and a stream ended, nothing passes unscanned.
 */
public final class PiiPolicy implements Policy {

    private static final Logger LOG = Logger.getLogger(PiiPolicy.class);
    static final String DETECTED = "iron_cage_pii_detected";
    static final String SCAN_FAILED = "iron_cage_pii_scan_failed";

    private final PiiScanner scanner;
    private final PiiMode requestMode;
    private final PiiMode responseMode;
    private final Consumer<PiiDetection> detections;
    private final Map<String, PiiStreamGuard> streams = new ConcurrentHashMap<>();

    /** @param detections told of every value found (events and metrics); must not block */
    public PiiPolicy(PiiScanner scanner, PiiMode requestMode, PiiMode responseMode,
            Consumer<PiiDetection> detections) {
        this.scanner = scanner;
        this.requestMode = requestMode;
        this.responseMode = responseMode;
        this.detections = detections;
    }

    /** After the budget (which refuses what it cannot pay for, unscanned) and before user policies. */
    @Override
    public int order() {
        return 10;
    }

    @Override
    public PolicyDecision onRequest(RouterRequest request) {
        if (requestMode == PiiMode.OFF || request.body() == null || request.body().length() == 0) {
            return PolicyDecision.proceed();
        }
        return guard(request, request.body(), requestMode, "request",
                " and was not forwarded (quarkus.iron.pii.request-mode=block). Remove it and try again.");
    }

    @Override
    public boolean inspectsAnswer() {
        return responseMode != PiiMode.OFF;
    }

    @Override
    public PolicyDecision onAnswer(RouterRequest request, Buffer answer) {
        return guard(request, answer, responseMode, "response",
                " and was withheld (quarkus.iron.pii.response-mode=block).");
    }

    /** Scans a whole body and, per mode, lets it through, redacts it or refuses it (naming kinds, never values). */
    private PolicyDecision guard(RouterRequest request, Buffer body, PiiMode mode, String direction, String refused) {
        Set<String> kinds = new LinkedHashSet<>();
        Buffer redacted;
        try {
            redacted = scanBody(body, mode, m -> {
                kinds.add(m.kind());
                report(request, m, direction, mode);
            });
        } catch (RuntimeException e) {
            return scanFailed(request, e);
        }
        if (kinds.isEmpty()) {
            return PolicyDecision.proceed();
        }
        return switch (mode) {
            case BLOCK -> PolicyDecision.reject(400, DETECTED, "The " + direction.replace("response", "answer")
                    + " contains " + String.join(", ", kinds) + refused);
            case REDACT -> PolicyDecision.rewrite(redacted);
            default -> PolicyDecision.proceed();
        };
    }

    @Override
    public boolean inspectsStream() {
        return responseMode != PiiMode.OFF;
    }

    @Override
    public ChunkDecision onChunk(RouterRequest request, StreamEvent event) {
        PiiStreamGuard guard = streams.computeIfAbsent(request.id(), id -> new PiiStreamGuard(scanner,
                responseMode == PiiMode.REDACT, responseMode == PiiMode.BLOCK, request.dialect(),
                m -> report(request, m, "response", responseMode)));
        try {
            return guard.onEvent(event);
        } catch (RuntimeException e) {
            LOG.errorf("PII scan failed in the answer of call %s (%s): the stream is ended", request.id(),
                    e.getClass().getName());
            return ChunkDecision.cut(SCAN_FAILED, "The PII scan of this answer failed; the stream was ended.");
        }
    }

    @Override
    public void onComplete(RouterRequest request, CallOutcome outcome) {
        streams.remove(request.id());
    }

    /**
     * Scans a JSON body (any text when it is not JSON) and returns it redacted when the mode redacts; the body itself
     * when nothing was found or nothing is to change.
     */
    private Buffer scanBody(Buffer body, PiiMode mode, Consumer<PiiMatch> found) {
        if (Boolean.FALSE.equals(JsonTextScan.anyValue(scanner, body))) {
            return body; // the common case, read without a tree
        }
        boolean redact = mode == PiiMode.REDACT;
        JsonObject json;
        try {
            json = body.toJsonObject();
        } catch (RuntimeException notJson) {
            String text = body.toString();
            String after = JsonTextScan.scanText(scanner, text, redact, found);
            return after == null || !redact ? body : Buffer.buffer(after);
        }
        return JsonTextScan.scan(scanner, json, redact, found) && redact ? json.toBuffer() : body;
    }

    private PolicyDecision scanFailed(RouterRequest request, RuntimeException e) {
        // the class only: a detector's message could quote the text it choked on
        LOG.errorf("PII scan failed for call %s (%s): refused rather than passed unscanned", request.id(),
                e.getClass().getName());
        return PolicyDecision.reject(500, SCAN_FAILED, "The PII scan of this call failed, so it was refused rather "
                + "than passed unscanned.");
    }

    private void report(RouterRequest request, PiiMatch match, String direction, PiiMode mode) {
        String action = switch (mode) {
            case REDACT -> "redacted";
            case BLOCK -> "blocked";
            default -> "detected";
        };
        detections.accept(new PiiDetection(match.kind(), direction, action, request.agent(), request.id(), request.provider(),
                request.model()));
    }
}
