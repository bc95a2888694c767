package io.ironcage.runtime.internal.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.ironcage.runtime.spi.Dialect;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Request translation against golden vectors in {@code src/test/resources/translate/requests/}.
 *
 * <p>
 * Each vector is one JSON file: {@code {"description", "direction", "openai": {...}, "anthropic": {...}}}, where
 * {@code direction} is {@code both} (each side translates exactly into the other), {@code openai_to_anthropic} or
 * {@code anthropic_to_openai} (the mapping is not an exact inverse: only that direction is asserted). OpenAI to
 * Anthropic runs with a default {@code max_tokens} of 4096. {@code unsupported.json} lists the requests that must be
 * refused: {@code [{"description", "from": "openai"|"anthropic", "param", "request"}]}.
 */
class RequestTranslationTest {

    private static final int DEFAULT_MAX_TOKENS = 4096;
    private static final String DIRECTORY = "translate/requests";
    private static final String UNSUPPORTED = "unsupported.json";
    private static final Set<String> DIRECTIONS = Set.of("both", "openai_to_anthropic", "anthropic_to_openai");

    // ---- golden vectors

    static Stream<Arguments> openAiToAnthropicVectors() {
        return vectors("openai_to_anthropic");
    }

    static Stream<Arguments> anthropicToOpenAiVectors() {
        return vectors("anthropic_to_openai");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("openAiToAnthropicVectors")
    void openAiToAnthropic(String name, JsonObject vector) throws Exception {
        JsonObject request = vector.getJsonObject("openai");
        JsonObject before = request.copy();

        JsonObject translated = OpenAiToAnthropicRequest.translate(request, DEFAULT_MAX_TOKENS);

        assertJsonEquals(vector.getJsonObject("anthropic"), translated, name);
        assertUntouched(before, request, translated);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("anthropicToOpenAiVectors")
    void anthropicToOpenAi(String name, JsonObject vector) throws Exception {
        JsonObject request = vector.getJsonObject("anthropic");
        JsonObject before = request.copy();

        JsonObject translated = AnthropicToOpenAiRequest.translate(request);

        assertJsonEquals(vector.getJsonObject("openai"), translated, name);
        assertUntouched(before, request, translated);
    }

    @Test
    void everyVectorIsWellFormed() {
        List<Path> files = vectorFiles();
        assertTrue(files.size() >= 50, "golden vectors found: " + files.size());
        for (Path file : files) {
            JsonObject vector = read(file);
            String name = file.getFileName().toString();
            assertTrue(DIRECTIONS.contains(vector.getString("direction")), name + ": direction");
            assertFalse(vector.getString("description", "").isBlank(), name + ": description");
            assertTrue(vector.getValue("openai") instanceof JsonObject, name + ": openai");
            assertTrue(vector.getValue("anthropic") instanceof JsonObject, name + ": anthropic");
            assertEquals(Set.of("description", "direction", "openai", "anthropic"), vector.fieldNames(), name);
        }
    }

    // ---- refusals

    static Stream<Arguments> unsupportedCases() {
        JsonArray cases = new JsonArray(readString(directory().resolve(UNSUPPORTED)));
        return cases.stream().map(JsonObject.class::cast).map(c -> Arguments.of(
                c.getString("from") + " " + c.getString("param") + " (" + c.getString("description") + ")", c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsupportedCases")
    void unsupportedParameterIsRefusedNamingIt(String name, JsonObject unsupportedCase) {
        JsonObject request = unsupportedCase.getJsonObject("request");
        JsonObject before = request.copy();
        String param = unsupportedCase.getString("param");

        UnsupportedParameterException e = assertThrows(UnsupportedParameterException.class,
                () -> translate(unsupportedCase.getString("from"), request));

        assertEquals(param, e.param(), e.getMessage());
        assertTrue(e.getMessage().contains(param), e.getMessage());
        assertEquals(before, request, "the request must not be modified");
    }

    private static JsonObject translate(String from, JsonObject request) throws UnsupportedParameterException {
        return switch (from) {
            case "openai" -> OpenAiToAnthropicRequest.translate(request, DEFAULT_MAX_TOKENS);
            case "anthropic" -> AnthropicToOpenAiRequest.translate(request);
            default -> throw new IllegalArgumentException(from);
        };
    }

    // ---- the facade

    @Test
    void facadePassesTheConfiguredDefaultMaxTokens() throws Exception {
        JsonObject request = new JsonObject().put("model", "m")
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi")));

        JsonObject toAnthropic = Translation.between(Dialect.OPENAI, Dialect.ANTHROPIC, 512).request(request);
        JsonObject toOpenAi = Translation.between(Dialect.ANTHROPIC, Dialect.OPENAI, 512)
                .request(request.copy().put("max_tokens", 100).put("stream", true));

        assertEquals(512, toAnthropic.getInteger("max_tokens"));
        assertEquals(100, toOpenAi.getInteger("max_completion_tokens"));
        assertEquals(new JsonObject().put("include_usage", true), toOpenAi.getJsonObject("stream_options"));
    }

    // ---- helpers

    private static void assertJsonEquals(JsonObject expected, JsonObject actual, String name) {
        assertEquals(expected, actual, () -> name + "\nexpected: " + expected.encodePrettily() + "\nactual:   "
                + actual.encodePrettily());
    }

    /**
     * The input equals its snapshot, and still does once every object and array of the output has been emptied: the
     * output shares no mutable structure with the input.
     */
    private static void assertUntouched(JsonObject before, JsonObject request, JsonObject translated) {
        assertEquals(before, request, "the request must not be modified");
        clear(translated);
        assertEquals(before, request, "the translation must not share structure with the request");
    }

    private static void clear(Object json) {
        if (json instanceof JsonObject o) {
            o.forEach(e -> clear(e.getValue()));
            o.clear();
        } else if (json instanceof JsonArray a) {
            a.forEach(RequestTranslationTest::clear);
            a.clear();
        }
    }

    private static Stream<Arguments> vectors(String direction) {
        return vectorFiles().stream()
                .map(file -> Arguments.of(file.getFileName().toString().replace(".json", ""), read(file)))
                .filter(arguments -> {
                    String vectorDirection = ((JsonObject) arguments.get()[1]).getString("direction");
                    return vectorDirection.equals("both") || vectorDirection.equals(direction);
                });
    }

    private static List<Path> vectorFiles() {
        try (Stream<Path> files = Files.list(directory())) {
            return files.filter(f -> f.toString().endsWith(".json"))
                    .filter(f -> !f.getFileName().toString().equals(UNSUPPORTED))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path directory() {
        try {
            return Path.of(RequestTranslationTest.class.getClassLoader().getResource(DIRECTORY).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject read(Path file) {
        return new JsonObject(readString(file));
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
