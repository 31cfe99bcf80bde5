import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { IdQueue } from "./id_queue.ts";

Deno.test("IdQueue keeps FIFO order through push, shift, unshift and remove", () => {
  const q = new IdQueue();
  strictEqual(q.shift(), undefined);
  for (let i = 0; i < 5000; i++) q.push(i);
  for (let i = 0; i < 3000; i++) strictEqual(q.shift(), i);
  q.unshift(2999);
  strictEqual(q.length, 2001);
  strictEqual(q.remove(4000), true);
  strictEqual(q.remove(4000), false);
  const rest = q.toArray();
  strictEqual(rest.length, 2000);
  deepStrictEqual(rest.slice(0, 3), [2999, 3000, 3001]);
  strictEqual(rest.includes(4000), false);
  while (q.length > 0) q.shift();
  q.unshift(7);
  deepStrictEqual(q.toArray(), [7]);
});
