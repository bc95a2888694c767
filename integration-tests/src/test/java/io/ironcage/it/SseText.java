package io.ironcage.it;

import io.vertx.core.json.JsonObject;

/** Joins the text a client reads from a stream of each dialect. */
final class SseText {

    private SseText() {
    }

    static String openAiContent(String sse) {
        StringBuilder sb = new StringBuilder();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: {")) {
                JsonObject chunk = new JsonObject(line.substring(6));
                if (chunk.getJsonArray("choices") != null && !chunk.getJsonArray("choices").isEmpty()) {
                    String content = chunk.getJsonArray("choices").getJsonObject(0).getJsonObject("delta")
                            .getString("content");
                    if (content != null) {
                        sb.append(content);
                    }
                }
            }
        }
        return sb.toString();
    }

    static String anthropicText(String sse) {
        StringBuilder sb = new StringBuilder();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: {") && line.contains("text_delta")) {
                sb.append(new JsonObject(line.substring(6)).getJsonObject("delta").getString("text"));
            }
        }
        return sb.toString();
    }
}
