/**
 * Start-up benchmark (`npm run bench`): how much does running the program cost on top of the bare
 * cost of loading the Pulumi SDKs, with and without run-time type-checking?
 *
 * Every measurement is a fresh Node process, started the way the engine starts the program, and
 * the rows are interleaved (a, b, b', c, d, a, b, ...) so that load from other users of the
 * machine spreads over all of them. Wall time is what a user waits for; CPU time (user + sys) is
 * steadier on a shared machine, so both are reported, with the child's peak RSS.
 *
 *   (a)  bare:      node -e "require('@pulumi/pulumi'); require('@pulumi/aws')"
 *   (b)  program:   the stack's whole program under mocks, run the way real runs run it
 *                   (CHOSEN_MODE below; see docs/performance.md for the decision)
 *   (b') other:     the same with the alternative we did not choose, for comparison (--skip other)
 *   (c)  typecheck: the same through ts-node WITH type-checking (ts-node's default)
 *   (d)  policy:    the offline policy preview of the stack (tools/policy-preview.ts, if present)
 *   (b0) diagnostic: (b) without the source-map hook that @pulumi/pulumi/cmd/run always installs
 *                   (every resource captures a mapped stack trace): the SDK's share, not avoidable
 *   (bk) before:    (b) with the SDK's per-promise stack capture kept (PLATFORM_SDK_PROMISE_STACKS=keep,
 *                   components/startup/promise-stacks.ts): what the tuning saves
 *   (f)  floor:     as many trivial resources as (b) has (aws.ssm.Parameter in one component, echo
 *                   mocks) on the same run path: what any program of that size pays (tools/bench/floor.js)
 *   (i*) imports:   @pulumi/pulumi alone, and with only the @pulumi/aws submodules the program uses
 *
 * Usage: ts-node --transpile-only tools/bench.ts [--runs 5] [--typecheck-runs 3] [--stack prod]
 *          [--skip typecheck,policy,other,diag,imports,floor] [--json reports/bench.json]
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { ENTRY, staleSources, Stamp, STAMP, writeEntry } from "./bench/build-entry";

const ROOT = path.resolve(__dirname, "..");
const CHILD = path.join(__dirname, "bench", "child.js");
const FLOOR = path.join(__dirname, "bench", "floor.js");
const TIME = "/usr/bin/time";

/** How real runs execute the program (the decision of docs/performance.md). */
export const CHOSEN_MODE: "transpile" | "prebuilt" = "prebuilt";

interface Options {
    runs: number;
    typecheckRuns: number;
    stack: string;
    skip: Set<string>;
    json?: string;
}

function parseArgs(argv: string[]): Options {
    const opts: Options = { runs: 5, typecheckRuns: -1, stack: "prod", skip: new Set() };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const next = (): string => {
            const v = argv[++i];
            if (v === undefined) {
                throw new Error(`${a} needs a value`);
            }
            return v;
        };
        if (a === "--runs" || a === "-n") opts.runs = positive(a, next());
        else if (a === "--typecheck-runs") opts.typecheckRuns = positive(a, next());
        else if (a === "--stack") opts.stack = next();
        else if (a === "--skip") next().split(",").forEach((s) => opts.skip.add(s.trim()));
        else if (a === "--json") opts.json = next();
        else if (a === "--help" || a === "-h") {
            console.log(fs.readFileSync(__filename, "utf8").split("*/")[0]);
            process.exit(0);
        } else throw new Error(`unknown argument ${a}; see --help`);
    }
    if (opts.typecheckRuns < 0) {
        opts.typecheckRuns = Math.min(opts.runs, 3);
    }
    return opts;
}

function positive(flag: string, v: string): number {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) {
        throw new Error(`${flag}: expected a whole number >= 1, got ${v}`);
    }
    return n;
}

export interface Sample {
    wallMs: number;
    cpuMs?: number;
    maxRssKb?: number;
    resources?: number;
}

interface Row {
    key: string;
    label: string;
    runs: number;
    /** Command and arguments; run under /usr/bin/time when it exists. */
    argv: string[];
    cwd?: string;
    env?: Record<string, string>;
    /** Exit codes that are results, not failures (the policy preview exits 1 on a violation). */
    okCodes?: number[];
    samples: Sample[];
    note?: string;
}

/** BENCH_NO_TIME=1 exercises the fallback: each child reports its own maxRSS and CPU time. */
const hasTime = fs.existsSync(TIME) && process.env.BENCH_NO_TIME !== "1";

/** A snippet appended to `node -e` rows when /usr/bin/time is missing, so the child reports itself. */
const SELF_REPORT = `;const u=process.resourceUsage();console.log(JSON.stringify({maxRssKb:u.maxRSS,cpuMs:(u.userCPUTime+u.systemCPUTime)/1000}))`;

function measure(row: Row): Sample {
    const tmp = path.join(os.tmpdir(), `bench-time-${process.pid}.txt`);
    const argv = hasTime ? [TIME, "-f", "%U %S %M", "-o", tmp, ...row.argv] : row.argv;
    const start = process.hrtime.bigint();
    const res = spawnSync(argv[0], argv.slice(1), { cwd: row.cwd ?? ROOT, env: { ...process.env, ...row.env }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (!(row.okCodes ?? [0]).includes(res.status ?? -1)) {
        throw new Error(`${row.label}: '${row.argv.join(" ")}' exited with ${res.status}\n${(res.stderr ?? "").slice(-3000)}`);
    }
    const sample: Sample = { wallMs };
    if (hasTime) {
        const [u, s, m] = fs.readFileSync(tmp, "utf8").trim().split(/\s+/).slice(-3).map(Number);
        sample.cpuMs = (u + s) * 1000;
        sample.maxRssKb = m;
    }
    const last = (res.stdout ?? "").trim().split("\n").pop() ?? "";
    if (last.startsWith("{")) {
        const reported = JSON.parse(last) as { maxRssKb?: number; cpuMs?: number; resources?: number };
        sample.resources = reported.resources;
        sample.maxRssKb = sample.maxRssKb ?? reported.maxRssKb;
        sample.cpuMs = sample.cpuMs ?? reported.cpuMs;
    }
    return sample;
}

export function median(values: number[]): number {
    if (values.length === 0) {
        return NaN;
    }
    const s = [...values].sort((x, y) => x - y);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The @pulumi/aws submodules the program's own files use (`aws.<module>.X`), for the narrow-import row. */
function awsModulesUsed(): string[] {
    const found = new Set<string>();
    const walk = (dir: string) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            const p = path.join(dir, e.name);
            if (e.isDirectory()) walk(p);
            else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")) {
                for (const m of fs.readFileSync(p, "utf8").matchAll(/\baws\.([a-z0-9]+)\.[A-Z]/g)) found.add(m[1]);
            }
        }
    };
    walk(path.join(ROOT, "components"));
    return [...found].sort();
}

/**
 * Compiles the project to JavaScript without type-checking for the prebuilt row, with the guarded
 * entry of `npm run build` (the stale-build check is part of what a real run pays).
 */
function buildPrebuilt(): { dir: string; ms: number } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-prebuilt-"));
    const tsc = require.resolve("typescript/bin/tsc", { paths: [ROOT] });
    const start = process.hrtime.bigint();
    const res = spawnSync(process.execPath, [tsc, "-p", "tsconfig.json", "--noCheck", "--outDir", dir, "--declaration", "false"], { cwd: ROOT, encoding: "utf8" });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (!fs.existsSync(path.join(dir, "index.js"))) {
        throw new Error(`prebuilt: tsc produced no index.js (exit ${res.status})\n${res.stdout}${res.stderr}`);
    }
    writeEntry(ROOT, dir);
    for (const f of fs.readdirSync(ROOT)) {
        if (/^Pulumi(\..+)?\.ya?ml$/.test(f)) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
    }
    fs.symlinkSync(fs.realpathSync(path.join(ROOT, "node_modules")), path.join(dir, "node_modules"));
    return { dir, ms };
}

function policyPreviewTool(): string | undefined {
    const file = path.join(ROOT, "tools", "policy-preview.ts");
    return fs.existsSync(file) ? file : undefined;
}

const fmtS = (ms: number) => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : "-");
const fmtMb = (kb: number) => (Number.isFinite(kb) ? (kb / 1024).toFixed(0) : "-");

function main(): void {
    const opts = parseArgs(process.argv.slice(2));
    const node = process.execPath;
    const notes: string[] = [];
    const load0 = os.loadavg();
    const rows: Row[] = [];
    const selfReport = hasTime ? "" : SELF_REPORT;

    if (!opts.skip.has("imports")) {
        rows.push({ key: "i1", label: "(i1) node + @pulumi/pulumi only", runs: opts.runs, argv: [node, "-e", `require('@pulumi/pulumi')${selfReport}`], samples: [] });
    }
    rows.push({ key: "a", label: "(a) node + @pulumi/pulumi + @pulumi/aws (bare)", runs: opts.runs, argv: [node, "-e", `require('@pulumi/pulumi'); require('@pulumi/aws')${selfReport}`], samples: [] });
    if (!opts.skip.has("imports")) {
        const mods = awsModulesUsed();
        const reqs = mods.map((m) => `require('@pulumi/aws/${m}')`).join("; ");
        rows.push({ key: "i2", label: `(i2) node + @pulumi/pulumi + ${mods.length} aws submodules`, runs: opts.runs, argv: [node, "-e", `require('@pulumi/pulumi'); require('@pulumi/aws/provider'); ${reqs}${selfReport}`], samples: [], note: mods.join(",") });
    }
    const modeRow = (mode: "transpile" | "prebuilt", dir: string): Row => ({
        key: mode === CHOSEN_MODE ? "b" : "b'",
        label: `${mode === CHOSEN_MODE ? "(b)" : "(b')"} ${opts.stack} program under mocks, ${mode === "transpile" ? "ts-node transpile-only" : "prebuilt JS (no ts-node)"}${mode === CHOSEN_MODE ? " [chosen]" : ""}`,
        runs: opts.runs,
        argv: [node, CHILD, mode, opts.stack, dir],
        samples: [],
    });
    const wanted = (mode: "transpile" | "prebuilt") => mode === CHOSEN_MODE || !opts.skip.has("other");
    if (wanted("transpile")) {
        rows.push(modeRow("transpile", ROOT));
    }
    let prebuiltDir: string | undefined;
    if (wanted("prebuilt")) {
        const built = buildPrebuilt();
        prebuiltDir = built.dir;
        notes.push(`prebuilt JS compiled once with 'tsc --noCheck' + build-entry in ${fmtS(built.ms)} s (not part of the timings)`);
        rows.push(modeRow("prebuilt", built.dir));
        if (!opts.skip.has("diag")) {
            rows.push({ ...modeRow("prebuilt", built.dir), key: "b0", label: "(b0) (b) without the SDK's source-map hook [diagnostic]", env: { BENCH_NO_SOURCE_MAPS: "1" }, samples: [] });
            rows.push({ ...modeRow("prebuilt", built.dir), key: "bk", label: "(bk) (b) keeping the SDK's per-promise stacks [before]", env: { PLATFORM_SDK_PROMISE_STACKS: "keep" }, samples: [] });
        }
        if (!opts.skip.has("floor")) {
            const count = snapshotCount(opts.stack);
            rows.push({ key: "f", label: `(f) SDK floor: ${count} trivial resources, same run path`, runs: opts.runs, argv: [node, FLOOR, String(count), built.dir], samples: [] });
        }
    }
    if (!opts.skip.has("typecheck")) {
        rows.push({ key: "c", label: `(c) ${opts.stack} program under mocks, ts-node WITH type-check`, runs: opts.typecheckRuns, argv: [node, CHILD, "typecheck", opts.stack, ROOT], samples: [] });
    }
    const policy = policyPreviewTool();
    if (opts.skip.has("policy")) {
        notes.push("(d) policy preview skipped (--skip policy)");
    } else if (!policy) {
        notes.push("(d) policy preview skipped: tools/policy-preview.ts is not on this branch yet (merge main and re-run)");
    } else {
        rows.push({ key: "d", label: `(d) offline policy preview of ${opts.stack} (npm run policy:preview)`, runs: opts.runs, argv: [node, "-r", "ts-node/register/transpile-only", policy, "--stack", opts.stack, "--quiet"], okCodes: [0, 1], samples: [] });
    }
    rows.sort((x, y) => order(x.key) - order(y.key));

    console.log(`bench: ${os.cpus().length} cores (nproc ${nproc()}), ${os.cpus()[0]?.model ?? "unknown cpu"}, node ${process.version}, load average ${load0.map((l) => l.toFixed(2)).join(" ")}`);
    console.log(`bench: ${opts.runs} runs per row (${opts.typecheckRuns} for (c)), interleaved; peak memory = child's maxRSS ${hasTime ? "from /usr/bin/time" : "reported by the child"}`);
    const rounds = Math.max(...rows.map((r) => r.runs));
    for (let i = 0; i < rounds; i++) {
        for (const row of rows) {
            if (row.samples.length < row.runs) {
                const s = measure(row);
                row.samples.push(s);
                process.stderr.write(`  round ${i + 1}/${rounds} ${row.key.padEnd(3)} ${fmtS(s.wallMs)} s wall, ${fmtS(s.cpuMs ?? NaN)} s cpu\n`);
            }
        }
    }
    if (prebuiltDir) {
        fs.rmSync(prebuiltDir, { recursive: true, force: true });
    }

    const med = (key: string, f: (s: Sample) => number | undefined) => {
        const row = rows.find((r) => r.key === key);
        return row ? median(row.samples.map(f).filter((v): v is number => v !== undefined)) : NaN;
    };
    console.log("");
    console.log(`${"row".padEnd(66)} ${"runs".padStart(4)} ${"wall s".padStart(7)} ${"cpu s".padStart(7)} ${"maxRSS MB".padStart(9)} ${"resources".padStart(9)}`);
    for (const row of rows) {
        const resources = row.samples[0]?.resources;
        console.log(`${row.label.padEnd(66)} ${String(row.samples.length).padStart(4)} ${fmtS(med(row.key, (s) => s.wallMs)).padStart(7)} ${fmtS(med(row.key, (s) => s.cpuMs)).padStart(7)} ${fmtMb(med(row.key, (s) => s.maxRssKb)).padStart(9)} ${(resources === undefined ? "" : String(resources)).padStart(9)}`);
    }
    console.log("");
    const ratio = (x: string, y: string, f: (s: Sample) => number | undefined) => med(x, f) / med(y, f);
    const show = (name: string, x: string, y: string, target?: number) => {
        if (!rows.some((r) => r.key === x) || !rows.some((r) => r.key === y)) return;
        const w = ratio(x, y, (s) => s.wallMs);
        const c = ratio(x, y, (s) => s.cpuMs);
        const verdict = target === undefined ? "" : `  (target <= ${target}: ${w <= target ? "met" : "NOT met"} on wall, ${c <= target ? "met" : "NOT met"} on cpu)`;
        console.log(`${name.padEnd(12)} ${w.toFixed(2)}x wall, ${c.toFixed(2)}x cpu${verdict}`);
    };
    show("(b)/(a)", "b", "a", 2);
    show("(b')/(a)", "b'", "a");
    show("(b0)/(a)", "b0", "a");
    show("(bk)/(b)", "bk", "b");
    show("(f)/(a)", "f", "a", 2);
    show("(b)/(f)", "b", "f");
    show("(c)/(b)", "c", "b");
    show("(d)/(a)", "d", "a");
    show("(i2)/(a)", "i2", "a");
    for (const n of notes) console.log(`note: ${n}`);
    console.log(`note: load average after ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} (a shared machine: compare ratios, not absolute seconds)`);
    wiringCheck();

    if (opts.json) {
        fs.mkdirSync(path.dirname(path.resolve(opts.json)), { recursive: true });
        const out = rows.map((r) => ({ key: r.key, label: r.label, note: r.note, samples: r.samples, median: { wallMs: med(r.key, (s) => s.wallMs), cpuMs: med(r.key, (s) => s.cpuMs), maxRssKb: med(r.key, (s) => s.maxRssKb) } }));
        fs.writeFileSync(opts.json, `${JSON.stringify({ cores: nproc(), node: process.version, loadavg: load0, rows: out, notes }, null, 2)}\n`);
        console.log(`wrote ${opts.json}`);
    }
}

function order(key: string): number {
    return ["i1", "a", "i2", "f", "b", "b0", "bk", "b'", "c", "d"].indexOf(key);
}

/** How many resources the stack registers: the lines of its URN snapshot (tests/snapshots). */
function snapshotCount(stack: string): number {
    const file = path.join(ROOT, "tests", "snapshots", `urns.${stack}.txt`);
    if (!fs.existsSync(file)) {
        throw new Error(`(f) needs ${path.relative(ROOT, file)} for the resource count: run 'npm run snapshot:update' or pass --skip floor`);
    }
    return fs.readFileSync(file, "utf8").split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#")).length;
}

function nproc(): number {
    const r = spawnSync("nproc", { encoding: "utf8" });
    return r.status === 0 ? Number(r.stdout.trim()) : os.cpus().length;
}

/** Says whether a plain `pulumi up` in this checkout would really run the way (b) measures. */
function wiringCheck(): void {
    const project = parseYaml(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as { runtime?: { options?: Record<string, unknown> } };
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { main?: string; scripts?: Record<string, string> };
    const typescriptOff = project.runtime?.options?.typescript === false;
    const main = pkg.main ?? "index.js";
    const problems: string[] = [];
    if (!typescriptOff) problems.push("Pulumi.yaml runtime.options.typescript is not false (the language host loads ts-node and TypeScript)");
    if (main !== `bin/${ENTRY}`) problems.push(`package.json "main" is '${main}', not 'bin/${ENTRY}'`);
    if (!/build-entry/.test(pkg.scripts?.build ?? "")) problems.push("package.json 'build' does not write the guarded entry (tools/bench/build-entry.ts)");
    if (problems.length > 0) {
        console.log(`wiring: NOT complete - a plain 'pulumi up' here does not yet run like row (b):\n${problems.map((p) => `  - ${p}`).join("\n")}\n  (the exact changes are in docs/performance.md)`);
        return;
    }
    const stampFile = path.join(ROOT, "bin", STAMP);
    if (!fs.existsSync(stampFile)) {
        console.log("wiring: complete; bin/ is not built yet ('npm run build' before 'pulumi up')");
        return;
    }
    const stale = staleSources(ROOT, JSON.parse(fs.readFileSync(stampFile, "utf8")) as Stamp);
    console.log(`wiring: complete; bin/ is ${stale.length === 0 ? "fresh" : `STALE (${stale.length} source(s) differ): 'pulumi up' would refuse to run until 'npm run build'`}`);
}

if (require.main === module) {
    try {
        main();
    } catch (err) {
        console.error(`bench: ${(err as Error).message}`);
        process.exit(1);
    }
}
