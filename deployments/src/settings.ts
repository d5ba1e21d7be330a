/**
 * Pure builders for the Pulumi Cloud side of delivery: deployment settings per platform stack,
 * notification webhooks, drift schedules and the prod approval rule. They return plain objects
 * typed as the @pulumi/pulumiservice 1.3.0 argument types, so the program only forwards them and
 * the tests can check every field without mocks.
 */
import type * as pulumi from "@pulumi/pulumi";
import type {
    ApprovalRuleArgs,
    DeploymentSettingsArgs,
    DriftScheduleArgs,
    WebhookArgs,
} from "@pulumi/pulumiservice";
import { DeploymentsConfig } from "./config";

/** Pinned executor image: the same CLI version as the @pulumi/pulumi SDK in package.json. */
export const EXECUTOR_IMAGE = "pulumi/pulumi-nodejs:3.248.0";

/**
 * Deployment notification filters (`WebhookFilters` in @pulumi/pulumiservice 1.3.0, see
 * https://www.pulumi.com/docs/pulumi-cloud/webhooks/#filters). Pulumi Cloud has no "rollback"
 * event: a rollback is a deployment of an earlier commit (docs/rollback.md), so it is reported by
 * deployment_succeeded / deployment_failed like any other, and the rollback workflow posts its
 * own start/result messages to the same Slack channel.
 */
export const NOTIFY_FILTERS = {
    /** Every stack: a Pulumi Deployments run (push, PR preview, drift, manual) ended. */
    deployments: ["deployment_succeeded", "deployment_failed"],
    /**
     * Every stack: an update run outside Pulumi Deployments failed (the rollback workflow and the
     * emergency CLI path of docs/deployment.md run `pulumi up` from GitHub Actions or a laptop).
     */
    cliUpdates: ["update_failed"],
    /** Stacks with a drift schedule: drift found, or the drift run itself broke. */
    drift: ["drift_detected", "drift_detection_failed"],
    /** Prod only: every successful CLI update (rollbacks) and any destroy. */
    prodOnly: ["update_succeeded", "destroy_succeeded", "destroy_failed"],
} as const;

export function webhookFiltersFor(cfg: Pick<DeploymentsConfig, "stack" | "driftScheduleCron">): string[] {
    const filters: string[] = [...NOTIFY_FILTERS.deployments, ...NOTIFY_FILTERS.cliUpdates];
    if (cfg.driftScheduleCron !== undefined) filters.push(...NOTIFY_FILTERS.drift);
    if (cfg.stack === "prod") filters.push(...NOTIFY_FILTERS.prodOnly);
    return filters;
}

/**
 * Shell commands run by Pulumi Deployments before the Pulumi operation. Dependencies are
 * installed by us (npm workspaces + lockfile) instead of the executor's default install, and the
 * program is built so a broken commit fails before touching the cloud. In prod a manual
 * Aurora snapshot is taken before every `update` (seed 002 §2.2 "create a backup before deploy").
 */
export function preRunCommandsFor(stack: DeploymentsConfig["stack"]): string[] {
    const commands = ["npm ci --no-audit --no-fund", "npm run build"];
    if (stack === "prod") commands.push("bash deployments/scripts/pre-deploy-snapshot.sh");
    return commands;
}

/** The `sub` claim Pulumi Deployments puts in its OIDC token for one operation on one stack. */
export function pulumiDeploySubject(org: string, project: string, stack: string, operation: string): string {
    return `pulumi:deploy:org:${org}:project:${project}:stack:${stack}:operation:${operation}:scope:write`;
}

export function deployRoleName(cfg: Pick<DeploymentsConfig, "bootstrapPrefix">): string {
    return `${cfg.bootstrapPrefix}-deploy`;
}

export function previewRoleName(cfg: Pick<DeploymentsConfig, "bootstrapPrefix">): string {
    return `${cfg.bootstrapPrefix}-preview`;
}

export function roleArn(cfg: Pick<DeploymentsConfig, "awsAccountId">, name: string): string {
    return `arn:aws:iam::${cfg.awsAccountId}:role/${name}`;
}

/** Assume-role session length for deployments: Aurora and CloudFront changes outlast 1 hour. */
export const DEPLOY_SESSION_SECONDS = 2 * 60 * 60;

/**
 * Deployment settings of one platform stack.
 * - dev, staging: push-to-deploy from `main`; prod: from the reviewed `release` branch.
 * - path filters so documentation-only pushes do not deploy.
 * - PR previews by Pulumi Deployments only where enabled (dev by default; they run with the
 *   deploy role, see README), otherwise PR previews are the GitHub Actions `preview` job.
 * - AWS credentials through Deployments OIDC: the deploy role, 2-hour session.
 */
export function deploymentSettingsFor(cfg: DeploymentsConfig, deployRoleArn: pulumi.Input<string>): DeploymentSettingsArgs {
    return {
        organization: cfg.pulumiOrg,
        project: cfg.platformProject,
        stack: cfg.stack,
        sourceContext: {
            git: {
                branch: `refs/heads/${cfg.branch}`,
                repoDir: ".",
            },
        },
        github: {
            repository: cfg.repository,
            deployCommits: cfg.deployCommits,
            previewPullRequests: cfg.previewPullRequests,
            pullRequestTemplate: false,
            paths: [...cfg.paths],
        },
        executorContext: {
            executorImage: EXECUTOR_IMAGE,
        },
        cacheOptions: { enable: true },
        operationContext: {
            preRunCommands: preRunCommandsFor(cfg.stack),
            environmentVariables: {
                AWS_REGION: cfg.region,
                AWS_DEFAULT_REGION: cfg.region,
                PLATFORM_STACK: cfg.stack,
                PLATFORM_PROJECT: cfg.platformProject,
                PLATFORM_NAME_PREFIX: cfg.namePrefix,
                PULUMI_ORG: cfg.pulumiOrg,
                // Transpile-only at run time; type-checking is the PR gate (DESIGN "Speed").
                TS_NODE_TRANSPILE_ONLY: "true",
            },
            options: {
                skipInstallDependencies: true,
                skipIntermediateDeployments: true,
                shell: "/bin/bash",
            },
            oidc: {
                aws: {
                    roleARN: deployRoleArn,
                    sessionName: `pulumi-deployments-${cfg.stack}`,
                    duration: "2h0m0s",
                },
            },
        },
    };
}

/** Slack notifications for one stack's deployments. */
export function webhookFor(cfg: DeploymentsConfig): WebhookArgs {
    return {
        active: true,
        displayName: `${cfg.namePrefix} deployments to Slack`,
        organizationName: cfg.pulumiOrg,
        projectName: cfg.platformProject,
        stackName: cfg.stack,
        payloadUrl: cfg.slackWebhookUrl,
        format: "slack",
        filters: webhookFiltersFor(cfg) as WebhookArgs["filters"],
    };
}

/** Drift detection (refresh + report, never auto-remediate: a human decides). */
export function driftScheduleFor(cfg: DeploymentsConfig): DriftScheduleArgs | undefined {
    if (cfg.driftScheduleCron === undefined) return undefined;
    return {
        organization: cfg.pulumiOrg,
        project: cfg.platformProject,
        stack: cfg.stack,
        scheduleCron: cfg.driftScheduleCron,
        autoRemediate: false,
    };
}

/**
 * Approval gate. Pulumi Cloud approval rules (ApprovalRule, @pulumi/pulumiservice 1.3.0) guard
 * updates of an ESC environment (`targetActionTypes: ["update"]`), not stack updates. We use one
 * on the stack's ESC environment (secrets and config), and gate the stack update itself with the
 * protected `release` branch (reviewed promotion PR) - see docs/deployment.md.
 */
export function approvalRuleFor(cfg: DeploymentsConfig): ApprovalRuleArgs | undefined {
    if (cfg.escEnvironment === undefined || cfg.approvers.length === 0) return undefined;
    const [project, name] = cfg.escEnvironment.split("/");
    return {
        name: `${cfg.namePrefix}-esc-changes`,
        enabled: true,
        targetActionTypes: ["update"],
        environmentIdentifier: { organization: cfg.pulumiOrg, project, name },
        approvalRuleConfig: {
            numApprovalsRequired: cfg.stack === "prod" ? 2 : 1,
            allowSelfApproval: false,
            requireReapprovalOnChange: true,
            eligibleApprovers: cfg.approvers.map((teamName) => ({ teamName })),
        },
    };
}
