import assert from "node:assert/strict";
import type { SipResponse } from "../../codec/sip/mod.ts";
import { Logger } from "../../lib/log.ts";
import {
  ClientTransactions,
  SERVER_TRANSACTIONS_MAX,
  ServerTransactions,
  TIMER_J_MS,
} from "./_transactions.ts";
import { captureLogs, FakeClock } from "./_test_helpers.ts";
import { SipConnectionClosed, SipTransactionTimeout } from "./errors.ts";

const LOG = new Logger("sip.test");

function response(status: number): SipResponse {
  return {
    kind: "response",
    version: "SIP/2.0",
    status,
    reason: "",
    headers: [],
    body: new Uint8Array(),
  };
}

Deno.test("server transactions", async (t) => {
  const logs = captureLogs();
  try {
    await t.step("Trying: a retransmission is found, with no response to repeat", () => {
      const s = new ServerTransactions(new FakeClock(), TIMER_J_MS, 32_000, LOG);
      const first = s.receive("k");
      assert.equal(first.kind, "new");
      const again = s.receive("k");
      assert.equal(again.kind, "retransmission");
      assert.equal(again.tx.state, "trying");
      assert.equal(again.tx.last, undefined);
    });

    await t.step("Proceeding on 1xx, Completed on a final one, then no second final", () => {
      const s = new ServerTransactions(new FakeClock(), TIMER_J_MS, 32_000, LOG);
      const { tx } = s.receive("k");
      assert.equal(s.responded(tx, 100, new Uint8Array([1])), true);
      assert.equal(tx.state, "proceeding");
      assert.equal(s.responded(tx, 202, new Uint8Array([2])), true);
      assert.equal(tx.state, "completed");
      assert.deepEqual(tx.last, new Uint8Array([2]));
      assert.equal(s.responded(tx, 500, new Uint8Array([3])), false);
      assert.deepEqual(tx.last, new Uint8Array([2]));
    });

    await t.step("Completed lasts Timer J, then the key is new again", () => {
      const clock = new FakeClock();
      const s = new ServerTransactions(clock, TIMER_J_MS, 32_000, LOG);
      const { tx } = s.receive("k");
      s.responded(tx, 200, new Uint8Array([2]));
      clock.advance(TIMER_J_MS - 1);
      assert.equal(s.receive("k").kind, "retransmission");
      clock.advance(1);
      assert.equal(s.size, 0);
      assert.equal(s.receive("k").kind, "new");
    });

    await t.step("a TU that never answers: dropped after the timeout, logged as error", () => {
      const clock = new FakeClock();
      const s = new ServerTransactions(clock, TIMER_J_MS, 1000, LOG);
      s.receive("k");
      clock.advance(1000);
      assert.equal(s.size, 0);
      assert.ok(logs.lines.some((l) => l.startsWith("error ") && l.includes("no final response")));
    });

    await t.step("clear() cancels every timer", () => {
      const clock = new FakeClock();
      const s = new ServerTransactions(clock, TIMER_J_MS, 1000, LOG);
      s.receive("a");
      s.responded(s.receive("b").tx, 200, new Uint8Array());
      s.clear();
      assert.equal(s.size, 0);
      assert.equal(clock.pending, 0);
    });
  } finally {
    logs.restore();
  }
});

Deno.test("client transactions", async (t) => {
  const logs = captureLogs();
  try {
    await t.step("1xx is skipped, the final response resolves and ends it", async () => {
      const clock = new FakeClock();
      const c = new ClientTransactions(clock, LOG);
      const p = c.start("b|MESSAGE", 1, 32_000);
      assert.equal(c.response("b|MESSAGE", response(100)), true);
      assert.equal(c.response("other|MESSAGE", response(200)), false);
      assert.equal(c.response("b|MESSAGE", response(202)), true);
      assert.equal((await p).status, 202);
      assert.equal(c.size, 0);
      assert.equal(clock.pending, 0);
      assert.equal(c.response("b|MESSAGE", response(200)), false);
    });

    await t.step("Timer F rejects with SipTransactionTimeout, in Proceeding too", async () => {
      const clock = new FakeClock();
      const c = new ClientTransactions(clock, LOG);
      const p = c.start("b|MESSAGE", 1, 5000);
      c.response("b|MESSAGE", response(180));
      clock.advance(4999);
      assert.equal(c.size, 1);
      clock.advance(1);
      await assert.rejects(p, SipTransactionTimeout);
      assert.equal(c.size, 0);
    });

    await t.step("a closed connection fails only its own transactions", async () => {
      const c = new ClientTransactions(new FakeClock(), LOG);
      const mine = c.start("a|MESSAGE", 1, 5000);
      const other = c.start("b|MESSAGE", 2, 5000);
      c.connectionClosed(1);
      await assert.rejects(mine, SipConnectionClosed);
      assert.equal(c.size, 1);
      c.clear();
      await assert.rejects(other, SipConnectionClosed);
    });
  } finally {
    logs.restore();
  }
});

Deno.test("server transactions: the table is bounded, making room from finished ones", () => {
  const s = new ServerTransactions(new FakeClock(), TIMER_J_MS, 32_000, LOG);
  const txs = [];
  for (let i = 0; i < SERVER_TRANSACTIONS_MAX; i++) txs.push(s.receive(`k${i}`).tx);
  assert.equal(s.hasRoomFor("new"), false, "every one is still running");
  assert.equal(s.hasRoomFor("k5"), true, "a retransmission is always taken");
  s.responded(txs[7], 200, new Uint8Array([1]));
  assert.equal(s.hasRoomFor("new"), true, "a finished one makes room");
  assert.equal(s.receive("new").kind, "new");
  assert.equal(s.size, SERVER_TRANSACTIONS_MAX);
  s.clear();
});
