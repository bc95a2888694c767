package io.ironcage.runtime.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;

import io.ironcage.runtime.internal.budget.BudgetLedger;
import io.ironcage.runtime.internal.server.ControlServerJson.HandshakeResponse;
import io.ironcage.runtime.internal.server.ControlServerJson.ReportRequest;

class BudgetLeaseTest {

    /** A scripted control server. */
    static final class FakeServer implements BudgetLease.Server {
        final List<String> handshakes = new ArrayList<>();
        final List<ReportRequest> reports = new ArrayList<>();
        final List<String> returns = new ArrayList<>();
        boolean down;
        boolean refuse;
        long grant = 1_000;
        int leases;

        @Override
        public CompletionStage<HandshakeResponse> handshake(String provider, long requestedMicros) {
            handshakes.add(provider + ":" + requestedMicros);
            if (down) {
                return CompletableFuture.failedFuture(new java.net.ConnectException("refused"));
            }
            if (refuse) {
                return CompletableFuture.failedFuture(new ControlServerRefusal(403, "403: Budget limit exceeded"));
            }
            return CompletableFuture.completedFuture(new HandshakeResponse("lease_" + (++leases), grant, 0L, null));
        }

        @Override
        public CompletionStage<?> report(ReportRequest report) {
            if (down) {
                return CompletableFuture.failedFuture(new java.net.ConnectException("refused"));
            }
            reports.add(report);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Long> returnLease(String leaseId, long spentMicros) {
            if (down) {
                return CompletableFuture.failedFuture(new java.net.ConnectException("refused"));
            }
            returns.add(leaseId + ":" + spentMicros);
            return CompletableFuture.completedFuture(grant - spentMicros);
        }
    }

    final FakeServer server = new FakeServer();
    final BudgetLedger ledger = new BudgetLedger(-1);
    final BudgetLease lease = new BudgetLease(server, ledger, 1_000, 0.2, () -> "anthropic");

    private void spend(String id, long micros) {
        BudgetLedger.Reservation r = ledger.reserve(micros, micros);
        assertTrue(r.granted());
        ledger.settle(r.held(), micros);
        lease.onSpend(id, "claude-sonnet-4-5", "anthropic", 10, micros);
    }

    @Test
    void theHandshakeLeasesTheTrancheAsTheLocalLimit() {
        assertEquals(0, ledger.status().limitMicros(), "nothing may be spent before the handshake");
        lease.handshake();
        assertEquals(List.of("anthropic:1000"), server.handshakes);
        assertEquals(BudgetLease.State.ACTIVE, lease.state());
        assertEquals("lease_1", lease.leaseId());
        assertEquals(1_000, ledger.status().limitMicros());
    }

    @Test
    void everyCallIsReportedAgainstTheLease() {
        lease.handshake();
        spend("req_a", 100);
        spend("req_b", 50);
        assertEquals(2, server.reports.size());
        ReportRequest r = server.reports.get(0);
        assertEquals("lease_1", r.leaseId());
        assertEquals("req_a", r.requestId());
        assertEquals(100, r.costMicrodollars());
        assertEquals(10, r.tokens());
        assertEquals("claude-sonnet-4-5", r.model());
        assertEquals("anthropic", r.provider());
        assertEquals(0, lease.unreportedMicros());
    }

    @Test
    void spendWhileTheServerIsDownIsKeptAndReportedWhenItIsBack() {
        lease.handshake();
        server.down = true;
        spend("req_a", 100);
        spend("req_b", 50);
        assertEquals(150, lease.unreportedMicros());
        assertEquals(BudgetLease.State.ACTIVE, lease.state(), "the granted lease keeps serving");
        server.down = false;
        lease.tick();
        assertEquals(2, server.reports.size());
        assertEquals(0, lease.unreportedMicros());
    }

    @Test
    void aLowTrancheIsRefreshedAndTheOldLeaseReturnedWithItsSpend() {
        lease.handshake();
        spend("req_a", 700);
        assertEquals(1, server.handshakes.size(), "300 left of 1000: above the 20% mark");
        spend("req_b", 150); // 150 left < 200
        assertEquals(2, server.handshakes.size());
        assertEquals("lease_2", lease.leaseId());
        assertEquals(List.of("lease_1:850"), server.returns);
        assertEquals(850 + 1_000, ledger.status().limitMicros(), "the old spend plus the new tranche");
        spend("req_c", 10);
        assertEquals("lease_2", server.reports.get(server.reports.size() - 1).leaseId());
    }

    @Test
    void withoutAServerThereIsNoLeaseUntilAHandshakeSucceeds() {
        server.down = true;
        lease.handshake();
        assertEquals(BudgetLease.State.UNAVAILABLE, lease.state());
        assertEquals(0, ledger.status().limitMicros());
        server.down = false;
        lease.tick();
        assertEquals(BudgetLease.State.ACTIVE, lease.state());
    }

    @Test
    void aRefusedHandshakeMeansNoBudget() {
        server.refuse = true;
        lease.handshake();
        assertEquals(BudgetLease.State.REFUSED, lease.state());
        assertTrue(lease.problem().contains("Budget limit exceeded"));
    }

    @Test
    void closeReturnsTheLeaseWithItsSpendAndStopsServing() {
        lease.handshake();
        spend("req_a", 120);
        lease.close(Duration.ofSeconds(1));
        assertEquals(List.of("lease_1:120"), server.returns);
        assertEquals(BudgetLease.State.CLOSED, lease.state());
        assertEquals(120, ledger.status().limitMicros(), "limit = spent: nothing more is served");
        lease.close(Duration.ofSeconds(1));
        assertEquals(1, server.returns.size(), "idempotent");
    }

    /** What the durable ledger is told. */
    static final class RecordingJournal implements BudgetLease.ReportJournal {
        final List<String> kept = new ArrayList<>();

        @Override
        public void queued(ReportRequest report) {
            kept.add(report.requestId());
        }

        @Override
        public void taken(ReportRequest report) {
            assertTrue(kept.remove(report.requestId()), "taken only after queued: " + report.requestId());
        }
    }

    @Test
    void undeliveredReportsAreKeptInTheJournalUntilTheServerTakesThem() {
        RecordingJournal journal = new RecordingJournal();
        lease.keepReportsIn(journal, List.of());
        lease.handshake();
        spend("call_1", 100);
        assertEquals(List.of(), journal.kept, "delivered at once: nothing left to keep");
        server.down = true;
        spend("call_2", 20);
        spend("call_3", 30);
        assertEquals(List.of("call_2", "call_3"), journal.kept);
        server.down = false;
        lease.tick();
        assertEquals(List.of(), journal.kept);
        assertEquals(List.of("call_1", "call_2", "call_3"), server.reports.stream().map(ReportRequest::requestId)
                .toList());
    }

    @Test
    void reportsLeftByAPreviousProcessAreSentUnderTheirOwnLease() {
        RecordingJournal journal = new RecordingJournal();
        ReportRequest old = new ReportRequest("lease_before_crash", "call_old", 42, 250, "gpt-4o-mini", "openai");
        journal.kept.add("call_old");
        lease.keepReportsIn(journal, List.of(old));
        assertEquals(250, lease.unreportedMicros());
        lease.handshake();
        lease.tick();
        assertEquals(List.of(old), server.reports);
        assertEquals(0, lease.unreportedMicros());
        assertEquals(List.of(), journal.kept);
    }
}
