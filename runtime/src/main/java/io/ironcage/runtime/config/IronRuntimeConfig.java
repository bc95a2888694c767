package io.ironcage.runtime.config;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigDocMapKey;
import io.quarkus.runtime.annotations.ConfigDocSection;
import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Run-time configuration of the Iron Runtime LLM router.
 */
@ConfigMapping(prefix = "quarkus.iron")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface IronRuntimeConfig {

    /**
     * The IC token agents must present, as {@code Authorization: Bearer <token>} or {@code x-api-key: <token>}.
     * When not set, the environment variable {@code IC_TOKEN} is used. When neither is set, the router still starts
     * but refuses every call with 401.
     */
    Optional<String> token();

    /**
     * Root URL of the Iron Cage control server (e.g. {@code https://control.example.com}, without {@code /api}).
     * Setting it switches the router to server mode: the provider key is fetched from the server's provider-key
     * endpoint (with the IC token) and the budget is leased from it (Protocol 005) instead of being configured
     * locally. When not set, the environment variable {@code IC_SERVER} is used. When neither is set, the router runs
     * in direct mode (keys from {@code quarkus.iron.providers.*.api-key}, local budget).
     */
    Optional<String> serverUrl();

    /**
     * Server mode: how long a provider key fetched from the control server is used before it is fetched again. The
     * key is refreshed in the background before it expires (at 80% of this), so calls do not wait for the server.
     */
    @WithDefault("300s")
    Duration keyCacheTtl();

    /**
     * Server mode: how long an expired provider key keeps serving while the control server cannot be reached
     * (unreachable, 5xx, timeout). After that, calls get 503 until the server answers again. A key the server refuses
     * (4xx) is dropped at once.
     */
    @WithDefault("60s")
    Duration keyStaleGrace();

    /**
     * Server mode: the budget lease taken from the control server (Protocol 005).
     */
    @ConfigDocSection
    LeaseConfig lease();

    /** The budget lease (server mode). */
    interface LeaseConfig {

        /**
         * Budget requested in each handshake ({@code requested_budget}), in USD; the server may grant less. The granted
         * tranche is the router's spending limit until it is refreshed.
         */
        @WithDefault("10")
        BigDecimal trancheUsd();

        /**
         * A new tranche is leased (and the old lease returned with its spend) when what is left of the current one
         * falls below this fraction of it.
         */
        @WithDefault("0.2")
        double refreshBelow();

        /**
         * How often usage reports that could not be delivered are retried, and a failed handshake is tried again.
         */
        @WithDefault("5s")
        Duration retryInterval();

        /**
         * How long startup waits for the first handshake before the router starts without a lease (calls then get 503
         * until a handshake succeeds in the background).
         */
        @WithDefault("10s")
        Duration startupWait();
    }

    /**
     * The provider used when neither the path prefix, nor the model, nor the format of the configured key decides.
     */
    Optional<String> defaultProvider();

    /**
     * The router's own HTTP listener.
     */
    @ConfigDocSection
    RouterConfig router();

    /**
     * Providers by id. {@code openai} and {@code anthropic} are built in; any other id defines an OpenAI-compatible
     * provider (Groq, Mistral, DeepSeek, Ollama, vLLM, …) from its base URL, key and models alone.
     */
    @ConfigDocMapKey("provider-id")
    @ConfigDocSection
    Map<String, ProviderConfig> providers();

    /**
     * The built-in mock provider.
     */
    @ConfigDocSection
    MockConfig mock();

    /**
     * The spending limit and its alerts (direct mode; in server mode the limit comes from the lease).
     */
    @ConfigDocSection
    BudgetConfig budget();

    /**
     * Model prices.
     */
    @ConfigDocSection
    PricingConfig pricing();

    /**
     * The dashboard page.
     */
    @ConfigDocSection
    DashboardConfig dashboard();

    /** The dashboard. */
    interface DashboardConfig {

        /**
         * Whether {@code /iron/dashboard} is served (a page showing agents, spend, breakers and a live feed of
         * requests, for the router's IC token given as its {@code ?token=} parameter).
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * A token that opens the live state (the dashboard's {@code ?token=}, {@code /iron/ws}, {@code /iron/state})
         * besides the router's IC token. It cannot call the router: give it to people who watch, not to agents.
         */
        Optional<String> adminToken();
    }

    /**
     * The PII guard (the built-in {@code pii} policy): personal data and secrets in requests and answers.
     */
    @ConfigDocSection
    PiiConfig pii();

    /** What the PII guard does with what it finds. */
    enum PiiMode {
        /** Nothing is scanned. */
        OFF,
        /** Values are counted and reported (events, metrics); the text passes unchanged. */
        DETECT,
        /** Values are replaced by a typed marker such as {@code [REDACTED_EMAIL]}. */
        REDACT,
        /** The request is refused (400), a JSON answer withheld (400), a stream ended with an in-stream error. */
        BLOCK
    }

    /** The PII guard. */
    interface PiiConfig {

        /** What happens to PII in requests (message text, tool arguments and results), before they are forwarded. */
        @WithDefault("redact")
        PiiMode requestMode();

        /**
         * What happens to PII in answers, JSON and streams. In {@code redact} and {@code block} mode a stream holds
         * back only the end of its text that could still grow into a value (the current word or number).
         */
        @WithDefault("detect")
        PiiMode responseMode();

        /**
         * The kinds to look for (default all): {@code EMAIL}, {@code PHONE}, {@code SSN}, {@code CARD}, {@code IBAN},
         * {@code IP}, {@code SECRET}, plus the custom ones and those of {@code PiiDetector} plugins.
         */
        Optional<List<String>> kinds();

        /** Custom patterns, by kind name (upper case in markers and events). */
        @ConfigDocMapKey("kind")
        Map<String, CustomPattern> custom();
    }

    /** A custom PII pattern. */
    interface CustomPattern {

        /** A Java regular expression for the value, e.g. {@code EMP-[0-9]{6}}. */
        String regex();

        /** The longest value it can match (bounds what a stream holds back). */
        @WithDefault("256")
        int maxLength();
    }

    /**
     * Retries, circuit breakers and fallbacks (the built-in {@code reliability} policy).
     */
    @ConfigDocSection
    ReliabilityConfig reliability();

    /** Retries, breakers and fallbacks. */
    interface ReliabilityConfig {

        /** Retries of a failed upstream attempt. */
        RetryConfig retry();

        /** The circuit breaker per provider. */
        BreakerConfig breaker();

        /**
         * Models to try, in order, when a model fails in a retryable way after its retries, or its breaker is open,
         * e.g. {@code quarkus.iron.reliability.fallbacks."claude-sonnet-4-5"=gpt-4.1,gpt-4o}. A fallback may be served
         * by another provider: the call is translated as needed. Only before anything reached the client.
         */
        @ConfigDocMapKey("model")
        Map<String, List<String>> fallbacks();
    }

    /** Retries. */
    interface RetryConfig {

        /**
         * Retries after the first attempt, on connect errors, 5xx and 429 answers, and only while nothing has been
         * sent to the client ({@code 0} disables retries). A stream is never retried once its first byte reached the
         * client. A first-byte timeout is not retried (the client would wait that long again) but falls back.
         */
        @WithDefault("2")
        int maxRetries();

        /** Backoff before the first retry; doubled for each next one, with full jitter. */
        @WithDefault("200ms")
        Duration initialBackoff();

        /** Longest backoff between two attempts. */
        @WithDefault("5s")
        Duration maxBackoff();

        /**
         * A provider's {@code retry-after} / {@code retry-after-ms} is honoured up to this; an answer asking for a
         * longer wait is passed to the client as it is.
         */
        @WithDefault("20s")
        Duration maxRetryAfter();

        /** Time a call may spend in total (attempts and waits) before no more retry is started. */
        @WithDefault("60s")
        Duration budget();
    }

    /** The circuit breaker (SmallRye Fault Tolerance). */
    interface BreakerConfig {

        /** Whether providers get a circuit breaker. */
        @WithDefault("true")
        boolean enabled();

        /**
         * One breaker per provider and model instead of one per provider (a model can be down while others of the
         * same provider answer).
         */
        @WithDefault("false")
        boolean perModel();

        /** Size of the rolling window of attempts the failure ratio is computed over. */
        @WithDefault("20")
        int requestVolumeThreshold();

        /**
         * Ratio of failed attempts (5xx, connect errors, timeouts; not 4xx) in the window that opens the breaker.
         */
        @WithDefault("0.5")
        double failureRatio();

        /**
         * How long an open breaker refuses calls (503 with {@code retry-after}, or the fallback) before trial calls
         * are let through.
         */
        @WithDefault("30s")
        Duration delay();

        /** Successful trial calls that close a half-open breaker again. */
        @WithDefault("2")
        int successThreshold();
    }

    /**
     * The durable ledger: where spend and the budget's state are kept across restarts and crashes.
     */
    @ConfigDocSection
    LedgerConfig ledger();

    /** The durable ledger. */
    interface LedgerConfig {

        /**
         * Whether spend and the budget's state are kept in a database. When disabled, they live in memory only and
         * start from zero on every start.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * The embedded database file (H2; {@code .mv.db} is appended), used when no {@code jdbc-url} is set.
         * Relative paths are resolved against the working directory. One process at a time may use a file.
         */
        @WithDefault(".iron/ledger")
        Path path();

        /**
         * A JDBC URL to keep the ledger in instead of the embedded file, e.g.
         * {@code jdbc:postgresql://db.example.com:5432/iron} for deployments that share it. The tables are created
         * when missing. The PostgreSQL and H2 drivers are included; another database needs its driver on the class
         * path.
         */
        Optional<String> jdbcUrl();

        /** User name for {@code jdbc-url}. */
        Optional<String> username();

        /** Password for {@code jdbc-url}. */
        Optional<String> password();

        /**
         * The budget this router spends from. Routers that share a database and a scope share the spend: each one
         * adds what others spent (read back every {@code sync-interval} and after every write) to its budget.
         */
        @WithDefault("default")
        String scope();

        /**
         * How often an idle router re-reads the scope's total and limit, so spend and limit changes by other
         * instances sharing the database reach it.
         */
        @WithDefault("5s")
        Duration syncInterval();

        /**
         * How often the writer writes what has queued up, in one transaction. A call's spend is on disk at most this
         * long (plus the commit) after the call ended. Shorter means more commits, each far dearer than a row (a few
         * hundred microseconds of CPU with the embedded H2), paid whenever calls keep coming, however few: under a steady
         * 100 calls per second the writer used 5.5% of a core at {@code 10ms}, 1.6% at {@code 100ms}. What a crash
         * can lose is dominated by the calls still in flight (seconds each), not by this interval.
         */
        @WithDefault("100ms")
        Duration flushInterval();
    }

    /**
     * Analytics: one event per finished call and per router start and stop, kept in the ledger's outbox and synced to
     * the control server. Only with analytics built in ({@code quarkus.iron.analytics.enabled}, the {@code analytics}
     * and {@code full} profiles).
     */
    @ConfigDocSection
    AnalyticsConfig analytics();

    /** Analytics sync. */
    interface AnalyticsConfig {

        /**
         * How often the events in the outbox are sent to the control server ({@code quarkus.iron.server-url}). A
         * round that found a full batch is followed by the next one at once.
         */
        @WithDefault("5s")
        Duration syncInterval();

        /** The most events one round reads from the outbox and sends. */
        @WithDefault("500")
        int batchSize();

        /** How many events of a round are on their way to the control server at once. */
        @WithDefault("8")
        int concurrency();

        /**
         * How long stopping the router waits for the last events (the router's stop included) to reach the control
         * server. What does not make it stays in the outbox for the next start.
         */
        @WithDefault("5s")
        Duration shutdownWait();
    }

    /** The spending limit. */
    interface BudgetConfig {

        /**
         * Spending limit in USD for all calls through the router. Calls reserve their worst case before they are
         * forwarded and settle their real cost when they end; a call that does not fit gets 402. Unset: no limit
         * (calls are still priced and counted in {@code LlmRouter.totalSpent()}).
         */
        Optional<BigDecimal> limitUsd();

        /**
         * Fractions of the limit at which a {@code BudgetAlert} event is fired and a warning logged.
         */
        @WithDefault("0.5,0.8,1.0")
        List<Double> alertThresholds();

        /**
         * When a call's worst case does not fit in what is left, it may still start if what is left pays for its
         * input and this many output tokens; its stream is then cut off when it reaches what it holds.
         */
        @WithDefault("256")
        int minOutputTokens();
    }

    /** Model prices. */
    interface PricingConfig {

        /**
         * A JSON price file (the format of the bundled {@code META-INF/iron/prices.json}) whose entries replace or
         * extend the bundled table.
         */
        Optional<Path> file();
    }

    /**
     * Translation between the OpenAI and Anthropic dialects.
     */
    @ConfigDocSection
    TranslationConfig translation();

    /** Translation between dialects. */
    interface TranslationConfig {

        /**
         * {@code max_tokens} sent to Anthropic for an OpenAI-format call that sets neither {@code max_tokens} nor
         * {@code max_completion_tokens} (Anthropic requires it).
         */
        @WithDefault("4096")
        int defaultMaxTokens();
    }

    /** The router's listener and upstream connections. */
    interface RouterConfig {

        /**
         * Interface the router listens on.
         */
        @WithDefault("127.0.0.1")
        String host();

        /**
         * Port the router listens on; {@code 0} picks a free port (see {@code LlmRouter.port()}).
         */
        @WithDefault("0")
        int port();

        /**
         * Largest request body accepted; larger bodies get 413.
         */
        @WithDefault("10M")
        MemorySize maxBodySize();

        /**
         * Longest time a client may take to send its request body, counted from the request's headers; on expiry it
         * gets 408 in its dialect and its connection is closed, and nothing reaches a provider. A client that starts a
         * call and never finishes it would otherwise hold its connection and what it sent so far for ever. {@code 0}
         * turns the limit off.
         */
        @WithDefault("60s")
        Duration clientBodyTimeout();

        /**
         * Longest time a client connection may stay open with no call in progress: between calls on a kept-alive
         * connection, and from the connection (or the previous answer) until a call's headers have fully arrived.
         * The router then closes it, so that connections nobody uses, or whose headers trickle in, do not pile up
         * until the process runs out of them. A call in progress is never cut by it (its own limits apply). Clients
         * that keep connections (the official SDKs, HTTP pools) open a new one when it is gone. {@code 0} keeps idle
         * connections open for ever.
         */
        @WithDefault("75s")
        Duration clientIdleTimeout();

        /**
         * Time allowed to open a connection to a provider; on expiry (after the retries) the client gets 504.
         */
        @WithDefault("10s")
        Duration connectTimeout();

        /**
         * Time allowed between sending a call upstream and the provider's response headers; on expiry the client
         * gets 504.
         */
        @WithDefault("120s")
        Duration firstByteTimeout();

        /**
         * Longest silence of the provider allowed while a response is being received; on expiry a stream ends with
         * an in-stream error and other responses are aborted. While the client is behind (its connection takes data
         * slower than the provider sends it) the router stops reading from the provider, and that wait does not count.
         */
        @WithDefault("120s")
        Duration idleTimeout();

        /**
         * Longest time a call may take from its arrival to its last byte, retries included; on expiry the client gets
         * 504, or a stream ends with an in-stream error.
         */
        @WithDefault("10m")
        Duration totalTimeout();

        /**
         * Number of event loops the router listens on; defaults to the number of cores.
         */
        Optional<Integer> ioThreads();

        /**
         * Maximum number of pooled keep-alive connections per provider.
         */
        @WithDefault("64")
        int maxConnectionsPerProvider();
    }

    /** One provider. */
    interface ProviderConfig {

        /**
         * Root URL of the provider, without {@code /v1} (e.g. {@code https://api.openai.com}); the router appends the
         * request's own {@code /v1/…} path. Defaults to the provider's public API.
         */
        Optional<String> baseUrl();

        /**
         * The real provider key (the agents never see it). For {@code openai} and {@code anthropic} the environment
         * variables {@code OPENAI_API_KEY} and {@code ANTHROPIC_API_KEY} are used when this is not set.
         */
        Optional<String> apiKey();

        /**
         * Model name prefixes this provider serves (for OpenAI-compatible providers), e.g. {@code llama-,mixtral-}.
         */
        Optional<List<String>> models();
    }

    /** The built-in mock provider. */
    interface MockConfig {

        /**
         * Whether to start the built-in mock provider and route {@code openai} and {@code anthropic} to it when they
         * have neither a key nor a base URL configured. Defaults to {@code true} in dev mode and {@code false}
         * otherwise.
         */
        Optional<Boolean> enabled();
    }
}
