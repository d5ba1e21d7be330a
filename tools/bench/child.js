// @ts-check
/**
 * One measured run of the program, started by tools/bench.ts as a fresh Node process.
 *
 * Plain CommonJS on purpose: the child must not need ts-node to start, so each mode loads exactly
 * what a real `pulumi up` would load and nothing more.
 *
 *   node tools/bench/child.js <mode> <stack> <root>
 *
 * modes
 *   transpile  ts-node registered the way @pulumi/pulumi/cmd/run/run.js registers it, with
 *              `transpileOnly: true` (what tsconfig.json "ts-node".transpileOnly or
 *              PULUMI_NODEJS_TRANSPILE_ONLY=true give a real run), then the program under mocks
 *   typecheck  the same with `transpileOnly: false` (ts-node's default: a real run today when
 *              nothing turns type-checking off)
 *   prebuilt   no ts-node, no TypeScript: the program compiled to JavaScript in <root>
 *              (a `tsc` output directory with the stack files copied beside it), entered through
 *              the stale-build check `main.js` that `npm run build` writes (build-entry.ts)
 *
 * It prints one JSON line: {"mode","resources","ms":{load,run},"maxRssKb","cpuMs"} (the bench
 * prefers /usr/bin/time's figures, which include process start-up and exit).
 */
"use strict";
const fs = require("fs");
const path = require("path");

const [mode, stack, rootArg] = process.argv.slice(2);
const root = path.resolve(rootArg ?? process.cwd());
const t0 = process.hrtime.bigint();

/** What run.js does when PULUMI_NODEJS_TYPESCRIPT=true (the `typescript` runtime option, default on). */
function registerTsNodeLikePulumi(transpileOnly) {
    const tsConfigPath = path.join(root, "tsconfig.json");
    // run.js reads compilerOptions with the TypeScript parser and spreads them over its defaults.
    const ts = require("typescript");
    const parsed = ts.parseConfigFileTextToJson(tsConfigPath, fs.readFileSync(tsConfigPath, "utf8")).config ?? {};
    const compilerOptions = parsed.compilerOptions ?? {};
    require("ts-node").register({
        compiler: "typescript",
        transpileOnly,
        project: tsConfigPath,
        skipProject: false,
        compilerOptions: {
            target: "ES2020",
            module: "nodenext",
            moduleResolution: "nodenext",
            sourceMap: "true",
            ...compilerOptions,
        },
    });
}

async function main() {
    // @pulumi/pulumi/cmd/run/index.js enables source maps before anything else; every resource
    // captures a stack trace, so mapped frames are part of the real cost.
    // BENCH_NO_SOURCE_MAPS=1 leaves it out, only to measure its share (a real run cannot).
    if (process.env.BENCH_NO_SOURCE_MAPS !== "1") {
        require(require.resolve("source-map-support/register", { paths: [require.resolve("@pulumi/pulumi", { paths: [root] })] }));
    }
    let runStack;
    if (mode === "transpile" || mode === "typecheck") {
        registerTsNodeLikePulumi(mode === "transpile");
        const runner = require(path.join(root, "tools", "offline", "run"));
        runStack = (/** @type {string} */ s) => runner.runStack(s);
    } else if (mode === "prebuilt") {
        const runner = require(path.join(root, "tools", "offline", "run.js"));
        runStack = (/** @type {string} */ s) =>
            runner.runProgram({
                stack: s,
                config: runner.loadStackFile(s),
                // The guarded entry of `npm run build` (tools/bench/build-entry.ts) when present.
                program: () => ({ ...require(path.join(root, fs.existsSync(path.join(root, "main.js")) ? "main.js" : "index.js")) }),
            });
    } else {
        throw new Error(`unknown mode '${mode}': expected transpile, typecheck or prebuilt`);
    }
    const t1 = process.hrtime.bigint();
    const run = await runStack(stack);
    const t2 = process.hrtime.bigint();
    const line = {
        mode,
        resources: run.resources.length,
        ms: { load: Number(t1 - t0) / 1e6, run: Number(t2 - t1) / 1e6 },
        maxRssKb: process.resourceUsage().maxRSS,
        cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
}

main().then(
    () => process.exit(0),
    (err) => {
        process.stderr.write(`${err && err.stack ? err.stack : String(err)}\n`);
        process.exit(1);
    },
);
