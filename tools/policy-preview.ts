/**
 * Offline policy preview: runs the program for one or more stacks under mocks (tools/offline/run.ts)
 * and checks the recorded resource graph with the policy pack through the same analyzer service
 * `pulumi preview --policy-pack policypack` uses. No cloud credentials, no Pulumi CLI: safe for
 * pull requests from forks.
 *
 *   npm run policy:preview -- --stack prod
 *   npm run policy:preview -- --all --json policy-report.json
 *   npm run policy:preview -- --stack dev --policy-config policypack/config/dev.json
 *   npm run policy:preview -- --all --first-preview      # as the first preview of a fresh stack sees it
 *   npm run policy:preview -- --all --first-preview --first-deploy   # ...with policypack/config/<stack>.first-deploy.json
 *
 * Exit code: 0 when no mandatory violation, 1 when there is one, 2 on a usage or run error.
 */
import * as fs from "fs";
import * as path from "path";
import { analyze, PolicyReport } from "../policypack/offline/analyze";
import { formatText, toJson } from "../policypack/offline/report";
import { REPO_ROOT, runStack, STACKS } from "./offline/run";

export interface PreviewArgs {
    stacks: string[];
    policyConfig?: string;
    json?: string;
    quiet: boolean;
    /** Analyze the first preview of a fresh stack (ids, ARNs and other computed values unknown). */
    firstPreview: boolean;
    /** Use policypack/config/<stack>.first-deploy.json (the first `pulumi up` of a fresh stack). */
    firstDeploy: boolean;
}

const USAGE = `usage: policy-preview (--stack <name>)... | --all  [--policy-config <file> | --first-deploy] [--json <file>] [--quiet] [--first-preview]
  --stack <name>         stack to check (repeatable): ${STACKS.join(", ")}
  --all                  every stack with a Pulumi.<stack>.yaml
  --policy-config <file> policy config (--policy-pack-config format); default policypack/config/<stack>.json
  --json <file>          also write a JSON report (with a Markdown summary for a PR comment)
  --quiet                print only the summary line per stack
  --first-preview        check the FIRST preview of a fresh stack instead (ids, ARNs and other computed
                         values unknown, as in the preview of the first 'pulumi up'; IAM checks fail closed)
  --first-deploy         use policypack/config/<stack>.first-deploy.json, the config of the FIRST
                         'pulumi up' of a fresh stack (unknownAtPreview "defer" on the fail-closed policies)`;

export function parseArgs(argv: string[]): PreviewArgs {
    const out: PreviewArgs = { stacks: [], quiet: false, firstPreview: false, firstDeploy: false };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const value = () => {
            const v = argv[++i];
            if (v === undefined || v.startsWith("--")) throw new Error(`${a} needs a value\n${USAGE}`);
            return v;
        };
        if (a === "--stack" || a === "-s") out.stacks.push(value());
        else if (a.startsWith("--stack=")) out.stacks.push(a.slice(8));
        else if (a === "--all") out.stacks.push(...STACKS.filter((s) => fs.existsSync(path.join(REPO_ROOT, `Pulumi.${s}.yaml`))));
        else if (a === "--policy-config") out.policyConfig = value();
        else if (a === "--json") out.json = value();
        else if (a === "--quiet") out.quiet = true;
        else if (a === "--first-preview") out.firstPreview = true;
        else if (a === "--first-deploy") out.firstDeploy = true;
        else if (a === "--help" || a === "-h") throw new Error(USAGE);
        else throw new Error(`unknown argument '${a}'\n${USAGE}`);
    }
    if (out.stacks.length === 0) throw new Error(`no stack given\n${USAGE}`);
    if (out.firstDeploy && out.policyConfig !== undefined) throw new Error(`--first-deploy and --policy-config both choose the policy config: give one\n${USAGE}`);
    out.stacks = [...new Set(out.stacks)];
    return out;
}

/** The policy config file a run uses: the given file, else `<stack>.first-deploy.json` or `<stack>.json` in policypack/config. */
export function policyConfigPath(stack: string, file?: string, opts: { firstDeploy?: boolean } = {}): string {
    if (file) return path.resolve(file);
    return path.join(REPO_ROOT, "policypack", "config", opts.firstDeploy === true ? `${stack}.first-deploy.json` : `${stack}.json`);
}

/**
 * The policy config for a stack: the given file, or with `firstDeploy` policypack/config/<stack>.first-deploy.json
 * (must exist), or policypack/config/<stack>.json when it exists.
 */
export function loadPolicyConfig(stack: string, file?: string, opts: { firstDeploy?: boolean } = {}): Record<string, unknown> {
    const p = policyConfigPath(stack, file, opts);
    if (!fs.existsSync(p)) {
        if (file) throw new Error(`policy config ${p} does not exist`);
        if (opts.firstDeploy === true) throw new Error(`first-deploy policy config ${p} does not exist (npm run policy:first-deploy-configs writes it)`);
        return {};
    }
    try {
        return JSON.parse(fs.readFileSync(p, "utf8"));
    } catch (e) {
        throw new Error(`policy config ${p} is not valid JSON: ${(e as Error).message}`);
    }
}

/**
 * Runs the program for a stack and analyzes it; with `firstPreview`, as the first preview of a
 * fresh stack sees it (see runStack's firstPreview); with `firstDeploy`, with the stack's
 * first-deploy policy config.
 */
export async function previewStack(stack: string, policyConfigFile?: string, opts: { firstPreview?: boolean; firstDeploy?: boolean } = {}): Promise<PolicyReport> {
    const policyConfig = loadPolicyConfig(stack, policyConfigFile, { firstDeploy: opts.firstDeploy });
    const firstPreview = opts.firstPreview === true;
    const run = await runStack(stack, { firstPreview });
    return analyze(run.resources, { stack: run.stack, project: run.project, policyConfig, firstPreview });
}

export async function main(argv: string[]): Promise<number> {
    let args: PreviewArgs;
    try {
        args = parseArgs(argv);
    } catch (e) {
        console.error((e as Error).message);
        return 2;
    }
    const reports: PolicyReport[] = [];
    for (const stack of args.stacks) {
        try {
            const r = await previewStack(stack, args.policyConfig, { firstPreview: args.firstPreview, firstDeploy: args.firstDeploy });
            reports.push(r);
            const label = [args.firstPreview ? "first preview" : "", args.firstDeploy ? "first-deploy config" : ""].filter((x) => x !== "").join(", ");
            if (args.quiet) console.log(`${stack}${label ? ` (${label})` : ""}: ${r.passed ? "passed" : "FAILED"} (${r.counts.mandatory} mandatory, ${r.counts.advisory} advisory, ${r.resourcesAnalyzed} resources)`);
            else console.log(`${formatText(r)}\npolicy config: ${path.relative(REPO_ROOT, policyConfigPath(stack, args.policyConfig, { firstDeploy: args.firstDeploy }))}\n`);
        } catch (e) {
            console.error(`policy preview of stack '${stack}' could not run: ${(e as Error).stack ?? e}`);
            return 2;
        }
    }
    if (args.json) fs.writeFileSync(args.json, toJson(reports) + "\n");
    return reports.every((r) => r.passed) ? 0 : 1;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (e) => {
            console.error(e);
            process.exit(2);
        },
    );
}
