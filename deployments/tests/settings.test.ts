import * as assert from "assert";
import { parseDeploymentsConfig, PlatformStack } from "../src/config";
import {
    approvalRuleFor,
    deploymentSettingsFor,
    driftScheduleFor,
    preRunCommandsFor,
    pulumiDeploySubject,
    webhookFiltersFor,
    webhookFor,
} from "../src/settings";
import { configFor, rawConfig } from "./helpers";

const ROLE = "arn:aws:iam::111111111111:role/delivery-dev-deploy";

describe("deployments: settings per stack", () => {
    const table: {
        stack: PlatformStack;
        branch: string;
        deployCommits: boolean;
        previewPullRequests: boolean;
        drift: boolean;
        snapshot: boolean;
        approvals: number | undefined;
    }[] = [
        { stack: "dev", branch: "refs/heads/main", deployCommits: true, previewPullRequests: true, drift: false, snapshot: false, approvals: undefined },
        { stack: "staging", branch: "refs/heads/main", deployCommits: true, previewPullRequests: false, drift: true, snapshot: false, approvals: undefined },
        { stack: "prod", branch: "refs/heads/release", deployCommits: true, previewPullRequests: false, drift: true, snapshot: true, approvals: 2 },
    ];

    for (const row of table) {
        describe(row.stack, () => {
            const cfg = configFor(row.stack);
            const s = deploymentSettingsFor(cfg, ROLE) as any;

            it("deploys the right branch of the repository on push", () => {
                assert.strictEqual(s.organization, "acme");
                assert.strictEqual(s.project, "platform");
                assert.strictEqual(s.stack, row.stack);
                assert.strictEqual(s.sourceContext.git.branch, row.branch);
                assert.strictEqual(s.sourceContext.git.repoDir, ".");
                assert.strictEqual(s.github.repository, "acme/aws-platform");
                assert.strictEqual(s.github.deployCommits, row.deployCommits);
                assert.strictEqual(s.github.previewPullRequests, row.previewPullRequests);
                assert.strictEqual(s.github.pullRequestTemplate, false);
            });

            it("filters pushes to the program's own paths and this stack's config file", () => {
                assert.ok(s.github.paths.includes("components/**"));
                assert.ok(s.github.paths.includes("index.ts"));
                assert.ok(s.github.paths.includes(`Pulumi.${row.stack}.yaml`));
                const other = ["dev", "staging", "prod"].filter((x) => x !== row.stack);
                for (const o of other) assert.ok(!s.github.paths.includes(`Pulumi.${o}.yaml`), `${o} config must not deploy ${row.stack}`);
                assert.ok(!s.github.paths.some((p: string) => p.startsWith("docs")), "docs-only pushes must not deploy");
            });

            it("assumes the deploy role through Deployments OIDC for 2 hours", () => {
                assert.deepStrictEqual(s.operationContext.oidc.aws, {
                    roleARN: ROLE,
                    sessionName: `pulumi-deployments-${row.stack}`,
                    duration: "2h0m0s",
                });
                assert.strictEqual(s.operationContext.environmentVariables.AWS_REGION, "ap-northeast-1");
            });

            it("installs with npm ci, builds, and snapshots Aurora before prod updates only", () => {
                assert.deepStrictEqual(s.operationContext.preRunCommands.slice(0, 2), ["npm ci --no-audit --no-fund", "npm run build"]);
                assert.strictEqual(s.operationContext.options.skipInstallDependencies, true);
                assert.strictEqual(
                    s.operationContext.preRunCommands.includes("bash deployments/scripts/pre-deploy-snapshot.sh"),
                    row.snapshot,
                );
                assert.strictEqual(s.executorContext.executorImage, "pulumi/pulumi-nodejs:3.248.0");
            });

            it("notifies Slack on deployment success and failure", () => {
                const w = webhookFor(cfg) as any;
                assert.strictEqual(w.format, "slack");
                assert.strictEqual(w.stackName, row.stack);
                assert.strictEqual(w.projectName, "platform");
                assert.strictEqual(w.active, true);
                for (const f of ["deployment_succeeded", "deployment_failed", "update_failed"]) assert.ok(w.filters.includes(f), f);
                assert.strictEqual(w.filters.includes("drift_detected"), row.drift);
                assert.strictEqual(w.filters.includes("update_succeeded"), row.stack === "prod");
            });

            it("schedules drift detection without auto-remediation where configured", () => {
                const d = driftScheduleFor(cfg);
                assert.strictEqual(d !== undefined, row.drift);
                if (d !== undefined) {
                    assert.strictEqual(d.scheduleCron, "0 */6 * * *");
                    assert.strictEqual(d.autoRemediate, false);
                }
            });

            it("guards the ESC environment with an approval rule in prod", () => {
                const a = approvalRuleFor(cfg) as any;
                assert.strictEqual(a?.approvalRuleConfig.numApprovalsRequired, row.approvals);
                if (a !== undefined) {
                    assert.deepStrictEqual(a.targetActionTypes, ["update"]);
                    assert.deepStrictEqual(a.environmentIdentifier, { organization: "acme", project: "platform", name: "prod" });
                    assert.strictEqual(a.approvalRuleConfig.allowSelfApproval, false);
                    assert.deepStrictEqual(a.approvalRuleConfig.eligibleApprovers, [{ teamName: "platform-leads" }]);
                }
            });
        });
    }

    it("webhook filters are all valid WebhookFilters of @pulumi/pulumiservice 1.3.0", () => {
        // Values of the WebhookFilters enum in node_modules/@pulumi/pulumiservice/types/enums/index.d.ts.
        const valid = new Set([
            "stack_created", "stack_deleted", "update_succeeded", "update_failed", "preview_succeeded", "preview_failed",
            "destroy_succeeded", "destroy_failed", "refresh_succeeded", "refresh_failed", "deployment_queued",
            "deployment_started", "deployment_succeeded", "deployment_failed", "drift_detected",
            "drift_detection_succeeded", "drift_detection_failed", "drift_remediation_succeeded", "drift_remediation_failed",
        ]);
        const enums = require("@pulumi/pulumiservice").types.enums.WebhookFilters as Record<string, string>;
        for (const v of Object.values(enums).filter((x) => !x.startsWith("environment") && x !== "imported_environment_changed")) {
            assert.ok(valid.has(v), `enum value ${v} missing from the test table`);
        }
        for (const stack of ["dev", "staging", "prod"] as const) {
            for (const f of webhookFiltersFor(configFor(stack))) assert.ok(Object.values(enums).includes(f), f);
        }
    });

    it("builds the Pulumi Deployments OIDC subject in the documented format", () => {
        assert.strictEqual(
            pulumiDeploySubject("acme", "platform", "prod", "update"),
            "pulumi:deploy:org:acme:project:platform:stack:prod:operation:update:scope:write",
        );
    });

    it("pre-run commands differ only by the prod snapshot", () => {
        assert.deepStrictEqual(preRunCommandsFor("dev"), preRunCommandsFor("staging"));
        assert.strictEqual(preRunCommandsFor("prod").length, preRunCommandsFor("dev").length + 1);
    });
});

describe("deployments: configuration validation", () => {
    const bad: { name: string; stack: string; overrides: Record<string, unknown>; slack?: boolean; expect: RegExp }[] = [
        { name: "unknown stack", stack: "qa", overrides: {}, expect: /stack: expected one of dev, staging, prod/ },
        { name: "account id", stack: "dev", overrides: { awsAccountId: "1234" }, expect: /awsAccountId: expected a 12-digit AWS account id/ },
        { name: "repository", stack: "dev", overrides: { repository: "aws-platform" }, expect: /repository: expected a GitHub repository/ },
        { name: "same DR region", stack: "dev", overrides: { drRegion: "ap-northeast-1" }, expect: /drRegion: must differ from region/ },
        { name: "refs/ prefix", stack: "dev", overrides: { branch: "refs/heads/main" }, expect: /branch: expected a branch name without refs\/heads\// },
        { name: "prod from main", stack: "prod", overrides: { branch: "main" }, expect: /prod must not deploy every push to main/ },
        { name: "prod without approvers", stack: "prod", overrides: { approvers: [] }, expect: /prod needs at least one approving Pulumi team/ },
        { name: "approvers without env", stack: "staging", overrides: { approvers: ["x"] }, expect: /approvers: set escEnvironment too/ },
        { name: "bad cron", stack: "staging", overrides: { driftScheduleCron: "hourly" }, expect: /driftScheduleCron: expected a 5-field cron/ },
        { name: "bad boolean", stack: "dev", overrides: { deployCommits: "yes" }, expect: /deployCommits: expected true or false/ },
        { name: "missing slack", stack: "dev", overrides: {}, slack: false, expect: /slackWebhookUrl: required.*--secret/ },
    ];
    for (const row of bad) {
        it(`rejects ${row.name} with the key path and the fix`, () => {
            const stack = row.stack as PlatformStack;
            const raw = rawConfig((["dev", "staging", "prod"].includes(stack) ? stack : "dev") as PlatformStack, row.overrides);
            assert.throws(
                () => parseDeploymentsConfig(row.stack, raw, row.slack === false ? undefined : "https://hooks.slack.com/x"),
                (e: Error) => row.expect.test(e.message),
            );
        });
    }

    it("reports every problem at once", () => {
        try {
            parseDeploymentsConfig("dev", { pulumiOrg: "", repository: "x", awsAccountId: "1" }, undefined);
            assert.fail("expected an error");
        } catch (e) {
            const lines = (e as Error).message.split("\n").filter((l) => l.trim().startsWith("- "));
            assert.ok(lines.length >= 4, (e as Error).message);
        }
    });

    it("accepts the committed defaults", () => {
        const cfg = configFor("staging");
        assert.strictEqual(cfg.branch, "main");
        assert.strictEqual(cfg.namePrefix, "ragplatform-staging");
        assert.strictEqual(cfg.bootstrapPrefix, "delivery-staging");
        assert.ok(Object.isFrozen(cfg));
    });
});
