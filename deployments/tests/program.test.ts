/**
 * The deployments program under Pulumi mocks, for each platform stack: which resources it
 * registers, with which inputs and options, and the trust and permission documents they carry.
 * Mocks are set before the program module is loaded.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { PlatformStack } from "../src/config";
import type { PolicyDocument, TrustPolicy } from "../src/iam";
import { ACCOUNTS, configFor } from "./helpers";

interface Registered {
    type: string;
    name: string;
    inputs: any;
    provider?: string;
    protect?: boolean;
}

let registered: Registered[] = [];
let protects = new Map<string, boolean | undefined>();

function mocksFor(stack: PlatformStack): pulumi.runtime.Mocks {
    const account = ACCOUNTS[stack];
    return {
        newResource(args: pulumi.runtime.MockResourceArgs) {
            registered.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider });
            const state: Record<string, unknown> = { ...args.inputs };
            if (args.type === "aws:iam/role:Role") state["arn"] = `arn:aws:iam::${account}:role/${args.inputs.name}`;
            if (args.type === "aws:iam/policy:Policy") state["arn"] = `arn:aws:iam::${account}:policy/${args.inputs.name}`;
            if (args.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider") {
                state["arn"] = `arn:aws:iam::${account}:oidc-provider/${String(args.inputs.url).replace("https://", "")}`;
            }
            return { id: `${args.name}-id`, state };
        },
        call(args: pulumi.runtime.MockCallArgs) {
            if (args.token === "aws:index/getCallerIdentity:getCallerIdentity") return { accountId: account, arn: "", userId: "" };
            return args.inputs;
        },
    };
}

function outputValue<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => o.apply((v) => { resolve(v); return v; }));
}

async function run(stack: PlatformStack) {
    registered = [];
    protects = new Map();
    await pulumi.runtime.setMocks(mocksFor(stack), "platform-deployments", stack, false, "acme");
    // Load the program only after the mocks are in place.
    const { createDeployments } = require("../src/program") as typeof import("../src/program");
    let deployRoleArn = "";
    // A root stack resource, so that a stack transformation can observe every resource's options.
    await pulumi.runtime.runInPulumiStack(async () => {
        pulumi.runtime.registerStackTransformation((args) => {
            protects.set(`${args.type}::${args.name}`, args.opts.protect);
            return undefined;
        });
        const out = createDeployments(configFor(stack));
        await Promise.all(out.resources.map((r) => outputValue(r.urn)));
        deployRoleArn = await outputValue(out.deployRoleArn);
        return {};
    });
    return { deployRoleArn };
}

const byType = (type: string) => registered.filter((r) => r.type === type);
const one = (type: string, name: string) => {
    const r = registered.find((x) => x.type === type && x.name === name);
    assert.ok(r, `${type} ${name} not registered`);
    return r!;
};

describe("deployments program under mocks", function () {
    for (const stack of ["dev", "staging", "prod"] as PlatformStack[]) {
        describe(stack, () => {
            let deployRoleArn = "";
            let snapshot: Registered[] = [];
            let protectSnapshot = new Map<string, boolean | undefined>();
            before(async () => {
                deployRoleArn = (await run(stack)).deployRoleArn;
                snapshot = registered;
                protectSnapshot = protects;
            });
            beforeEach(() => {
                registered = snapshot;
                protects = protectSnapshot;
            });

            it("creates both OIDC identity providers with the documented audiences", () => {
                const gh = one("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "github-actions");
                assert.strictEqual(gh.inputs.url, "https://token.actions.githubusercontent.com");
                assert.deepStrictEqual(gh.inputs.clientIdLists, ["sts.amazonaws.com"]);
                const pl = one("aws:iam/openIdConnectProvider:OpenIdConnectProvider", "pulumi-deployments");
                assert.strictEqual(pl.inputs.url, "https://api.pulumi.com/oidc");
                assert.deepStrictEqual(pl.inputs.clientIdLists, ["acme"]);
            });

            it("preview role: GitHub pull_request subject only, 1-hour sessions, boundary attached", () => {
                const role = one("aws:iam/role:Role", "preview");
                assert.strictEqual(role.inputs.name, `delivery-${stack}-preview`);
                const trust: TrustPolicy = JSON.parse(role.inputs.assumeRolePolicy);
                assert.strictEqual(trust.Statement.length, 1);
                assert.deepStrictEqual(trust.Statement[0].Condition["StringEquals"]["token.actions.githubusercontent.com:sub"], [
                    "repo:acme/aws-platform:pull_request",
                ]);
                assert.strictEqual(role.inputs.maxSessionDuration, 3600);
                assert.strictEqual(role.inputs.permissionsBoundary, `arn:aws:iam::${ACCOUNTS[stack]}:policy/delivery-${stack}-boundary`);
            });

            it("deploy role: trusted by Pulumi Deployments for this stack and by the GitHub environment of this stack", () => {
                const role = one("aws:iam/role:Role", "deploy");
                const trust: TrustPolicy = JSON.parse(role.inputs.assumeRolePolicy);
                const pulumiSubs = trust.Statement.find((s) => s.Sid === "PulumiDeploymentsOidc")!.Condition["StringEquals"]["api.pulumi.com/oidc:sub"] as string[];
                assert.ok(pulumiSubs.every((s) => s.startsWith(`pulumi:deploy:org:acme:project:platform:stack:${stack}:operation:`)));
                const ghSubs = trust.Statement.find((s) => s.Sid === "GitHubActionsOidc")!.Condition["StringEquals"]["token.actions.githubusercontent.com:sub"];
                assert.deepStrictEqual(ghSubs, [`repo:acme/aws-platform:environment:${stack}`]);
                assert.strictEqual(role.inputs.maxSessionDuration, 7200);
                assert.ok(role.inputs.permissionsBoundary.endsWith(`:policy/delivery-${stack}-boundary`));
            });

            it("attaches one managed deploy policy per tier, each passing the least-privilege checker", () => {
                const { grantFindings } = require("../src/iam") as typeof import("../src/iam");
                const policies = byType("aws:iam/policy:Policy").filter((p) => p.name.startsWith("deploy-"));
                assert.deepStrictEqual(policies.map((p) => p.name).sort(), ["deploy-compute", "deploy-data", "deploy-network", "deploy-observability", "deploy-security", "deploy-unscopable"]);
                for (const p of policies) {
                    assert.deepStrictEqual(grantFindings(JSON.parse(p.inputs.policy) as PolicyDocument, { prefix: `ragplatform-${stack}` }), [], p.name);
                }
                const attachments = byType("aws:iam/rolePolicyAttachment:RolePolicyAttachment");
                assert.strictEqual(attachments.length, policies.length);
                assert.ok(attachments.every((a) => a.inputs.role === `delivery-${stack}-deploy`));
                const boundary = one("aws:iam/policy:Policy", "boundary");
                assert.strictEqual(boundary.inputs.tags["platform:policy-kind"], "permissions-boundary");
            });

            it("registers the deployment settings with the deploy role ARN and the stack's branch", () => {
                const s = one("pulumiservice:index:DeploymentSettings", "settings");
                assert.strictEqual(s.inputs.stack, stack);
                assert.strictEqual(s.inputs.operationContext.oidc.aws.roleARN, deployRoleArn);
                assert.strictEqual(deployRoleArn, `arn:aws:iam::${ACCOUNTS[stack]}:role/delivery-${stack}-deploy`);
                assert.strictEqual(s.inputs.sourceContext.git.branch, stack === "prod" ? "refs/heads/release" : "refs/heads/main");
            });

            it("registers Slack notifications, drift detection, approvals and the OIDC issuer where configured", () => {
                const hook = one("pulumiservice:index:Webhook", "slack");
                assert.strictEqual(hook.inputs.format, "slack");
                assert.ok(hook.inputs.filters.includes("deployment_failed"));
                assert.strictEqual(byType("pulumiservice:index:DriftSchedule").length, stack === "dev" ? 0 : 1);
                assert.strictEqual(byType("pulumiservice:index:ApprovalRule").length, stack === "prod" ? 1 : 0);
                const issuers = byType("pulumiservice:index:OidcIssuer");
                assert.strictEqual(issuers.length, stack === "prod" ? 1 : 0);
                if (issuers.length === 1) {
                    const subs = issuers[0].inputs.policies.map((p: any) => p.rules.sub);
                    assert.ok(subs.includes("repo:acme/aws-platform:pull_request"));
                    assert.ok(issuers[0].inputs.policies.every((p: any) => p.tokenType === "team" && p.rules.aud === "urn:pulumi:org:acme"));
                }
            });

            it("routes every AWS resource through the explicit provider pinned to the account", () => {
                const provider = one("pulumi:providers:aws", "aws");
                // Provider inputs reach the engine JSON-encoded.
                assert.deepStrictEqual(JSON.parse(provider.inputs.allowedAccountIds), [ACCOUNTS[stack]]);
                assert.strictEqual(JSON.parse(provider.inputs.defaultTags).tags.Environment, stack);
                assert.strictEqual(provider.inputs.region, "ap-northeast-1");
                for (const r of registered.filter((x) => x.type.startsWith("aws:"))) {
                    assert.ok(r.provider?.includes("pulumi:providers:aws::aws"), `${r.type} ${r.name} uses ${r.provider}`);
                }
            });

            it(`protects the AWS bootstrap resources and the settings ${stack === "prod" ? "in prod" : "only in prod"}`, () => {
                const keys = [...protects.keys()].filter((k) => k.startsWith("aws:iam") || k.startsWith("pulumiservice:index:DeploymentSettings"));
                assert.ok(keys.length > 5, `transformation saw ${keys.length} resources`);
                for (const k of keys) assert.strictEqual(protects.get(k) === true, stack === "prod", k);
            });
        });
    }
});

describe("deployments index.ts with the committed stack files", () => {
    for (const stack of ["dev", "staging", "prod"] as PlatformStack[]) {
        it(`deployments/Pulumi.${stack}.yaml matches the platform's Pulumi.${stack}.yaml (name prefix and Environment tag)`, () => {
            const fs = require("fs") as typeof import("fs");
            const { parse } = require("yaml") as typeof import("yaml");
            const mine = (parse(fs.readFileSync(`deployments/Pulumi.${stack}.yaml`, "utf8")) as { config: Record<string, unknown> }).config;
            const platform = (parse(fs.readFileSync(`Pulumi.${stack}.yaml`, "utf8")) as { config: Record<string, unknown> }).config;
            assert.strictEqual(mine["platform-deployments:platformSlug"], platform["platform:project"], "deploy grants are scoped to <platform:project>-<stack>-*");
            assert.strictEqual(platform["platform:environment"], stack, "EC2/KMS/EFS grants are conditioned on Environment=<stack>");
            assert.strictEqual(mine["aws:region"], platform["aws:region"]);
            assert.strictEqual(mine["platform-deployments:drRegion"], platform["platform:drRegion"] ?? "us-west-2", "platform default drRegion");
        });
    }

    for (const stack of ["prod"] as PlatformStack[]) {
        it(`loads deployments/Pulumi.${stack}.yaml through pulumi.Config and exports the role ARNs`, async () => {
            const fs = require("fs") as typeof import("fs");
            const { parse } = require("yaml") as typeof import("yaml");
            const file = parse(fs.readFileSync(`deployments/Pulumi.${stack}.yaml`, "utf8")) as { config: Record<string, unknown> };
            const config: Record<string, string> = {};
            for (const [k, v] of Object.entries(file.config)) config[k] = typeof v === "string" ? v : JSON.stringify(v);
            // The secret a real stack holds encrypted (pulumi config set --secret slackWebhookUrl ...).
            config["platform-deployments:slackWebhookUrl"] = "https://hooks.slack.com/services/T000/B000/XXXX";
            registered = [];
            await pulumi.runtime.setMocks(mocksFor(stack), "platform-deployments", stack, false, "acme");
            pulumi.runtime.setAllConfig(config, ["platform-deployments:slackWebhookUrl"]);
            const index = require("../index");
            assert.strictEqual(await outputValue(index.deployRoleArn), `arn:aws:iam::${ACCOUNTS[stack]}:role/delivery-${stack}-deploy`);
            assert.strictEqual(await outputValue(index.previewRoleArn), `arn:aws:iam::${ACCOUNTS[stack]}:role/delivery-${stack}-preview`);
            assert.strictEqual(index.branch, stack === "prod" ? "release" : "main");
            await outputValue(index.deploymentSettingsId);
            const hook = registered.find((r) => r.type === "pulumiservice:index:Webhook");
            assert.ok(hook, "webhook registered");
        });
    }
});
