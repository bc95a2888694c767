package io.ironcage.runtime.internal.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceTableTest {

    private static final PriceTable BUNDLED = PriceTable.load(Optional.empty());

    @TempDir
    Path dir;

    private static ModelPrice price(String model) {
        return BUNDLED.find(model).orElseThrow(() -> new AssertionError("no price for " + model));
    }

    // ---- bundled table -------------------------------------------------------------------------------------------

    @Test
    void referenceAnchorsHold() {
        ModelPrice gpt51 = price("gpt-5.1");
        assertEquals(1_250_000, gpt51.input());
        assertEquals(10_000_000, gpt51.output());
        assertEquals(128_000, gpt51.maxOutputTokens());

        assertEquals(150_000, price("gpt-4o-mini").input());
        assertEquals(600_000, price("gpt-4o-mini").output());

        assertEquals(50_000, price("gpt-5-nano").input());
        assertEquals(400_000, price("gpt-5-nano").output());

        ModelPrice sonnet4 = price("claude-sonnet-4-20250514");
        assertEquals(3_000_000, sonnet4.input());
        assertEquals(15_000_000, sonnet4.output());
        assertEquals(64_000, sonnet4.maxOutputTokens());

        assertEquals(250_000, price("claude-3-haiku-20240307").input());
        assertEquals(1_250_000, price("claude-3-haiku-20240307").output());
    }

    @Test
    void coversTheCurrentFamilies() {
        for (String model : List.of("gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-5",
                "gpt-5-mini", "gpt-5-nano", "gpt-5.1", "o1", "o3", "o3-mini", "o4-mini", "text-embedding-3-small",
                "text-embedding-3-large", "claude-3-5-haiku-20241022", "claude-3-5-haiku-latest",
                "claude-3-7-sonnet-20250219", "claude-3-7-sonnet-latest", "claude-sonnet-4-20250514",
                "claude-sonnet-4-0", "claude-sonnet-4-5-20250929", "claude-sonnet-4-5", "claude-opus-4-20250514",
                "claude-opus-4-0", "claude-opus-4-1-20250805", "claude-opus-4-1", "claude-opus-4-5-20251101",
                "claude-opus-4-5", "claude-haiku-4-5-20251001", "claude-haiku-4-5",
                // newer models
                "gpt-5.2", "gpt-5.4", "gpt-5.4-mini", "gpt-5.4-nano", "gpt-5.5", "claude-opus-4-6", "claude-sonnet-4-6",
                "claude-opus-4-7", "claude-opus-4-8", "claude-opus-5", "claude-sonnet-5", "claude-opus-5-5",
                "claude-sonnet-5-5")) {
            assertTrue(BUNDLED.find(model).isPresent(), model);
        }
        assertFalse(BUNDLED.version().isBlank());
        assertEquals(BUNDLED.models().size(), BUNDLED.models().values().stream().map(ModelPrice::model).distinct().count());
    }

    @Test
    void cacheRatesFollowEachProvidersRules() {
        // published exceptions: Haiku 3 writes at $0.30 and reads at $0.03; Opus 5.5 and Sonnet 5.5 read at 0.05 x
        List<String> readExceptions = List.of("claude-3-haiku-20240307", "claude-opus-5-5", "claude-sonnet-5-5");
        BUNDLED.models().forEach((id, p) -> {
            if (id.startsWith("claude-")) {
                if (!id.equals("claude-3-haiku-20240307")) {
                    assertEquals(p.input() * 5 / 4, p.cacheWrite(), id + " cache write = 1.25 x input");
                }
                if (!readExceptions.contains(id)) {
                    assertEquals(p.input() / 10, p.cacheRead(), id + " cache read = 0.1 x input");
                }
            } else {
                assertEquals(0, p.cacheWrite(), id + ": OpenAI does not charge cache writes");
                assertTrue(p.cacheRead() <= p.input(), id);
            }
            assertTrue(p.input() > 0, id);
        });
        assertEquals(1_250_000, price("gpt-4o").cacheRead());
        assertEquals(500_000, price("gpt-4.1").cacheRead());
        assertEquals(125_000, price("gpt-5").cacheRead());
        assertEquals(75_000, price("gpt-4o-mini").cacheRead());
        assertEquals(3_750_000, price("claude-sonnet-4-5").cacheWrite());
        assertEquals(300_000, price("claude-sonnet-4-5").cacheRead());
        assertEquals(6_250_000, price("claude-opus-4-5").cacheWrite());
        assertEquals(300_000, price("claude-3-haiku-20240307").cacheWrite());
        assertEquals(30_000, price("claude-3-haiku-20240307").cacheRead());
        assertEquals(200_000, price("claude-opus-5-5").cacheRead());
    }

    // ---- lookups -------------------------------------------------------------------------------------------------

    @Test
    void findsByIdAliasDateSuffixAndProviderPrefix() {
        ModelPrice sonnet45 = price("claude-sonnet-4-5-20250929");
        assertEquals("claude-sonnet-4-5-20250929", sonnet45.model());
        assertEquals(sonnet45, price("claude-sonnet-4-5"));
        assertEquals(price("claude-3-7-sonnet-20250219"), price("claude-3-7-sonnet-latest"));

        // a later snapshot not in the table falls back to its undated alias
        assertEquals(sonnet45, price("claude-sonnet-4-5-20260101"));
        assertEquals(price("gpt-4o-mini"), price("gpt-4o-mini-2024-07-18"));
        assertEquals(price("gpt-4o"), price("gpt-4o-2025-01-01"));
        assertEquals(price("gpt-4.1"), price("gpt-4.1-2025-04-14"));
        // a dated snapshot with its own price is not confused with the alias
        assertEquals(5_000_000, price("gpt-4o-2024-05-13").input());
        assertEquals(2_500_000, price("gpt-4o").input());

        assertEquals(price("gpt-5.1"), price("openai/gpt-5.1"));
        assertEquals(sonnet45, price("anthropic/claude-sonnet-4-5"));
        assertEquals(sonnet45, price("anthropic/claude-sonnet-4-5-20991231"));
        assertEquals(price("gpt-4o"), price("openai/gpt-4o-2024-11-20"));
        assertEquals(price("gpt-5.1"), price("GPT-5.1"));

        assertTrue(BUNDLED.find("gpt-99").isEmpty());
        assertTrue(BUNDLED.find("mistral/gpt-5.1").isEmpty());
        assertTrue(BUNDLED.find("openai/").isEmpty());
        assertTrue(BUNDLED.find("").isEmpty());
        assertTrue(BUNDLED.find(null).isEmpty());
        assertTrue(BUNDLED.find("gpt-5.1-2025-13").isEmpty());
    }

    @Test
    void dateSuffixes() {
        assertEquals("claude-sonnet-4-5".length(), PriceTable.dateSuffixStart("claude-sonnet-4-5-20250929"));
        assertEquals("gpt-4o".length(), PriceTable.dateSuffixStart("gpt-4o-2024-08-06"));
        assertEquals(-1, PriceTable.dateSuffixStart("claude-opus-4-1"));
        assertEquals(-1, PriceTable.dateSuffixStart("gpt-4o-2024-08-0x"));
        assertEquals(-1, PriceTable.dateSuffixStart("gpt-4o-202408061"));
        assertEquals(-1, PriceTable.dateSuffixStart("-20250929"));
    }

    // ---- override file -------------------------------------------------------------------------------------------

    private Path write(String json) throws IOException {
        Path file = Files.createTempFile(dir, "prices", ".json");
        Files.writeString(file, json, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void overrideReplacesAndAddsEntries() throws IOException {
        Path file = write("""
                {"_comment": "negotiated rates",
                 "models": {
                   "claude-sonnet-4-5-20250929": {"input": 2.5, "output": 12.5, "cache_read": 0.25,
                                                  "cache_write": 3.125, "max_output_tokens": 32000},
                   "my-model": {"input": 0.000001, "output": 1, "aliases": ["mine", "My-Alias"]},
                   "gpt-4o": {"input": 1, "output": 2}
                 }}
                """);
        PriceTable table = PriceTable.load(Optional.of(file));
        ModelPrice sonnet = table.find("claude-sonnet-4-5-20250929").orElseThrow();
        assertEquals(new ModelPrice("claude-sonnet-4-5-20250929", 2_500_000, 12_500_000, 250_000, 3_125_000, 32_000),
                sonnet);
        assertEquals(sonnet, table.find("claude-sonnet-4-5").orElseThrow(), "bundled alias follows the replacement");
        assertEquals(sonnet, table.find("anthropic/claude-sonnet-4-5-20251231").orElseThrow());

        ModelPrice mine = table.find("my-model").orElseThrow();
        assertEquals(new ModelPrice("my-model", 1, 1_000_000, 0, 0, 0), mine);
        assertEquals(mine, table.find("mine").orElseThrow());
        assertEquals(mine, table.find("my-alias").orElseThrow());

        // an override id that is a bundled alias takes the name over; the dated id keeps the bundled price
        assertEquals(1_000_000, table.find("gpt-4o").orElseThrow().input());
        assertEquals(2_500_000, table.find("gpt-4o-2024-08-06").orElseThrow().input());

        // everything else unchanged
        assertEquals(price("gpt-5.1"), table.find("gpt-5.1").orElseThrow());
        assertEquals(BUNDLED.models().size() + 2, table.models().size());
        assertEquals(BUNDLED.version(), table.version());
    }

    @Test
    void overrideAliasReplacesABundledAlias() throws IOException {
        Path file = write("""
                {"version": "x", "models": {"gpt-5-custom": {"input": 9, "output": 9, "aliases": ["gpt-5"]}}}
                """);
        PriceTable table = PriceTable.load(Optional.of(file));
        assertEquals(9_000_000, table.find("gpt-5").orElseThrow().input());
        assertEquals(1_250_000, table.find("gpt-5-2025-08-07").orElseThrow().input());
    }

    private String failure(String json) throws IOException {
        Path file = write(json);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PriceTable.load(Optional.of(file)));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        return e.getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "'" + message + "' should mention '" + part + "'");
        }
    }

    @Test
    void malformedOverrideFailsNamingFileAndEntry() throws IOException {
        assertMentions(failure("{\"models\": {"), "not a valid JSON object");
        assertMentions(failure("[1, 2]"), "not a valid JSON object");
        assertMentions(failure("{\"version\": \"1\"}"), "missing 'models'");
        assertMentions(failure("{\"models\": []}"), "'models' must be an object");
        assertMentions(failure("{\"modles\": {}}"), "unknown top-level key 'modles'");
        assertMentions(failure("{\"models\": {\"m\": 3}}"), "model 'm' must be an object");
        assertMentions(failure("{\"models\": {\"a\": {\"input\": 1, \"output\": 1}, \"m\": {\"output\": 1}}}"),
                "model 'm'", "missing 'input'");
        assertMentions(failure("{\"models\": {\"m\": {\"input\": 1}}}"), "model 'm'", "missing 'output'");
        assertMentions(failure("{\"models\": {\"m\": {\"input\": -1, \"output\": 1}}}"), "model 'm'", "'input'",
                "non-negative");
        assertMentions(failure("{\"models\": {\"m\": {\"input\": \"1.0\", \"output\": 1}}}"), "model 'm'", "'input'",
                "\"1.0\"");
        assertMentions(failure("{\"models\": {\"m\": {\"input\": 1, \"output\": null}}}"), "'output'", "null");
        assertMentions(failure("{\"models\": {\"m\": {\"input\": 0.0000001, \"output\": 1}}}"), "model 'm'",
                "at most 6 decimals");
        assertMentions(failure("{\"models\": {\"m\": {\"input\": 1e30, \"output\": 1}}}"), "model 'm'", "too large");
        assertMentions(failure("{\"models\": {\"m\": {\"input\": 1, \"ouptut\": 1, \"output\": 1}}}"), "model 'm'",
                "unknown key 'ouptut'");
        assertMentions(failure("{\"models\": {\"m\": {\"input\": 1, \"output\": 1, \"max_output_tokens\": 1.5}}}"),
                "model 'm'", "max_output_tokens");
        assertMentions(failure("{\"models\": {\"m\": {\"input\": 1, \"output\": 1, \"aliases\": \"n\"}}}"),
                "model 'm'", "'aliases' must be an array");
        assertMentions(failure("{\"models\": {\"m\": {\"input\": 1, \"output\": 1, \"aliases\": [1]}}}"),
                "model 'm'", "only strings");
        assertMentions(failure("{\"models\": {\"m\": {\"input\": 1, \"output\": 1, \"aliases\": [\" \"]}}}"),
                "model 'm'", "alias");
        assertMentions(failure("{\"models\": {\"m\": {\"input\": 1, \"output\": 1, \"aliases\": [\"M\"]}}}"),
                "model 'm'", "repeats the model id");
        assertMentions(failure("{\"models\": {\"a\": {\"input\": 1, \"output\": 1, \"aliases\": [\"x\"]},"
                + " \"b\": {\"input\": 1, \"output\": 1, \"aliases\": [\"x\"]}}}"), "model 'b'", "'x'",
                "alias of model 'a'");
        assertMentions(failure("{\"models\": {\"a\": {\"input\": 1, \"output\": 1, \"aliases\": [\"b\"]},"
                + " \"b\": {\"input\": 1, \"output\": 1}}}"), "model 'b'", "alias of model 'a'");
        assertMentions(failure("{\"models\": {\"n\": {\"input\": 1, \"output\": 1, \"aliases\": [\"gpt-5.1-2025-11-13\"]}}}"),
                "model 'n'", "'gpt-5.1-2025-11-13' is a bundled model id");
    }

    @Test
    void missingOverrideFileFailsNamingIt() {
        Path missing = dir.resolve("nope.json");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PriceTable.load(Optional.of(missing)));
        assertMentions(e.getMessage(), missing.toString());
    }
}
