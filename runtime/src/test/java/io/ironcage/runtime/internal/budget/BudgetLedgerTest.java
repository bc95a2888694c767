package io.ironcage.runtime.internal.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.ironcage.runtime.BudgetStatus;
import io.ironcage.runtime.internal.budget.BudgetLedger.Refusal;
import io.ironcage.runtime.internal.budget.BudgetLedger.Reservation;

/** The reservation arithmetic: hold, settle, refuse, and no overspend under concurrency. */
class BudgetLedgerTest {

    @Test
    void holdsTheWholeWorstCaseWhenItFitsAndWhatIsLeftOtherwise() {
        BudgetLedger ledger = new BudgetLedger(1_000);
        Reservation first = ledger.reserve(100, 600);
        assertTrue(first.granted());
        assertEquals(600, first.held());
        Reservation second = ledger.reserve(100, 600);
        assertEquals(400, second.held(), "only what is left, since it covers the minimum");
        assertEquals(new BudgetStatus(0, 1_000, 1_000), ledger.status());
    }

    @Test
    void refusesWithExceededOrInsufficient() {
        BudgetLedger ledger = new BudgetLedger(1_000);
        ledger.reserve(900, 900);
        assertEquals(Refusal.INSUFFICIENT, ledger.reserve(200, 500).refusal(), "100 left, 200 needed");
        ledger.reserve(100, 100);
        Reservation none = ledger.reserve(1, 1);
        assertEquals(Refusal.EXCEEDED, none.refusal(), "spent + reserved reach the limit");
        assertFalse(none.granted());
        assertEquals(1_000, none.before().reservedMicros(), "the refusal reports the state it saw");
    }

    @Test
    void settlingReplacesTheHoldByTheActualCost() {
        BudgetLedger ledger = new BudgetLedger(1_000);
        Reservation r = ledger.reserve(10, 500);
        BudgetStatus after = ledger.settle(r.held(), 123);
        assertEquals(new BudgetStatus(123, 0, 1_000), after);
        ledger.settle(ledger.reserve(10, 50).held(), 0); // a failed call releases its hold
        assertEquals(new BudgetStatus(123, 0, 1_000), ledger.status());
    }

    @Test
    void withoutALimitNothingIsRefusedAndSpendIsStillCounted() {
        BudgetLedger ledger = new BudgetLedger(-1);
        Reservation r = ledger.reserve(1, Long.MAX_VALUE / 4);
        assertTrue(r.granted());
        ledger.settle(r.held(), 42);
        assertEquals(new BudgetStatus(42, 0, -1), ledger.status());
        assertFalse(ledger.status().limited());
    }

    @Test
    void aZeroLimitRefusesEverything() {
        assertEquals(Refusal.EXCEEDED, new BudgetLedger(0).reserve(0, 0).refusal());
    }

    @Test
    void concurrentReservationsNeverPassTheLimit() throws Exception {
        BudgetLedger ledger = new BudgetLedger(10_000);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Reservation>> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            all.add(pool.submit(() -> {
                start.await();
                return ledger.reserve(70, 70);
            }));
        }
        start.countDown();
        long held = 0;
        int granted = 0;
        for (Future<Reservation> f : all) {
            Reservation r = f.get();
            if (r.granted()) {
                granted++;
                held += r.held();
            }
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(10_000 / 70, granted, "exactly as many as fit");
        assertEquals(held, ledger.status().reservedMicros());
        assertTrue(held <= 10_000);
    }
}
