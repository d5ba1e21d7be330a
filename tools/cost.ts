/**
 * Offline monthly cost estimate of a stack: runs the program under mocks (the same run as the
 * offline preview) and prices its resource graph with cost/.
 *
 *   npx ts-node --transpile-only tools/cost.ts --stack prod [--json out.json] [--markdown out.md]
 *       [--details] [--assume '{"aurora":{"expectedAcu":2}}'] [--fail-over-budget]
 *       [--baseline main.json]   (a --json output of the base branch: prints the cost change)
 *
 * --stack may be repeated or comma-separated (dev,staging,prod); --all = dev,staging,prod. Exit code 0, or 1 on bad input,
 * or 2 with --fail-over-budget when an estimate exceeds its stack's budget.
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
}

const USAGE =
    "usage: ts-node --transpile-only tools/cost.ts --stack <dev|staging|prod>[,...] | --all [--json out.json] [--markdown out.md] [--details] [--assume '<json>'] [--fail-over-budget] [--baseline base.json]";

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
    for (const stack of args.stacks) {
        const run = await runStack(stack);
        const report = estimateCost(run, args.assume as never);
        reports.push(report);
        process.stdout.write(`${formatCostReport(report, { details: args.details })}\n\n`);
        const base = baselines.find((b) => b.stack === stack);
        if (args.baseline) {
            const text = base ? formatCostDiff(diffCostJson(base, toCostJson(report))) : `No baseline for ${stack} in ${args.baseline}.`;
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
    return args.failOverBudget && over.length > 0 ? 2 : 0;
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
