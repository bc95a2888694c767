package io.ironcage.runtime.agent;

import java.util.List;
import java.util.OptionalInt;

/** An agent the runtime started. */
public interface AgentHandle {

    /** Its id, e.g. {@code agent_3}: the {@code agent} of its calls, events and metrics. */
    String id();

    /** Its own IC token (in its environment as {@code OPENAI_API_KEY}, {@code ANTHROPIC_API_KEY}, {@code IC_TOKEN}). */
    String token();

    AgentStatus status();

    /** Its exit status, once it has exited. */
    OptionalInt exitCode();

    /** The last lines it wrote (standard output and error, up to 500). */
    List<String> output();
}
