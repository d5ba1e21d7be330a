/**
 * Offline monthly cost estimate of a stack: runs the program under mocks (the same run as the
 * offline preview) and prices its resource graph with cost/.
 *
 *   npx ts-node --transpile-only tools/cost.ts --stack prod [--json out.json] [--markdown out.md]
 *       [--details] [--assume '{"aurora":{"expectedAcu":2}}'] [--fail-over-budget]
 *       [--baseline main.json]   (a --json output of the base branch: prints the cost change)
 *       [--max-increase-usd 50]  (with --baseline: exit 3 when a stack's estimate grows by more)
 *
 * --stack may be repeated or comma-separated (dev,staging,prod); --all = dev,staging,prod. Exit code 0, or 1 on bad input,
 * or 2 with --fail-over-budget when an estimate exceeds its stack's budget, or 3 with
 * --max-increase-usd when a stack's monthly estimate grew by more than that against --baseline.
 */
import * as fs from "fs";
import * as path from "path";
import { diffCostJson, estimateCost, formatCostDiff, formatCostMarkdown, formatCostReport, formatCostSummaryMarkdown, toCostJson } from "../cost";
import type { CostJson, CostReport } from "../cost";

interface CliArgs {
    stacks: string[];
    json?: string;
    markdown?: string;
    details: boolean;
    assume?: unknown;
    failOverBudget: boolean;
    baseline?: string;
    maxIncreaseUsd?: number;
}

const USAGE =
    "usage: ts-node --transpile-only tools/cost.ts --stack <dev|staging|prod>[,...] | --all [--json out.json] [--markdown out.md] [--details] [--assume '<json>'] [--fail-over-budget] [--baseline base.json [--max-increase-usd N]]";

export function parseArgs(argv: string[]): CliArgs {
    const out: CliArgs = { stacks: [], details: false, failOverBudget: false };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const value = () => {
            const v = argv[++i];
            if (v === undefined || v.startsWith("--")) throw new Error(`${a}: expected a value\n${USAGE}`);
            return v;
        };
        switch (a) {
            case "--stack":
            case "-s":
                out.stacks.push(...value().split(",").map((s) => s.trim()).filter(Boolean));
                break;
            case "--all":
                out.stacks.push("dev", "staging", "prod");
                break;
            case "--json":
                out.json = value();
                break;
            case "--markdown":
                out.markdown = value();
                break;
            case "--baseline":
                out.baseline = value();
                break;
            case "--max-increase-usd": {
                const text = value();
                const n = Number(text);
                if (!Number.isFinite(n) || n < 0) throw new Error(`--max-increase-usd: expected a number of US dollars >= 0, got ${text}`);
                out.maxIncreaseUsd = n;
                break;
            }
            case "--details":
                out.details = true;
                break;
            case "--fail-over-budget":
                out.failOverBudget = true;
                break;
            case "--assume": {
                const text = value();
                try {
                    out.assume = JSON.parse(text);
                } catch {
                    throw new Error(`--assume: expected JSON such as '{"nat":{"processedGb":50}}', got ${text}`);
                }
                break;
            }
            case "--help":
            case "-h":
                throw new Error(USAGE);
            default:
                throw new Error(`unknown argument ${a}\n${USAGE}`);
        }
    }
    if (out.stacks.length === 0) throw new Error(`--stack (or --all) is required\n${USAGE}`);
    if (out.maxIncreaseUsd !== undefined && out.baseline === undefined) throw new Error(`--max-increase-usd needs --baseline <file>\n${USAGE}`);
    return out;
}

function loadBaseline(file: string): CostJson[] {
    let data: unknown;
    try {
        data = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new Error(`--baseline ${file}: expected the JSON written by --json (${(e as Error).message})`);
    }
    const list = (Array.isArray(data) ? data : [data]) as CostJson[];
    if (!list.every((j) => j && typeof j.stack === "string" && Array.isArray(j.resources))) {
        throw new Error(`--baseline ${file}: expected the JSON written by --json (objects with stack and resources)`);
    }
    return list;
}

async function main(): Promise<number> {
    const args = parseArgs(process.argv.slice(2));
    // Imported lazily: loading the runner loads @pulumi/pulumi.
    const { runStack } = await import("./offline/run");
    const baselines = args.baseline ? loadBaseline(args.baseline) : [];
    const reports: CostReport[] = [];
    const diffs: string[] = [];
    const increases: { stack: string; deltaUsd: number }[] = [];
    for (const stack of args.stacks) {
        const run = await runStack(stack);
        const report = estimateCost(run, args.assume as never);
        reports.push(report);
        process.stdout.write(`${formatCostReport(report, { details: args.details })}\n\n`);
        const base = baselines.find((b) => b.stack === stack);
        if (args.baseline) {
            const diff = base ? diffCostJson(base, toCostJson(report)) : undefined;
            if (diff) increases.push({ stack, deltaUsd: diff.deltaUsd });
            const text = diff ? formatCostDiff(diff) : `No baseline for ${stack} in ${args.baseline}.`;
            diffs.push(text);
            process.stdout.write(`${text}\n\n`);
        }
    }
    if (args.json) {
        const data = reports.length === 1 ? toCostJson(reports[0]) : reports.map(toCostJson);
        fs.mkdirSync(path.dirname(path.resolve(args.json)), { recursive: true });
        fs.writeFileSync(args.json, `${JSON.stringify(data, null, 2)}\n`);
        process.stdout.write(`wrote ${args.json}\n`);
    }
    if (args.markdown) {
        const sections = reports.map((r, i) => (diffs[i] ? `${formatCostMarkdown(r)}\n\n\`\`\`\n${diffs[i]}\n\`\`\`` : formatCostMarkdown(r)));
        fs.mkdirSync(path.dirname(path.resolve(args.markdown)), { recursive: true });
        const summary = reports.length > 1 ? [formatCostSummaryMarkdown(reports)] : [];
        fs.writeFileSync(args.markdown, `${[...summary, ...sections].join("\n\n")}\n`);
        process.stdout.write(`wrote ${args.markdown}\n`);
    }
    const over = reports.filter((r) => r.budget.status === "over");
    if (args.failOverBudget && over.length > 0) {
        process.stderr.write(`over budget: ${over.map((r) => `${r.stack} $${r.totalMonthlyUsd.toFixed(2)} > $${r.budget.limitUsd}`).join(", ")}\n`);
        return 2;
    }
    const jumps = args.maxIncreaseUsd === undefined ? [] : increases.filter((i) => i.deltaUsd > args.maxIncreaseUsd!);
    if (jumps.length > 0) {
        process.stderr.write(`cost increase above $${args.maxIncreaseUsd}/month: ${jumps.map((j) => `${j.stack} +$${j.deltaUsd.toFixed(2)}`).join(", ")}\n`);
        return 3;
    }
    return 0;
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (err: Error) => {
            process.stderr.write(`${err.message}\n`);
            process.exit(1);
        },
    );
}
