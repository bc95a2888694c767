package io.ironcage.runtime.internal.router;

import io.ironcage.runtime.internal.provider.Provider;
import io.ironcage.runtime.internal.provider.ProviderRegistry;
import io.ironcage.runtime.spi.Dialect;

/**
 * Where a request goes, as far as its path tells: the provider forced by a prefix ({@code /openai/…},
 * {@code /anthropic/…}, {@code /<provider-id>/…}, stripped), the path left, and the dialect errors are written in.
 *
 * @param forcedProvider the provider named by the prefix, or {@code null}
 * @param path the path without the prefix, e.g. {@code /v1/chat/completions}
 * @param dialect the chat dialect of the path; for other paths that of the forced provider, else OpenAI
 * @param isChat whether the path is a chat endpoint (then {@code dialect} is the client's)
 */
record Route(Provider forcedProvider, String path, Dialect dialect, boolean isChat) {

    static Route of(String rawPath, ProviderRegistry providers) {
        Provider forced = null;
        String path = rawPath;
        int second = rawPath.indexOf('/', 1);
        String first = second < 0 ? rawPath.substring(1) : rawPath.substring(1, second);
        if (!first.isEmpty() && !first.equals("v1")) {
            forced = providers.byId(first);
            if (forced != null) {
                path = second < 0 ? "/" : rawPath.substring(second);
            }
        }
        Dialect chat = Dialect.ofChatPath(path);
        Dialect dialect = chat != null ? chat : forced != null ? forced.adapter().dialect() : Dialect.OPENAI;
        return new Route(forced, path, dialect, chat != null);
    }
}
