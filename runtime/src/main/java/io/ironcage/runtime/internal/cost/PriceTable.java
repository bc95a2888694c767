package io.ironcage.runtime.internal.cost;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Model prices: the table bundled with Iron ({@value #RESOURCE}), then optionally an operator's override file in the
 * same format whose entries replace or add to the bundled ones.
 *
 * <h2>Format</h2>
 *
 * <pre>{@code
 * {
 *   "version": "2026-11-25",                 // optional string: the date the prices were checked
 *   "source": "…",                           // optional string: where they were taken from
 *   "models": {                              // required
 *     "claude-sonnet-4-5-20250929": {        // the canonical model id (a dated snapshot where one exists)
 *       "input": 3.00,                       // required: USD per million uncached input tokens
 *       "output": 15.00,                     // required: USD per million output tokens
 *       "cache_read": 0.30,                  // optional, default 0: USD per million tokens read from a prompt cache
 *       "cache_write": 3.75,                 // optional, default 0: USD per million tokens written to a prompt cache
 *       "max_output_tokens": 64000,          // optional, default 0 (unknown): most tokens one answer can have
 *       "aliases": ["claude-sonnet-4-5"]     // optional: other names of the same model at the same price
 *     }
 *   }
 * }
 * }</pre>
 *
 * Prices are in US dollars per million tokens, as providers publish them, and are converted exactly to integer
 * microdollars per million tokens ({@link ModelPrice}); a price must therefore have at most six decimals. Anthropic's
 * {@code cache_write} is the 5-minute cache write (1.25 × input; cache reads are 0.1 × input, save where Anthropic
 * publishes otherwise); OpenAI does not charge for cache writes ({@code cache_write} 0) and discounts cache reads per
 * model.
 *
 * <p>Ids and aliases are case-insensitive. Keys starting with {@code _} are comments and ignored, at the top level and
 * in entries; any other unknown key is an error (a misspelt {@code "ouptut"} must not silently price output at 0).
 * Malformed data of any kind (invalid JSON, a missing or negative price, a price with more than six decimals, an alias
 * claimed twice...) fails the load with an {@link IllegalStateException} naming the file and the entry: no entry is
 * ever skipped silently.
 *
 * <h2>Override file</h2>
 *
 * An override entry whose id is a bundled id replaces that entry wholesale (prices and max output); the bundled
 * entry's aliases keep naming it and so resolve to the new prices, and the override's aliases are added. An override
 * entry with a new id adds a model. An override alias takes precedence over a bundled alias of the same name; an
 * override alias may not be a bundled id (ids always win over aliases, so it would silently do nothing) - replace the
 * entry instead.
 *
 * <h2>Lookup</h2>
 *
 * {@link #find(String)} tries, in order: the exact id, an alias, the name without a trailing date snapshot suffix
 * ({@code -20250929}, {@code -2024-08-06}), then all of that again with a provider prefix ({@code openai/},
 * {@code anthropic/}) stripped. Every name is precomputed into one hash map, so a lookup costs a few map probes and
 * no parsing: it runs per request on the event loop.
 */
public final class PriceTable {

    /** Class-path location of the bundled table. */
    public static final String RESOURCE = "META-INF/iron/prices.json";

    private static final String[] PROVIDER_PREFIXES = { "openai/", "anthropic/" };

    private final String version;
    private final Map<String, ModelPrice> models;
    private final Map<String, ModelPrice> byName;

    private PriceTable(String version, Map<String, ModelPrice> models, Map<String, ModelPrice> byName) {
        this.version = version;
        this.models = models;
        this.byName = byName;
    }

    /**
     * The bundled table, then the entries of {@code overrideFile} if present.
     *
     * @throws IllegalStateException when either table cannot be read or is malformed; the message names the file and
     *         the entry
     */
    public static PriceTable load(Optional<Path> overrideFile) {
        ParsedFile bundled = parse("classpath:" + RESOURCE, readBundled());
        ParsedFile override = overrideFile.map(PriceTable::parseFile).orElse(null);
        return merge(bundled, override);
    }

    /** The version (date) of the bundled table, or {@code "unknown"} when it carries none. */
    public String version() {
        return version;
    }

    /** Every model by canonical id (lower case), bundled and overridden, in file order. */
    public Map<String, ModelPrice> models() {
        return models;
    }

    /**
     * The price of {@code model}: its exact id, then an alias, then without a date snapshot suffix, then all of that
     * without a provider prefix (see the class documentation). Case-insensitive.
     */
    public Optional<ModelPrice> find(String model) {
        return Optional.ofNullable(lookup(model));
    }

    private ModelPrice lookup(String model) {
        if (model == null || model.isEmpty()) {
            return null;
        }
        String name = model.toLowerCase(Locale.ROOT); // the same instance when already lower case
        ModelPrice price = resolve(name);
        if (price != null) {
            return price;
        }
        for (String prefix : PROVIDER_PREFIXES) {
            if (name.startsWith(prefix) && name.length() > prefix.length()) {
                return resolve(name.substring(prefix.length()));
            }
        }
        return null;
    }

    private ModelPrice resolve(String name) {
        ModelPrice price = byName.get(name);
        if (price == null) {
            int cut = dateSuffixStart(name);
            if (cut > 0) {
                price = byName.get(name.substring(0, cut));
            }
        }
        return price;
    }

    /** Where a trailing {@code -YYYYMMDD} or {@code -YYYY-MM-DD} starts, or -1. */
    static int dateSuffixStart(String name) {
        int n = name.length();
        if (n > 9 && name.charAt(n - 9) == '-' && digits(name, n - 8, n)) {
            return n - 9;
        }
        if (n > 11 && name.charAt(n - 11) == '-' && digits(name, n - 10, n - 6) && name.charAt(n - 6) == '-'
                && digits(name, n - 5, n - 3) && name.charAt(n - 3) == '-' && digits(name, n - 2, n)) {
            return n - 11;
        }
        return -1;
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    // ---- loading -------------------------------------------------------------------------------------------------

    /** One parsed file: its version and entries in file order, each with its aliases. */
    private record ParsedFile(String origin, String version, Map<String, Entry> entries) {
    }

    private record Entry(ModelPrice price, List<String> aliases) {
    }

    private static String readBundled() {
        ClassLoader loader = PriceTable.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Bundled price table " + RESOURCE + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the bundled price table " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    private static ParsedFile parseFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Cannot read the price table override file " + file + ": " + e, e);
        }
        return parse(file.toString(), text);
    }

    private static ParsedFile parse(String origin, String text) {
        JsonObject root;
        try {
            root = new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            throw new IllegalStateException("Price table " + origin + " is not a valid JSON object: " + e.getMessage(), e);
        }
        String version = null;
        JsonObject models = null;
        for (Map.Entry<String, Object> field : root) {
            String key = field.getKey();
            Object value = field.getValue();
            switch (key) {
                case "version" -> version = string(value, origin, "'version'");
                case "source" -> string(value, origin, "'source'");
                case "models" -> {
                    if (!(value instanceof JsonObject object)) {
                        throw fail(origin, "'models' must be an object of model id to price, got " + describe(value));
                    }
                    models = object;
                }
                default -> {
                    if (!key.startsWith("_")) {
                        throw fail(origin, "unknown top-level key '" + key
                                + "' (expected version, source, models; keys starting with _ are comments)");
                    }
                }
            }
        }
        if (models == null) {
            throw fail(origin, "missing 'models' object");
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, String> claimedBy = new HashMap<>(); // every id and alias of this file -> the entry claiming it
        for (Map.Entry<String, Object> field : models) {
            String id = field.getKey().toLowerCase(Locale.ROOT);
            String where = "model '" + field.getKey() + "'";
            checkName(id, origin, where, "model id");
            if (!(field.getValue() instanceof JsonObject object)) {
                throw fail(origin, where + " must be an object, got " + describe(field.getValue()));
            }
            Entry entry = parseEntry(id, object, origin, where);
            for (String name : names(id, entry)) {
                String other = claimedBy.putIfAbsent(name, id);
                if (other != null) {
                    throw fail(origin, where + ": the name '" + name + "' is already "
                            + (other.equals(name) ? "a model id" : "an alias of model '" + other + "'"));
                }
            }
            entries.put(id, entry);
        }
        return new ParsedFile(origin, version, entries);
    }

    private static List<String> names(String id, Entry entry) {
        List<String> names = new ArrayList<>(entry.aliases().size() + 1);
        names.add(id);
        names.addAll(entry.aliases());
        return names;
    }

    private static Entry parseEntry(String id, JsonObject object, String origin, String where) {
        Long input = null;
        Long output = null;
        long cacheRead = 0;
        long cacheWrite = 0;
        long maxOutput = 0;
        List<String> aliases = List.of();
        for (Map.Entry<String, Object> field : object) {
            String key = field.getKey();
            Object value = field.getValue();
            switch (key) {
                case "input" -> input = micros(value, origin, where, key);
                case "output" -> output = micros(value, origin, where, key);
                case "cache_read" -> cacheRead = micros(value, origin, where, key);
                case "cache_write" -> cacheWrite = micros(value, origin, where, key);
                case "max_output_tokens" -> maxOutput = tokens(value, origin, where, key);
                case "aliases" -> aliases = aliases(id, value, origin, where);
                default -> {
                    if (!key.startsWith("_")) {
                        throw fail(origin, where + ": unknown key '" + key + "' (expected input, output, cache_read,"
                                + " cache_write, max_output_tokens, aliases; keys starting with _ are comments)");
                    }
                }
            }
        }
        if (input == null) {
            throw fail(origin, where + ": missing 'input' (USD per million input tokens)");
        }
        if (output == null) {
            throw fail(origin, where + ": missing 'output' (USD per million output tokens)");
        }
        return new Entry(new ModelPrice(id, input, output, cacheRead, cacheWrite, maxOutput), aliases);
    }

    private static final BigDecimal MICROS_PER_DOLLAR = BigDecimal.valueOf(1_000_000);

    /** USD per million tokens -> exact integer microdollars per million tokens. */
    private static long micros(Object value, String origin, String where, String key) {
        BigDecimal usd = decimal(value);
        if (usd == null || usd.signum() < 0) {
            throw fail(origin, where + ": '" + key + "' must be a non-negative number of USD per million tokens, got "
                    + describe(value));
        }
        try {
            return usd.multiply(MICROS_PER_DOLLAR).longValueExact();
        } catch (ArithmeticException e) {
            throw fail(origin, where + ": '" + key + "' = " + usd.toPlainString()
                    + " is not a whole number of microdollars per million tokens (at most 6 decimals) or is too large");
        }
    }

    private static long tokens(Object value, String origin, String where, String key) {
        BigDecimal n = decimal(value);
        try {
            if (n != null && n.signum() >= 0) {
                return n.longValueExact();
            }
        } catch (ArithmeticException e) {
            // reported below
        }
        throw fail(origin, where + ": '" + key + "' must be a non-negative whole number of tokens, got "
                + describe(value));
    }

    private static BigDecimal decimal(Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            // Double.toString is the shortest decimal that reads back as d: the literal of the file, e.g. 0.075
            return Double.isFinite(d) ? new BigDecimal(Double.toString(d)) : null;
        }
        if (value instanceof Number n) {
            return BigDecimal.valueOf(n.longValue());
        }
        return null;
    }

    private static List<String> aliases(String id, Object value, String origin, String where) {
        if (!(value instanceof JsonArray array)) {
            throw fail(origin, where + ": 'aliases' must be an array of strings, got " + describe(value));
        }
        List<String> aliases = new ArrayList<>(array.size());
        for (Object element : array) {
            if (!(element instanceof String s)) {
                throw fail(origin, where + ": 'aliases' must contain only strings, got " + describe(element));
            }
            String alias = s.toLowerCase(Locale.ROOT);
            checkName(alias, origin, where, "alias");
            if (alias.equals(id) || aliases.contains(alias)) {
                throw fail(origin, where + ": alias '" + s + "' is listed twice or repeats the model id");
            }
            aliases.add(alias);
        }
        return List.copyOf(aliases);
    }

    private static void checkName(String name, String origin, String where, String what) {
        if (name.isBlank() || !name.strip().equals(name)) {
            throw fail(origin, where + ": " + what + " '" + name + "' must be non-empty without surrounding spaces");
        }
    }

    private static String string(Object value, String origin, String what) {
        if (!(value instanceof String s)) {
            throw fail(origin, what + " must be a string, got " + describe(value));
        }
        return s;
    }

    private static PriceTable merge(ParsedFile bundled, ParsedFile override) {
        Map<String, Entry> entries = new LinkedHashMap<>(bundled.entries());
        Map<String, String> aliasTarget = new HashMap<>(); // alias -> id
        bundled.entries().forEach((id, entry) -> entry.aliases().forEach(alias -> aliasTarget.put(alias, id)));
        if (override != null) {
            override.entries().forEach((id, entry) -> {
                for (String alias : entry.aliases()) {
                    if (bundled.entries().containsKey(alias)) {
                        throw fail(override.origin(), "model '" + id + "': alias '" + alias + "' is a bundled model id;"
                                + " to reprice it, give it its own entry instead");
                    }
                    aliasTarget.put(alias, id);
                }
                entries.put(id, entry);
            });
        }
        Map<String, ModelPrice> models = new LinkedHashMap<>();
        entries.forEach((id, entry) -> models.put(id, entry.price()));
        Map<String, ModelPrice> byName = new HashMap<>(models.size() * 4);
        aliasTarget.forEach((alias, id) -> byName.put(alias, models.get(id)));
        byName.putAll(models); // ids win over aliases
        String version = bundled.version() != null ? bundled.version() : "unknown";
        return new PriceTable(version, Collections.unmodifiableMap(models), Map.copyOf(byName));
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value instanceof String s ? '"' + s + '"' : String.valueOf(value);
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }

    private static IllegalStateException fail(String origin, String problem) {
        return new IllegalStateException("Price table " + origin + ": " + problem);
    }
}
