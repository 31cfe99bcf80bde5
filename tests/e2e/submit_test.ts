/**
 * `smsc submit` through the real executable against the real `smsc core` on
 * a temporary state directory: what gets stored, what is printed, and the
 * exit codes of docs/submit.md.
 */

import { deepStrictEqual, match, strictEqual } from "node:assert/strict";
import { withSubcommand } from "../support/daemon.ts";
import { runSmsc } from "../support/spawn.ts";
import { PmsReader } from "../../src/store/pms_reader.ts";
import type { PmsRecord } from "../../src/codec/pms/mod.ts";
import { toHex } from "../../src/lib/bytes.ts";

// Demo subscribers that core adds on a first start (core.demo_numbers).
const SUB = "+12125550100";
const OTHER = "+12125550101";

async function inTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "smsc-submit-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function records(dir: string, indices: number[]): Promise<PmsRecord[]> {
  const reader = await PmsReader.openReadOnly(`${dir}/state/pms.bin`);
  try {
    const out: PmsRecord[] = [];
    for (const i of indices) out.push(await reader.readRecord(i));
    return out;
  } finally {
    await reader.close();
  }
}

function indices(stdout: string): number[] {
  match(stdout, /^(\d+\n)+$/);
  return stdout.trim().split("\n").map(Number);
}

Deno.test("smsc submit stores a short text and prints its index", async () => {
  await inTemp((dir) =>
    withSubcommand(["core"], { cwd: dir }, async () => {
      const r = await runSmsc(["submit", SUB, OTHER], { cwd: dir, stdin: "hello\n" });
      strictEqual(r.stderr, "");
      strictEqual(r.code, 0);
      const [rec] = await records(dir, indices(r.stdout));
      deepStrictEqual(
        [rec.sourceClass, rec.destClass, rec.state, rec.dcs, toHex(rec.ud), rec.routedDa?.digits],
        ["cli", "gsm", "active", 0, "e8329bfd06", "12125550101"],
      );
    })
  );
});

Deno.test("smsc submit splits a long text into consecutive records with one reference", async () => {
  await inTemp((dir) =>
    withSubcommand(["core"], { cwd: dir }, async () => {
      const r = await runSmsc(["submit", "--mr", "254", SUB, OTHER], {
        cwd: dir,
        stdin: "long ".repeat(80),
      });
      strictEqual(r.code, 0, r.stderr);
      const got = indices(r.stdout);
      deepStrictEqual(got, [got[0], got[0] + 1, got[0] + 2]);
      const recs = await records(dir, got);
      deepStrictEqual(recs.map((x) => x.mr), [254, 255, 0]);
      deepStrictEqual(recs.map((x) => x.ud[5]), [1, 2, 3]);
      strictEqual(new Set(recs.map((x) => x.ud[3])).size, 1, "one concatenation reference");
    })
  );
});

Deno.test("smsc submit: UCS-2, alphanumeric source, IMSI addressing, options", async () => {
  await inTemp((dir) =>
    withSubcommand(["core"], { cwd: dir }, async () => {
      const emoji = await runSmsc(["submit", "--srr", "--validity", "3600", SUB, OTHER], {
        cwd: dir,
        stdin: "hi 😀",
      });
      strictEqual(emoji.code, 0, emoji.stderr);
      const alpha = await runSmsc(["submit", "--alpha", "--pid", "0x40", "ThemWi", OTHER], {
        cwd: dir,
        stdin: "notice",
      });
      strictEqual(alpha.code, 0, alpha.stderr);
      const imsi = await runSmsc(["submit", "--imsi", "001010000000001", "--class", "0", SUB], {
        cwd: dir,
        stdin: "flash",
      });
      strictEqual(imsi.code, 0, imsi.stderr);
      const [e, a, i] = await records(dir, [
        ...indices(emoji.stdout),
        ...indices(alpha.stdout),
        ...indices(imsi.stdout),
      ]);
      deepStrictEqual([e.dcs, e.srr, e.validityS, toHex(e.ud)], [
        8,
        true,
        3600,
        "006800690020d83dde00",
      ]);
      deepStrictEqual([a.oa, a.pid], [{ ton: 5, npi: 0, text: "ThemWi" }, 0x40]);
      deepStrictEqual([i.imsiAddressed, i.destImsi, i.da, i.destClass, i.dcs], [
        true,
        "001010000000001",
        null,
        "gsm",
        0x10,
      ]);
    })
  );
});

Deno.test("smsc submit --sms-lang takes FreeCalypso sms-encode-text input", async () => {
  await inTemp((dir) =>
    withSubcommand(["core"], { cwd: dir }, async () => {
      const input = "dcs 0 septet\npid 0\nmr 5\nmsg 48656C6C6F\n";
      const r = await runSmsc(["submit", "--sms-lang", SUB, OTHER], { cwd: dir, stdin: input });
      strictEqual(r.code, 0, r.stderr);
      const [rec] = await records(dir, indices(r.stdout));
      deepStrictEqual([rec.mr, rec.udl, toHex(rec.ud)], [5, 5, "c8329bfd06"]);
    })
  );
});

Deno.test("smsc submit prints core's reason and exits 65 on a rejection", async () => {
  await inTemp((dir) =>
    withSubcommand(["core"], { cwd: dir }, async () => {
      const r = await runSmsc(["submit", SUB, "1125550101"], { cwd: dir, stdin: "x" });
      strictEqual(r.code, 65);
      strictEqual(r.stdout, "");
      strictEqual(
        r.stderr,
        "smsc submit: rejected: dest-invalid: the destination address is not valid in the numbering plan\n",
      );
    })
  );
});

Deno.test("smsc submit without core prints one line and exits 69", async () => {
  await inTemp(async (dir) => {
    const r = await runSmsc(["submit", SUB, OTHER], { cwd: dir, stdin: "hello" });
    strictEqual(r.code, 69);
    strictEqual(r.stdout, "");
    match(r.stderr, /^smsc submit: Cannot connect to core at state\/core\.sock: [^\n]+\n$/);
  });
});

Deno.test("smsc submit with bad arguments exits 2", async () => {
  await inTemp(async (dir) => {
    for (
      const [args, first] of [
        [[SUB], "smsc submit: missing argument: expected SRC DEST"],
        [
          ["--dcs", "4", SUB, OTHER],
          'smsc submit: option "--dcs" goes with --sms-lang; for text use --class or --ucs2',
        ],
        [
          ["--alpha", "far too long", OTHER],
          'smsc submit: SRC "far too long" must be 1-11 GSM 7 bit septets with --alpha: it has 12',
        ],
      ] as const
    ) {
      const r = await runSmsc(["submit", ...args], { cwd: dir, stdin: "x" });
      strictEqual(r.code, 2, args.join(" "));
      strictEqual(r.stderr.split("\n")[0], first);
    }
  });
});
