package io.ironcage.it.agent;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.ironcage.it.AsyncEvents;
import io.ironcage.it.MockProviderResource;
import io.ironcage.runtime.LlmRouter;
import io.ironcage.runtime.agent.AgentEvent;
import io.ironcage.runtime.agent.AgentHandle;
import io.ironcage.runtime.agent.AgentMetrics;
import io.ironcage.runtime.agent.AgentRuntime;
import io.ironcage.runtime.agent.AgentSpec;
import io.ironcage.runtime.agent.AgentStatus;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Real agent processes (Python, standard library only) started, watched and stopped by the runtime. */
@QuarkusTest
@WithTestResource(MockProviderResource.class)
class AgentRuntimeTest {

    private static final Path AGENTS = Path.of("src", "test", "resources", "agents").toAbsolutePath();

    @Inject
    AgentRuntime runtime;

    @Inject
    LlmRouter router;

    @Inject
    AsyncEvents events;

    private List<AgentStatus> statuses(String agentId) {
        return events.of(AgentEvent.class, e -> e.agentId().equals(agentId)).stream().map(AgentEvent::to).toList();
    }

    private static AgentSpec python(String script, Map<String, String> env) {
        return new AgentSpec(List.of("python3", AGENTS.resolve(script).toString()), AGENTS, env);
    }

    @Test
    void aPythonAgentReachesTheRouterWithItsOwnTokenAndItsCallsAreItsOwn() {
        AgentHandle agent = runtime.startAgent(python("chat_agent.py", Map.of()));
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.status() == AgentStatus.STOPPED
                || agent.status() == AgentStatus.FAILED);
        assertEquals(AgentStatus.STOPPED, agent.status(), String.join("\n", agent.output()));
        assertEquals(0, agent.exitCode().getAsInt());
        List<String> out = agent.output();
        assertTrue(out.stream().anyMatch(l -> l.startsWith("openai: Mock answer to: What is 2+2?")), out.toString());
        assertTrue(out.stream().anyMatch(l -> l.startsWith("anthropic: Mock answer to: Say hi")), out.toString());
        assertTrue(out.contains("router: " + router.rootUrl() + " token matches: True"), out.toString());
        assertFalse(agent.token().equals(router.apiKey()), "an agent has a token of its own");

        AgentMetrics m = runtime.metrics(agent.id());
        assertEquals(3, m.requests());
        assertEquals(0, m.errors());
        assertTrue(m.inputTokens() > 0 && m.outputTokens() > 0 && m.costMicros() > 0, m.toString());
        await().atMost(Duration.ofSeconds(5)).until(() -> statuses(agent.id()).equals(
                List.of(AgentStatus.STARTING, AgentStatus.RUNNING, AgentStatus.STOPPED)));

        // Its token was for its life only.
        given().baseUri(router.rootUrl()).contentType(ContentType.JSON).header("Authorization", "Bearer " + agent.token())
                .body("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"late\"}]}")
                .post("/v1/chat/completions").then().statusCode(401);
    }

    @Test
    void aNodeAgentUsingTheOfficialOpenAiPackageWorksUnchanged() throws Exception {
        Path dir = NodeAgent.install();
        AgentHandle agent = runtime.startAgent(new AgentSpec(List.of("node", "agent.mjs"), dir, Map.of()));
        await().atMost(Duration.ofSeconds(60)).until(() -> agent.status() == AgentStatus.STOPPED
                || agent.status() == AgentStatus.FAILED);
        assertEquals(AgentStatus.STOPPED, agent.status(), String.join("\n", agent.output()));
        assertTrue(agent.output().contains("answer: Mock answer to: Hello from node"), agent.output().toString());
        assertTrue(agent.output().contains("streamed: Mock answer to: Stream to node"), agent.output().toString());
        AgentMetrics m = runtime.metrics(agent.id());
        assertEquals(2, m.requests());
        assertTrue(m.costMicros() > 0, m.toString());
    }

    @Test
    void stoppingAnAgentStopsWhatItStartedToo() {
        AgentHandle agent = runtime.startAgent(python("sleepy_agent.py", Map.of()));
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.output().stream().anyMatch(l -> l.startsWith("child ")));
        long child = Long.parseLong(agent.output().stream().filter(l -> l.startsWith("child ")).findFirst()
                .orElseThrow().substring(6).trim());
        assertTrue(Processes.running(child));

        runtime.stopAgent(agent.id());
        assertEquals(AgentStatus.STOPPED, agent.status());
        await().atMost(Duration.ofSeconds(5)).until(() -> !Processes.running(child));
        await().atMost(Duration.ofSeconds(5)).until(() -> statuses(agent.id()).equals(List.of(AgentStatus.STARTING,
                AgentStatus.RUNNING, AgentStatus.STOPPING, AgentStatus.STOPPED)));
    }

    @Test
    void anAgentWithABudgetIsRefusedAtItsLimitAndStopped() {
        AgentHandle agent = runtime.startAgent(new AgentSpec(List.of("python3",
                AGENTS.resolve("spender_agent.py").toString()), AGENTS, Map.of(), new BigDecimal("0.0002"), true));
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.status() == AgentStatus.BUDGET_EXHAUSTED);
        // the stop (on its own thread) may overtake the refused call's accounting on the event loop
        await().atMost(Duration.ofSeconds(5)).until(() -> runtime.metrics(agent.id()).errors() > 0);
        AgentMetrics m = runtime.metrics(agent.id());
        assertTrue(m.costMicros() > 0 && m.costMicros() <= 200, "spent within its $0.0002: " + m);
        assertTrue(m.requests() >= 2, m.toString());
        assertEquals(1, m.errors(), "the refused call: " + m);
        await().atMost(Duration.ofSeconds(5)).until(() -> statuses(agent.id()).equals(List.of(AgentStatus.STARTING,
                AgentStatus.RUNNING, AgentStatus.STOPPING, AgentStatus.BUDGET_EXHAUSTED)));
    }

    @Test
    void anAgentLeftRunningAtItsLimitSeesA402InItsDialect() {
        // not stopped for it: the agent reads the refusal (one that is stopped may be gone before it prints it)
        AgentHandle agent = runtime.startAgent(new AgentSpec(List.of("python3",
                AGENTS.resolve("spender_agent.py").toString()), AGENTS, Map.of(), new BigDecimal("0.0002"), false));
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.output().stream().anyMatch(l -> l.startsWith("refused")));
        String refused = agent.output().stream().filter(l -> l.startsWith("refused")).findFirst().orElseThrow();
        assertTrue(refused.startsWith("refused 402 iron_cage_"), refused);
        assertEquals(AgentStatus.RUNNING, agent.status());
        runtime.stopAgent(agent.id());
        assertEquals(AgentStatus.STOPPED, agent.status());
    }

    @Test
    void anAgentThatExitsWithAnErrorHasFailed() {
        AgentHandle agent = runtime.startAgent(new AgentSpec(List.of("python3", "-c",
                "import sys; print('giving up', flush=True); sys.exit(3)"), null, Map.of()));
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.status() == AgentStatus.FAILED);
        assertEquals(3, agent.exitCode().getAsInt());
        assertEquals(List.of("giving up"), agent.output());
    }

    @Test
    void aCommandThatCannotStartHasFailed() {
        AgentHandle agent = runtime.startAgent(AgentSpec.of("/no/such/agent-binary"));
        assertEquals(AgentStatus.FAILED, agent.status());
        assertTrue(runtime.agents().contains(agent));
    }
}
