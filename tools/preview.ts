/**
 * The offline preview of a stack: runs the program under mocks for `Pulumi.<stack>.yaml` and
 * prints the resource plan. No credentials, no Pulumi CLI, no network.
 *
 *   npm run preview:offline -- --stack prod [--stack dev ...|--all] [--json reports/preview.json]
 */
import * as fs from "fs";
import * as path from "path";
import { runStack, STACKS } from "./offline/run";
import { formatPlan, planOf, ResourcePlan } from "./plan";

interface Args {
    stacks: string[];
    json?: string;
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
        } else if (a === "--json") {
            args.json = argv[++i];
            if (!args.json) throw new Error("--json needs a file path");
        } else {
            throw new Error(`unknown argument ${a}; usage: --stack <name> [--stack ...] | --all [--json <file>]`);
        }
    }
    if (args.stacks.length === 0) {
        args.stacks.push("dev");
    }
    return args;
}

async function main(): Promise<number> {
    const args = parseArgs(process.argv.slice(2));
    const report: Record<string, { plan: ResourcePlan }> = {};
    for (const stack of args.stacks) {
        const started = Date.now();
        const run = await runStack(stack);
        const plan = planOf(run);
        report[stack] = { plan };
        console.log(formatPlan(plan));
        console.log(`  (offline run of ${stack}: ${Date.now() - started} ms)\n`);
    }
    if (args.json) {
        fs.mkdirSync(path.dirname(path.resolve(args.json)), { recursive: true });
        fs.writeFileSync(args.json, JSON.stringify(report, null, 2));
        console.log(`wrote ${args.json}`);
    }
    return 0;
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
