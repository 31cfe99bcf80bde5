/**
 * A whole SMSC for downlink tests: a temp state directory, a config with one
 * `[downlink.peer.NAME]` listener per peer, real `smsc core`, the peers added
 * with `smsc numbers`, and one real `smsc downlink NAME` each.
 *
 * @module
 */

import { type Daemon, startDaemon } from "./daemon.ts";
import { runSmsc } from "./spawn.ts";

/** One downstream peer of the site. */
export interface SitePeer {
  name: string;
  systemId: string;
  password: string;
  /** Pool entries as `smsc numbers pool add` takes them, e.g. "+1303555*". */
  pool: string[];
  maxBinds?: number;
  upstream?: boolean;
  /** Extra lines for its `[downlink.peer.NAME]` table. */
  config?: string;
}

/** A running site. */
export interface Site {
  dir: string;
  core: Daemon;
  /** The plain listener port of each peer. */
  ports: Record<string, number>;
  downlinks: Record<string, Daemon>;
  /** Runs `smsc ARGS` in the site (with its config). */
  smsc(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Starts (again) the downlink of a peer and waits until it is registered with core. */
  startDownlink(peer: string): Promise<Daemon>;
  /** Starts core again after a kill. */
  restartCore(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (released before it is used; fine on loopback in tests). */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/**
 * Runs `fn` against a fresh site and tears it down; on failure prints every
 * daemon's output.
 */
export async function withDownlinkSite<T>(
  options: { peers: SitePeer[]; config?: string },
  fn: (site: Site) => Promise<T>,
): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "smsc-downlink-" });
  const ports: Record<string, number> = {};
  const downlinks: Record<string, Daemon> = {};
  let core: Daemon | undefined;
  let ok = false;
  const tables = options.peers.map((p) => {
    ports[p.name] = freePort();
    return `[downlink.peer.${p.name}]\nlisten = "127.0.0.1:${ports[p.name]}"\n${p.config ?? ""}\n`;
  });
  const config =
    `[log]\nlevel = "info"\n[downlink]\nauth_delay_ms_min = 200\nauth_delay_ms_max = 400\n` +
    `${options.config ?? ""}\n${tables.join("")}`;
  await Deno.writeTextFile(`${dir}/config.toml`, config);
  const smsc = async (args: string[], stdin?: string) => {
    const r = await runSmsc([...args.slice(0, 1), ...args.slice(1)], {
      cwd: dir,
      stdin,
      env: { SMSC_CONFIG: "config.toml" },
    });
    return { code: r.code, stdout: r.stdout, stderr: r.stderr };
  };
  const startDownlink = async (peer: string) => {
    const d = await startDaemon(["downlink", peer, "--config", "config.toml"], {
      cwd: dir,
      ready: / downlink registered with core/,
    });
    downlinks[peer] = d;
    return d;
  };
  try {
    core = await startDaemon(["core", "--config", "config.toml"], {
      cwd: dir,
      ready: / core ready /,
    });
    for (const p of options.peers) {
      const args = [
        "numbers",
        "peer",
        "add",
        p.name,
        "--system-id",
        p.systemId,
        "--password-stdin",
      ];
      args.push("--max-binds", String(p.maxBinds ?? 4));
      if (p.upstream) args.push("--upstream");
      const r = await smsc(args, `${p.password}\n`);
      if (r.code !== 0) throw new Error(`peer add ${p.name}: ${r.stderr}`);
      for (const entry of p.pool) {
        const pr = await smsc(["numbers", "pool", "add", p.name, entry]);
        if (pr.code !== 0) throw new Error(`pool add ${p.name} ${entry}: ${pr.stderr}`);
      }
    }
    for (const p of options.peers) await startDownlink(p.name);
    const site: Site = {
      dir,
      get core() {
        return core!;
      },
      ports,
      downlinks,
      smsc,
      startDownlink,
      restartCore: async () => {
        core = await startDaemon(["core", "--config", "config.toml"], {
          cwd: dir,
          ready: / core ready /,
        });
      },
    };
    const result = await fn(site);
    ok = true;
    return result;
  } finally {
    for (const [name, d] of Object.entries(downlinks)) {
      const status = await d.stop();
      if (ok && status.code !== 0 && status.signal === null) {
        ok = false;
        // deno-lint-ignore no-console
        console.error(`downlink ${name} exited with ${status.code}`);
      }
    }
    if (core) await core.stop();
    if (!ok) {
      for (
        const [name, d] of [["core", core], ...Object.entries(downlinks)] as [
          string,
          Daemon | undefined,
        ][]
      ) {
        // deno-lint-ignore no-console
        if (d) console.error(`--- output of ${name} ---\n${d.output()}`);
      }
    }
    await Deno.remove(dir, { recursive: true });
  }
}
