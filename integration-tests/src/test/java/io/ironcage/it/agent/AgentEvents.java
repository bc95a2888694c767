package io.ironcage.it.agent;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

import io.ironcage.runtime.agent.AgentEvent;
import io.ironcage.runtime.agent.AgentStatus;

/** Collects agent status changes, as an application observing them would. */
@ApplicationScoped
public class AgentEvents {

    private final List<AgentEvent> seen = new CopyOnWriteArrayList<>();

    void on(@ObservesAsync AgentEvent event) {
        seen.add(event);
    }

    public List<AgentStatus> of(String agentId) {
        return seen.stream().filter(e -> e.agentId().equals(agentId)).map(AgentEvent::to).toList();
    }
}
