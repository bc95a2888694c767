package io.ironcage.runtime.internal.pii;

/**
 * The names of a stream's text channels, each scanned on its own: {@code c<choice>} for an OpenAI choice's content,
 * {@code r<choice>} for its refusal, {@code t<choice>.<call>} for a tool call's arguments, {@code b<block>} for an
 * Anthropic content block. The names of the first indexes are made once: a stream asks for one with every event.
 */
final class Channels {

    private static final int CACHED = 16;
    private static final String[] CONTENT = names("c");
    private static final String[] REFUSAL = names("r");
    private static final String[] BLOCK = names("b");

    private Channels() {
    }

    /** The content of an OpenAI choice. */
    static String content(int choice) {
        return choice >= 0 && choice < CACHED ? CONTENT[choice] : "c" + choice;
    }

    /** The refusal of an OpenAI choice. */
    static String refusal(int choice) {
        return choice >= 0 && choice < CACHED ? REFUSAL[choice] : "r" + choice;
    }

    /** An Anthropic content block. */
    static String block(int index) {
        return index >= 0 && index < CACHED ? BLOCK[index] : "b" + index;
    }

    /** The arguments of a tool call of an OpenAI choice. */
    static String toolCall(int choice, int call) {
        return toolCallPrefix(choice) + call;
    }

    /** What the names of a choice's tool-call channels start with. */
    static String toolCallPrefix(int choice) {
        return "t" + choice + ".";
    }

    /** The call index of a tool-call channel's name. */
    static int toolCallIndex(String channel) {
        return Integer.parseInt(channel.substring(channel.indexOf('.') + 1));
    }

    private static String[] names(String kind) {
        String[] names = new String[CACHED];
        for (int i = 0; i < CACHED; i++) {
            names[i] = kind + i;
        }
        return names;
    }
}
