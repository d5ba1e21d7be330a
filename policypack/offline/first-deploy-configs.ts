/**
 * Generates the first-deploy policy configs: for every `policypack/config/<stack>.json`, a
 * `policypack/config/<stack>.first-deploy.json` that is the same file with
 * `unknownAtPreview: "defer"` set on every policy that fails closed on values unknown at preview
 * (exactly the policies whose configSchema declares `unknownAtPreview`). Nothing else differs, so
 * the two files cannot drift apart: policypack/tests/first-deploy-configs.test.ts fails when a
 * committed file is not what this script writes.
 *
 *   npm run policy:first-deploy-configs             # rewrite the files
 *   npm run policy:first-deploy-configs -- --check  # exit 1 when a committed file is stale
 *
 * Use a first-deploy file only for the FIRST `pulumi up` of a fresh stack (policypack/README.md,
 * "The first preview of a fresh stack"); every later run uses `<stack>.json`.
 */
import * as fs from "fs";
import * as path from "path";
import { policies } from "../policies";
import { UNKNOWN_AT_PREVIEW_KEY } from "../policies/util";

export const CONFIG_DIR = path.join(__dirname, "..", "config");
export const FIRST_DEPLOY_SUFFIX = ".first-deploy.json";

/** The policies that fail closed on unknown values: those declaring `unknownAtPreview`. */
export const DEFERRABLE_POLICIES: readonly string[] = policies.filter((p) => p.configSchema?.properties?.[UNKNOWN_AT_PREVIEW_KEY] !== undefined).map((p) => p.name);

/**
 * `base` (a `--policy-pack-config` file) with `unknownAtPreview: "defer"` on every deferrable
 * policy. A policy's entry keeps its level and other keys: a level string becomes
 * `{ enforcementLevel, unknownAtPreview }`, an object gets the key added, a missing entry becomes
 * `{ unknownAtPreview: "defer" }` (appended in pack order). Key order otherwise follows `base`.
 */
export function firstDeployConfig(base: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const deferrable = new Set(DEFERRABLE_POLICIES);
    const withDefer = (entry: unknown): Record<string, unknown> => {
        if (entry === undefined) return { [UNKNOWN_AT_PREVIEW_KEY]: "defer" };
        if (typeof entry === "string") return { enforcementLevel: entry, [UNKNOWN_AT_PREVIEW_KEY]: "defer" };
        if (entry !== null && typeof entry === "object" && !Array.isArray(entry)) return { ...(entry as Record<string, unknown>), [UNKNOWN_AT_PREVIEW_KEY]: "defer" };
        throw new Error(`policy config entry ${JSON.stringify(entry)} is neither a level nor an object`);
    };
    for (const [k, v] of Object.entries(base)) out[k] = deferrable.has(k) ? withDefer(v) : v;
    for (const name of DEFERRABLE_POLICIES) if (!(name in out)) out[name] = withDefer(undefined);
    return out;
}

/** The stacks with a base config file (`<stack>.json`, not a first-deploy file). */
export function baseConfigStacks(dir = CONFIG_DIR): string[] {
    return fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".json") && !f.endsWith(FIRST_DEPLOY_SUFFIX))
        .map((f) => f.slice(0, -".json".length))
        .sort();
}

export function firstDeployConfigPath(stack: string, dir = CONFIG_DIR): string {
    return path.join(dir, `${stack}${FIRST_DEPLOY_SUFFIX}`);
}

/** The text this script writes for a stack (2-space JSON and a final newline, like the base files). */
export function firstDeployConfigText(stack: string, dir = CONFIG_DIR): string {
    const base = JSON.parse(fs.readFileSync(path.join(dir, `${stack}.json`), "utf8")) as Record<string, unknown>;
    return JSON.stringify(firstDeployConfig(base), null, 2) + "\n";
}

/** Stacks whose committed first-deploy file is missing or differs from the generated text. */
export function staleFirstDeployConfigs(dir = CONFIG_DIR): string[] {
    return baseConfigStacks(dir).filter((s) => {
        const p = firstDeployConfigPath(s, dir);
        return !fs.existsSync(p) || fs.readFileSync(p, "utf8") !== firstDeployConfigText(s, dir);
    });
}

export function main(argv: string[]): number {
    const check = argv.includes("--check");
    const unknown = argv.filter((a) => a !== "--check");
    if (unknown.length > 0) {
        console.error(`unknown argument(s): ${unknown.join(" ")}\nusage: first-deploy-configs [--check]`);
        return 2;
    }
    if (check) {
        const stale = staleFirstDeployConfigs();
        if (stale.length === 0) {
            console.log("first-deploy configs are up to date");
            return 0;
        }
        console.error(`stale first-deploy config(s): ${stale.map((s) => path.relative(process.cwd(), firstDeployConfigPath(s))).join(", ")}; run npm run policy:first-deploy-configs`);
        return 1;
    }
    for (const s of baseConfigStacks()) {
        fs.writeFileSync(firstDeployConfigPath(s), firstDeployConfigText(s));
        console.log(`wrote ${path.relative(process.cwd(), firstDeployConfigPath(s))} (unknownAtPreview "defer" on ${DEFERRABLE_POLICIES.join(", ")})`);
    }
    return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
