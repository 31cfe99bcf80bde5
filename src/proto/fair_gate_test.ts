import { deepStrictEqual, rejects, strictEqual, throws } from "node:assert/strict";
import { FairGate } from "./fair_gate.ts";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => resolve = r);
  return { promise, resolve };
}

Deno.test("FairGate serves waiting keys round robin, whatever their queue depth", async () => {
  const gate = new FairGate(1);
  const order: string[] = [];
  const hold = deferred();
  const first = gate.run("flood", () => hold.promise);
  const all: Promise<void>[] = [first];
  for (let i = 0; i < 6; i++) {
    all.push(gate.run("flood", () => Promise.resolve(void order.push(`f${i}`))));
  }
  for (const k of ["a", "b"]) {
    for (let i = 0; i < 2; i++) {
      all.push(gate.run(k, () => Promise.resolve(void order.push(`${k}${i}`))));
    }
  }
  strictEqual(gate.running, 1);
  strictEqual(gate.waiting, 10);
  hold.resolve();
  await Promise.all(all);
  deepStrictEqual(order, ["f0", "a0", "b0", "f1", "a1", "b1", "f2", "f3", "f4", "f5"]);
  strictEqual(gate.running, 0);
});

Deno.test("FairGate runs up to its limit at once and passes results and errors through", async () => {
  const gate = new FairGate(3);
  let now = 0;
  let most = 0;
  const tasks = Array.from({ length: 10 }, (_, i) =>
    gate.run(i % 2, async () => {
      now++;
      most = Math.max(most, now);
      await new Promise((r) => setTimeout(r, 2));
      now--;
      return i;
    }));
  deepStrictEqual(await Promise.all(tasks), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  strictEqual(most, 3);
  await rejects(gate.run("x", () => Promise.reject(new Error("boom"))), /boom/);
  strictEqual(gate.running, 0);
  throws(() => new FairGate(0), RangeError);
});

Deno.test("FairGate never gives one key more than perKeyLimit slots", async () => {
  const gate = new FairGate(100, 2);
  let flood = 0;
  let most = 0;
  const tasks = Array.from({ length: 20 }, () =>
    gate.run("flood", async () => {
      flood++;
      most = Math.max(most, flood);
      await new Promise((r) => setTimeout(r, 1));
      flood--;
    }));
  let other = 0;
  await gate.run("other", () => Promise.resolve(void other++));
  strictEqual(other, 1, "another key starts at once while the flood waits");
  await Promise.all(tasks);
  strictEqual(most, 2);
});
