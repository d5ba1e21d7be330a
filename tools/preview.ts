/**
 * The offline preview of a stack, the main job: runs the program under mocks for
 * `Pulumi.<stack>.yaml`, prints the resource plan, then checks every resource and the stack with
 * the policy pack through the analyzer code `pulumi preview --policy-pack` uses (policy config
 * `policypack/config/<stack>.json`). No credentials, no Pulumi CLI, no network.
 *
 *   npm run preview:offline -- --stack prod [--stack dev ...|--all] [--json reports/preview.json] [--first-preview] [--first-deploy]
 *
 * --first-preview: preview the stack as its FIRST `pulumi preview` sees it (a fresh stack: ids, ARNs
 * and other computed values unknown), which is what the first `pulumi up` runs before creating anything.
 * --first-deploy: check with policypack/config/<stack>.first-deploy.json, the policy config of that
 * first `pulumi up` (policypack/README.md, "The first preview of a fresh stack").
 *
 * Exit code: 0 when no mandatory policy violation, 1 when there is one, 2 on a usage or run error
 * (for example an invalid stack configuration).
 */
import * as fs from "fs";
import * as path from "path";
import { runStack, STACKS } from "./offline/run";
import { formatPlan, planOf, ResourcePlan } from "./plan";
import { loadPolicyConfig } from "./policy-preview";
import { analyze, PolicyReport } from "../policypack/offline/analyze";
import { formatText } from "../policypack/offline/report";
import { estimateCost } from "../cost/model";
import { formatCostReport, toCostJson } from "../cost/format";

interface Args {
    stacks: string[];
    json?: string;
    firstPreview?: boolean;
    firstDeploy?: boolean;
}

export function parseArgs(argv: string[]): Args {
    const args: Args = { stacks: [] };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--stack" || a === "-s") {
            const v = argv[++i];
            if (!v) throw new Error("--stack needs a stack name (dev, staging, prod)");
            args.stacks.push(v);
        } else if (a === "--all") {
            args.stacks.push(...STACKS);
        } else if (a === "--first-preview") {
            args.firstPreview = true;
        } else if (a === "--first-deploy") {
            args.firstDeploy = true;
        } else if (a === "--json") {
            args.json = argv[++i];
            if (!args.json) throw new Error("--json needs a file path");
        } else {
            throw new Error(`unknown argument ${a}; usage: --stack <name> [--stack ...] | --all [--json <file>] [--first-preview] [--first-deploy]`);
        }
    }
    if (args.stacks.length === 0) {
        args.stacks.push("dev");
    }
    return args;
}

async function main(): Promise<number> {
    const args = parseArgs(process.argv.slice(2));
    const report: Record<string, { plan: ResourcePlan; policy: PolicyReport; cost: unknown }> = {};
    for (const stack of args.stacks) {
        const started = Date.now();
        const run = await runStack(stack, { firstPreview: args.firstPreview === true });
        const plan = planOf(run);
        console.log(formatPlan(plan));
        const policy = await analyze(run.resources, { stack: run.stack, project: run.project, policyConfig: loadPolicyConfig(stack, undefined, { firstDeploy: args.firstDeploy }), firstPreview: args.firstPreview === true });
        console.log(`\n${formatText(policy)}`);
        const cost = estimateCost(run);
        console.log(`\n${formatCostReport(cost)}`);
        report[stack] = { plan, policy, cost: toCostJson(cost) };
        console.log(`  (offline preview of ${stack}: ${Date.now() - started} ms)\n`);
    }
    if (args.json) {
        fs.mkdirSync(path.dirname(path.resolve(args.json)), { recursive: true });
        fs.writeFileSync(args.json, JSON.stringify(report, null, 2));
        console.log(`wrote ${args.json}`);
    }
    return Object.values(report).every((r) => r.policy.passed) ? 0 : 1;
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (err: Error) => {
            console.error(err.message);
            process.exit(2);
        },
    );
}
