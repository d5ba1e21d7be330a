// @ts-check
/**
 * The SDK's floor for a program of N resources: what any Pulumi TypeScript program with that many
 * resources pays, whatever it does, on the same run path as row (b). Started by tools/bench.ts.
 *
 *   node tools/bench/floor.js <resources> <root>
 *
 * It does what `@pulumi/pulumi/cmd/run` does before a program (the source-map hook), applies the
 * same start-up tuning as the program (components/startup/promise-stacks, compiled in <root>),
 * sets the cheapest possible mocks (inputs echoed as state) and registers N `aws.ssm.Parameter`s
 * in one component: one small resource type, no config, no validation, no applies. The platform's
 * own cost is (b) minus this row.
 *
 * It prints one JSON line: {"mode":"floor","resources","cpuMs","maxRssKb","tuning"}.
 */
"use strict";
const path = require("path");

const [countArg, rootArg] = process.argv.slice(2);
const count = Number(countArg);
if (!Number.isInteger(count) || count < 0) {
    throw new Error(`floor: expected a resource count, got '${countArg}'`);
}
const root = path.resolve(rootArg ?? process.cwd());
const sdkDir = path.dirname(require.resolve("@pulumi/pulumi", { paths: [root] }));

if (process.env.BENCH_NO_SOURCE_MAPS !== "1") {
    require(require.resolve("source-map-support/register", { paths: [sdkDir] }));
}
const pulumi = require(require.resolve("@pulumi/pulumi", { paths: [root] }));
const tuning = require(path.join(root, "components", "startup", "promise-stacks.js")).tunePulumiRuntime();

let registered = 0;
pulumi.runtime.setMocks(
    {
        newResource: (/** @type {any} */ args) => {
            registered++;
            return { id: `${args.name}-id`, state: args.inputs };
        },
        call: (/** @type {any} */ args) => args.inputs,
    },
    "floor",
    "bench",
    true,
);
const aws = require(require.resolve("@pulumi/aws", { paths: [root] }));

class Floor extends pulumi.ComponentResource {
    /** @param {string} name */
    constructor(name) {
        super("bench:index:Floor", name);
        for (let i = 0; i < count - 1; i++) {
            new aws.ssm.Parameter(`${name}-p${i}`, { type: "String", value: `v${i}`, tags: { Environment: "bench" } }, { parent: this });
        }
        this.registerOutputs({});
    }
}
new Floor("floor");

process.on("beforeExit", () => {
    const usage = process.resourceUsage();
    // The mocks see the component too, so this is count: count - 1 parameters and the component.
    const line = { mode: "floor", resources: registered, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssKb: usage.maxRSS, tuning };
    process.stdout.write(`${JSON.stringify(line)}\n`);
});
