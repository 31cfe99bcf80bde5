/**
 * The checks behind scripts/check_layers.ts, importable by its test.
 *
 * @module
 */

/** Which layers each layer may import (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  lib: [],
  codec: ["lib"],
  proto: ["lib", "codec"],
  store: ["lib", "codec", "proto"],
  transport: ["lib", "codec", "proto"],
  config: ["lib"],
  core: ["lib", "codec", "proto", "store", "transport", "config"],
  // Role handlers read numbers.db (peer credentials), never write it.
  roles: ["lib", "codec", "proto", "store", "transport", "config"],
  tools: ["lib", "codec", "proto", "store", "transport", "config"],
  cli: ["lib", "codec", "proto", "store", "transport", "config", "core", "roles", "tools"],
  main: ["cli"],
};

/**
 * Imports allowed across the table, each with its reason. `tools` may use the
 * pure numbering plans of core to normalise numbers the way admission does.
 */
const EXCEPTIONS: readonly { from: RegExp; to: RegExp }[] = [
  { from: /^src\/tools\//, to: /^src\/core\/numbering\// },
];

/** What codec/ and proto/ must not mention (STYLE.md §2). */
const IMPURE: readonly [string, RegExp][] = [
  ["Deno.", /\bDeno\./],
  ["setTimeout", /\bsetTimeout\(/],
  ["setInterval", /\bsetInterval\(/],
  ["Date.now", /\bDate\.now\(/],
  ["console", /\bconsole\./],
  ["crypto.getRandomValues", /\bcrypto\.getRandomValues\(/],
  ["Math.random", /\bMath\.random\(/],
];

function layerOf(path: string): string | undefined {
  if (path === "main.ts") return "main";
  const m = path.match(/^src\/([^/]+)\//);
  return m ? m[1] : undefined;
}

async function* walk(dir: string, rel: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const path = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory) yield* walk(`${dir}/${e.name}`, path);
    else if (e.name.endsWith(".ts")) yield path;
  }
}

function normalize(parts: string[]): string {
  const out: string[] = [];
  for (const p of parts) {
    if (p === "..") out.pop();
    else if (p !== ".") out.push(p);
  }
  return out.join("/");
}

function specifiers(text: string): string[] {
  const re =
    /(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|(?:^|\n)\s*import\s*["']([^"']+)["']/g;
  const out: string[] = [];
  for (const m of text.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

function checkImport(file: string, spec: string, violations: string[]): void {
  const from = layerOf(file)!;
  if (spec.startsWith("npm:") || spec === "smpp" || spec === "ws" || spec === "smol-toml") {
    const pkg = spec.replace(/^npm:/, "").split("@")[0];
    if (pkg === "smpp" && !file.startsWith("src/codec/smpp/")) {
      violations.push(`${file}: imports npm:smpp outside src/codec/smpp`);
    }
    if ((from === "codec" || from === "proto") && !file.startsWith("src/codec/smpp/")) {
      violations.push(`${file}: ${from} must not import npm package "${spec}"`);
    }
    return;
  }
  if (!spec.startsWith(".")) return;
  const target = normalize([...file.split("/").slice(0, -1), ...spec.split("/")]);
  const to = layerOf(target);
  if (to === undefined) return;
  const fileDir = file.split("/").slice(0, -1).join("/");
  const targetDir = target.split("/").slice(0, -1).join("/");
  const base = target.split("/").pop()!;
  if (base.startsWith("_") && fileDir !== targetDir) {
    violations.push(`${file}: imports ${target}, which is private to ${targetDir}`);
  }
  if (to === from) return;
  if (ALLOWED[from]?.includes(to)) return;
  if (EXCEPTIONS.some((x) => x.from.test(file) && x.to.test(target))) return;
  violations.push(`${file}: layer ${from} must not import layer ${to} (${target})`);
}

/**
 * Lists every violation in the tree at `root`.
 *
 * @param root the repository root
 * @returns one line per violation, empty when the tree keeps the rule
 */
export async function findViolations(root: string): Promise<string[]> {
  const violations: string[] = [];
  const files = ["main.ts"];
  for await (const f of walk(`${root}/src`, "src")) files.push(f);
  for (const file of files.sort()) {
    if (file.endsWith("_test.ts") || file.endsWith("_bench.ts")) continue;
    const text = await Deno.readTextFile(`${root}/${file}`);
    for (const spec of specifiers(text)) checkImport(file, spec, violations);
    const layer = layerOf(file);
    if (layer === "codec" || layer === "proto") {
      const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
      for (const [name, re] of IMPURE) {
        if (re.test(code)) violations.push(`${file}: ${layer} must stay pure but uses ${name}`);
      }
    }
  }
  return violations;
}
