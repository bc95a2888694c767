package io.ironcage.runtime.internal.router;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.vertx.core.MultiMap;

class TokenAuthenticatorTest {

    private static final String TOKEN = "ic_live_7f3a9c2e-SECRET";
    private final TokenAuthenticator auth = new TokenAuthenticator(TOKEN, "default");

    private static MultiMap headers(String... nameValues) {
        MultiMap m = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < nameValues.length; i += 2) {
            m.add(nameValues[i], nameValues[i + 1]);
        }
        return m;
    }

    @Test
    void acceptsBearerToken() {
        assertTrue(auth.accepts(headers("Authorization", "Bearer " + TOKEN)));
        assertTrue(auth.accepts(headers("authorization", "Bearer " + TOKEN)));
        assertTrue(auth.accepts(headers("AUTHORIZATION", "bearer " + TOKEN)), "scheme is case-insensitive");
        assertTrue(auth.accepts(headers("Authorization", "BEARER " + TOKEN)));
        assertTrue(auth.accepts(headers("Authorization", "Bearer   " + TOKEN + "  ")), "surrounding blanks trimmed");
    }

    @Test
    void acceptsApiKeyHeader() {
        assertTrue(auth.accepts(headers("x-api-key", TOKEN)));
        assertTrue(auth.accepts(headers("X-Api-Key", TOKEN)));
        assertTrue(auth.accepts(headers("x-api-key", TOKEN, "anthropic-version", "2023-06-01")));
    }

    @Test
    void eitherHeaderMaySuffice() {
        assertTrue(auth.accepts(headers("x-api-key", "wrong", "Authorization", "Bearer " + TOKEN)));
        assertTrue(auth.accepts(headers("x-api-key", TOKEN, "Authorization", "Bearer wrong")));
        assertTrue(auth.accepts(headers("x-api-key", "", "Authorization", "Bearer " + TOKEN)));
    }

    @Test
    void refusesWrongTokens() {
        for (String wrong : List.of("wrong", TOKEN.substring(0, TOKEN.length() - 1), TOKEN + "x", "x" + TOKEN,
                TOKEN.toLowerCase(), TOKEN.toUpperCase(), "sk-proj-abc", " ", "null")) {
            assertFalse(auth.accepts(headers("Authorization", "Bearer " + wrong)), wrong);
            assertFalse(auth.accepts(headers("x-api-key", wrong)), wrong);
            assertFalse(auth.accepts(headers("x-api-key", wrong, "Authorization", "Bearer " + wrong)), wrong);
        }
    }

    @Test
    void refusesMissingOrEmptyTokens() {
        assertFalse(auth.accepts(headers()));
        assertFalse(auth.accepts(headers("Content-Type", "application/json")));
        assertFalse(auth.accepts(headers("x-api-key", "")));
        assertFalse(auth.accepts(headers("Authorization", "")));
        assertFalse(auth.accepts(headers("Authorization", "Bearer ")));
        assertFalse(auth.accepts(headers("Authorization", "Bearer")));
        assertFalse(auth.accepts(headers("Authorization", "Bearer    ")));
    }

    @Test
    void refusesOtherAuthorizationSchemes() {
        assertFalse(auth.accepts(headers("Authorization", TOKEN)), "token without scheme");
        assertFalse(auth.accepts(headers("Authorization", "Basic " + TOKEN)));
        assertFalse(auth.accepts(headers("Authorization", "Token " + TOKEN)));
        assertFalse(auth.accepts(headers("Authorization", "Bearer" + TOKEN)), "no space after the scheme");
        assertFalse(auth.accepts(headers("Authorization", "xBearer " + TOKEN)));
        assertFalse(auth.accepts(headers("api-key", TOKEN)), "Azure-style header is not supported");
        assertFalse(auth.accepts(headers("x-api-key", "Bearer " + TOKEN)), "x-api-key carries the bare token");
    }

    @Test
    void nullOrEmptyConfiguredTokenRefusesEverything() {
        for (String configured : new String[] { null, "" }) {
            TokenAuthenticator none = new TokenAuthenticator(configured, "default");
            assertFalse(none.accepts(headers()));
            assertFalse(none.accepts(headers("x-api-key", "")));
            assertFalse(none.accepts(headers("Authorization", "Bearer ")));
            assertFalse(none.accepts(headers("Authorization", "Bearer null")));
            assertFalse(none.accepts(headers("x-api-key", "null")));
            assertFalse(none.accepts(headers("x-api-key", TOKEN, "Authorization", "Bearer " + TOKEN)));
        }
    }

    @Test
    void nonAsciiTokensCompareByUtf8Bytes() {
        TokenAuthenticator unicode = new TokenAuthenticator("tøken-日本-🎉", "default");
        assertTrue(unicode.accepts(headers("x-api-key", "tøken-日本-🎉")));
        assertTrue(unicode.accepts(headers("Authorization", "Bearer tøken-日本-🎉")));
        assertFalse(unicode.accepts(headers("x-api-key", "token-日本-🎉")));
        assertFalse(unicode.accepts(headers("x-api-key", "tøken-日本-")));
    }
}
