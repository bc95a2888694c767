package io.ironcage.it;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.ironcage.runtime.agent.AgentHandle;
import io.ironcage.runtime.agent.AgentRuntime;
import io.ironcage.runtime.agent.AgentSpec;

/** The demo app's agents: start one with a command, list them with their status, metrics and last output. */
@Path("/agents")
public class AgentsResource {

    @Inject
    AgentRuntime runtime;

    /** Starts {@code {"command": ["python3", "agent.py"]}}. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> start(Map<String, List<String>> body) {
        return describe(runtime.startAgent(new AgentSpec(body.get("command"), null, Map.of())));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> list() {
        return runtime.agents().stream().map(this::describe).toList();
    }

    private Map<String, Object> describe(AgentHandle agent) {
        return Map.of("id", agent.id(), "status", agent.status().name(), "metrics", runtime.metrics(agent.id()),
                "output", agent.output());
    }
}
