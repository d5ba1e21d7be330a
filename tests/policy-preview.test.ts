/**
 * The whole program through the policy pack for every stack (zero mandatory violations with the
 * stack's policy config), and a program full of known mistakes that must trip exactly the
 * expected policies. Both go through tools/offline/run.ts and the pack's offline analyzer.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { analyze } from "../policypack/offline/analyze";
import { formatText } from "../policypack/offline/report";
import { loadPolicyConfig, main, parseArgs } from "../tools/policy-preview";
import { runProgram, stackRun, STACKS } from "./harness";
import { EXPECTED_POLICIES, mistakesProgram } from "./fixtures/mistakes/program";

describe("policy preview (offline)", () => {
    for (const stack of STACKS) {
        it(`${stack}: the program has no mandatory violation with policypack/config/${stack}.json`, async () => {
            const run = await stackRun(stack);
            const report = await analyze(run.resources, { stack, project: run.project, policyConfig: loadPolicyConfig(stack) });
            assert.ok(report.resourcesAnalyzed > 10, "the program registered almost nothing");
            assert.strictEqual(report.counts.mandatory, 0, formatText(report));
        });
    }

    it("a program full of mistakes trips exactly the expected policies", async () => {
        const run = await runProgram({ stack: "mistakes", config: { "aws:region": "ap-northeast-1" }, program: mistakesProgram });
        const report = await analyze(run.resources, { stack: run.stack, project: run.project });
        const fired = [...new Set(report.diagnostics.map((d) => d.policyName))].sort();
        assert.deepStrictEqual(fired, [...EXPECTED_POLICIES].sort(), formatText(report));
        assert.ok(!report.passed);
    });

    it("the CLI exits 1 on a mandatory violation and writes the JSON report", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-preview-"));
        const cfg = path.join(dir, "strict.json");
        // Turn an advisory into a mandatory one so that the real program fails: proves the exit code path.
        fs.writeFileSync(cfg, JSON.stringify({ all: "mandatory", "required-tags": { requiredTags: ["Environment", "DataClassification"] } }));
        const out = path.join(dir, "report.json");
        const log = console.log;
        console.log = () => undefined;
        try {
            const code = await main(["--stack", "dev", "--policy-config", cfg, "--json", out, "--quiet"]);
            assert.strictEqual(code, 1);
        } finally {
            console.log = log;
        }
        const json = JSON.parse(fs.readFileSync(out, "utf8"));
        assert.strictEqual(json.passed, false);
        assert.ok(json.stacks[0].violations.some((v: { policyName: string; message: string }) => v.policyName === "required-tags" && v.message.includes("DataClassification")));
        assert.match(json.markdown, /### Policy preview/);
    });

    it("parses arguments and rejects bad ones", () => {
        assert.deepStrictEqual(parseArgs(["--stack", "dev", "--stack", "prod"]).stacks, ["dev", "prod"]);
        assert.throws(() => parseArgs([]), /no stack given/);
        assert.throws(() => parseArgs(["--stack"]), /needs a value/);
        assert.throws(() => parseArgs(["--bogus"]), /unknown argument/);
    });
});
