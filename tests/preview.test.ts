import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as path from "path";
import { planOf, formatPlan } from "../tools/plan";
import { parseArgs } from "../tools/preview";
import { awsResources, stackRun, STACKS } from "./harness";

describe("offline preview: the resource plan", () => {
    for (const stack of STACKS) {
        it(`${stack}: counts every AWS resource once, by component and by type`, async () => {
            const run = await stackRun(stack);
            const plan = planOf(run);
            const managed = run.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
            assert.equal(plan.total, managed.length);
            assert.ok(plan.total > awsResources(run).length - 1, "AWS resources are part of the plan");
            const byComponentTotal = Object.values(plan.byComponent).flatMap((t) => Object.values(t)).reduce((a, b) => a + b, 0);
            assert.equal(byComponentTotal, plan.total);
            assert.equal(plan.byComponent["network (platform:network:Network)"]["aws:ec2/vpc:Vpc"], 1);
            assert.equal(plan.byType["aws:ec2/natGateway:NatGateway"], stack === "prod" ? 3 : 1);
            const text = formatPlan(plan);
            assert.match(text, new RegExp(`^Resource plan for stack '${stack}': ${plan.total} resources to create`));
        });
    }

    it("exports the stack outputs a user needs", async () => {
        const run = await stackRun("prod");
        assert.equal(run.outputs.environment, "prod");
        assert.equal(run.outputs.publicSubnetIds.length, 3);
        assert.ok(run.outputs.vpcId);
        assert.deepEqual(Object.keys(run.outputs.securityGroupIds).sort(), ["alb", "cache", "ecs", "endpoints", "lambda", "rds"]);
    });
});

describe("offline preview: command line", () => {
    const cases: Array<[string[], string[] | RegExp]> = [
        [[], ["dev"]],
        [["--stack", "prod"], ["prod"]],
        [["-s", "dev", "--stack", "staging"], ["dev", "staging"]],
        [["--all"], ["dev", "staging", "prod"]],
        [["--stack"], /--stack needs a stack name/],
        [["--stak", "prod"], /unknown argument --stak/],
    ];
    for (const [argv, expected] of cases) {
        it(`${argv.join(" ") || "(no arguments)"}`, () => {
            if (expected instanceof RegExp) {
                assert.throws(() => parseArgs(argv), expected);
            } else {
                assert.deepEqual(parseArgs(argv).stacks, expected);
            }
        });
    }

    it("--first-preview and --first-deploy (the first-deploy policy config) are flags", () => {
        assert.deepEqual(parseArgs(["--stack", "prod", "--first-preview", "--first-deploy"]), { stacks: ["prod"], firstPreview: true, firstDeploy: true });
        assert.strictEqual(parseArgs(["--stack", "prod"]).firstDeploy, undefined);
    });

    it("exits 2 with the config error on a stack file that does not exist", () => {
        const root = path.resolve(__dirname, "..");
        let status = 0;
        let stderr = "";
        try {
            execFileSync(process.execPath, [require.resolve("ts-node/dist/bin"), "--transpile-only", "tools/preview.ts", "--stack", "nosuchstack"], { cwd: root, stdio: "pipe" });
        } catch (e: any) {
            status = e.status;
            stderr = String(e.stderr);
        }
        assert.equal(status, 2);
        assert.match(stderr, /no stack file .*Pulumi\.nosuchstack\.yaml/);
    });
});
