/**
 * The deployments program for one platform stack: AWS bootstrap IAM (OIDC providers, permissions
 * boundary, preview and deploy roles) and the Pulumi Cloud delivery settings (deployment
 * settings, Slack webhook, drift schedule, ESC approval rule, GitHub OIDC issuer).
 *
 * Everything is built from plain config values; no resource is created inside `.apply()`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as pulumiservice from "@pulumi/pulumiservice";
import { DeploymentsConfig } from "./config";
import {
    deployOperationsFor,
    deployPolicies,
    githubSubject,
    githubTrustStatement,
    GITHUB_OIDC_AUDIENCE,
    GITHUB_OIDC_HOST,
    GITHUB_OIDC_URL,
    oidcProviderArn,
    permissionsBoundary,
    pulumiTrustStatement,
    PULUMI_OIDC_HOST,
    PULUMI_OIDC_URL,
    readPolicy,
    trustPolicy,
} from "./iam";
import {
    approvalRuleFor,
    DEPLOY_SESSION_SECONDS,
    deploymentSettingsFor,
    deployRoleName,
    driftScheduleFor,
    previewRoleName,
    roleArn,
    webhookFor,
} from "./settings";

export interface DeploymentsOutputs {
    previewRoleArn: pulumi.Output<string>;
    deployRoleArn: pulumi.Output<string>;
    boundaryPolicyArn: pulumi.Output<string>;
    githubOidcProviderArn: string;
    pulumiOidcProviderArn: string;
    deploymentSettingsId: pulumi.Output<string>;
    branch: string;
    deployCommits: boolean;
    /** Every resource this program registered (tests await their URNs). */
    resources: pulumi.Resource[];
}

/** Pulumi auth policy (Pulumi Cloud OIDC issuer) rules for GitHub Actions tokens of this repository. */
export function githubIssuerPolicies(cfg: DeploymentsConfig): pulumiservice.types.input.AuthPolicyDefinitionArgs[] {
    const aud = `urn:pulumi:org:${cfg.pulumiOrg}`;
    return [
        {
            decision: "allow",
            tokenType: "team",
            teamName: cfg.ciTeam,
            rules: { aud, sub: githubSubject(cfg.repository, { pullRequest: true }) },
        },
        ...["dev", "staging", "prod"].map((environment) => ({
            decision: "allow" as const,
            tokenType: "team" as const,
            teamName: cfg.deployTeam,
            rules: { aud, sub: githubSubject(cfg.repository, { environment }) },
        })),
    ];
}

export function createDeployments(cfg: DeploymentsConfig): DeploymentsOutputs {
    const provider = new aws.Provider("aws", {
        region: cfg.region as aws.Region,
        allowedAccountIds: [cfg.awsAccountId],
        defaultTags: {
            tags: {
                Project: "platform-deployments",
                Environment: cfg.stack,
                ManagedBy: "pulumi",
                Purpose: "delivery-bootstrap",
            },
        },
    });
    const opts: pulumi.CustomResourceOptions = { provider, protect: cfg.stack === "prod" };
    const resources: pulumi.Resource[] = [provider];
    const track = <T extends pulumi.Resource>(r: T): T => {
        resources.push(r);
        return r;
    };

    // --- OIDC identity providers (one per account; reuse when another stack owns them). -------
    const githubProviderArn = oidcProviderArn(cfg.awsAccountId, GITHUB_OIDC_HOST);
    const pulumiProviderArn = oidcProviderArn(cfg.awsAccountId, PULUMI_OIDC_HOST);
    const dependsOn: pulumi.Resource[] = [];
    if (cfg.createGithubOidcProvider) {
        dependsOn.push(
            track(new aws.iam.OpenIdConnectProvider("github-actions", { url: GITHUB_OIDC_URL, clientIdLists: [GITHUB_OIDC_AUDIENCE] }, opts)),
        );
    }
    if (cfg.createPulumiOidcProvider) {
        // Deployments OIDC: the audience is the organization name (docs: pulumi-cloud/deployments/oidc).
        dependsOn.push(
            track(new aws.iam.OpenIdConnectProvider("pulumi-deployments", { url: PULUMI_OIDC_URL, clientIdLists: [cfg.pulumiOrg] }, opts)),
        );
    }

    // --- Permissions boundary, preview role, deploy role. -------------------------------------
    const boundaryName = `${cfg.bootstrapPrefix}-boundary`;
    const boundaryArn = `arn:aws:iam::${cfg.awsAccountId}:policy/${boundaryName}`;
    const previewName = previewRoleName(cfg);
    const deployName = deployRoleName(cfg);
    const ctx = {
        accountId: cfg.awsAccountId,
        region: cfg.region,
        drRegion: cfg.drRegion,
        prefix: cfg.namePrefix,
        stackTagKey: cfg.stackTagKey,
        stack: cfg.stack,
        boundaryPolicyArn: boundaryArn,
        protectedRoleArns: [roleArn(cfg, previewName), roleArn(cfg, deployName)],
    };

    const boundary = track(new aws.iam.Policy("boundary", {
        name: boundaryName,
        description: `Permissions boundary of ${deployName} and of every role it creates (platform ${cfg.stack}).`,
        policy: JSON.stringify(permissionsBoundary(ctx)),
        tags: { "platform:policy-kind": "permissions-boundary" },
    }, opts));

    const previewRole = track(new aws.iam.Role("preview", {
        name: previewName,
        description: `Read-only role for pull-request previews of platform ${cfg.stack} (GitHub Actions OIDC, same-repository PRs only).`,
        assumeRolePolicy: JSON.stringify(
            trustPolicy(githubTrustStatement(githubProviderArn, [githubSubject(cfg.repository, { pullRequest: true })])),
        ),
        maxSessionDuration: 3600,
        permissionsBoundary: boundary.arn,
    }, { ...opts, dependsOn }));
    track(new aws.iam.RolePolicy("preview-read", {
        name: "read-platform-metadata",
        role: previewRole.id,
        policy: JSON.stringify(readPolicy([cfg.region, cfg.drRegion, "us-east-1"])),
    }, opts));

    const deployRole = track(new aws.iam.Role("deploy", {
        name: deployName,
        description: `Deploys platform ${cfg.stack}: Pulumi Deployments OIDC and the GitHub environment "${cfg.stack}" (rollback workflow).`,
        assumeRolePolicy: JSON.stringify(
            trustPolicy(
                pulumiTrustStatement(pulumiProviderArn, cfg.pulumiOrg, cfg.platformProject, cfg.stack, deployOperationsFor(cfg.stack)),
                githubTrustStatement(githubProviderArn, [githubSubject(cfg.repository, { environment: cfg.stack })]),
            ),
        ),
        maxSessionDuration: DEPLOY_SESSION_SECONDS,
        permissionsBoundary: boundary.arn,
    }, { ...opts, dependsOn }));
    track(new aws.iam.RolePolicy("deploy-read", {
        name: "read-platform-metadata",
        role: deployRole.id,
        policy: JSON.stringify(readPolicy([cfg.region, cfg.drRegion, "us-east-1"])),
    }, opts));
    for (const [tier, document] of Object.entries(deployPolicies(ctx))) {
        const policy = track(new aws.iam.Policy(`deploy-${tier}`, {
            name: `${cfg.bootstrapPrefix}-deploy-${tier}`,
            description: `Deploy grants (${tier}) for platform ${cfg.stack}, scoped to ${cfg.namePrefix}-* resources.`,
            policy: JSON.stringify(document),
        }, opts));
        track(new aws.iam.RolePolicyAttachment(`deploy-${tier}`, { role: deployRole.name, policyArn: policy.arn }, opts));
    }

    // --- Pulumi Cloud: deployment settings, notifications, drift, approvals. ------------------
    const settings = track(new pulumiservice.DeploymentSettings(
        "settings",
        deploymentSettingsFor(cfg, deployRole.arn),
        { protect: cfg.stack === "prod" },
    ));
    track(new pulumiservice.Webhook("slack", webhookFor(cfg)));
    const drift = driftScheduleFor(cfg);
    if (drift !== undefined) track(new pulumiservice.DriftSchedule("drift", drift, { dependsOn: [settings] }));
    const approval = approvalRuleFor(cfg);
    if (approval !== undefined) track(new pulumiservice.ApprovalRule("esc-approval", approval));
    if (cfg.createPulumiOidcIssuer) {
        track(new pulumiservice.OidcIssuer("github-actions", {
            name: "github-actions",
            organization: cfg.pulumiOrg,
            url: GITHUB_OIDC_URL,
            maxExpirationSeconds: DEPLOY_SESSION_SECONDS,
            policies: githubIssuerPolicies(cfg),
        }));
    }

    return {
        previewRoleArn: previewRole.arn,
        deployRoleArn: deployRole.arn,
        boundaryPolicyArn: boundary.arn,
        githubOidcProviderArn: githubProviderArn,
        pulumiOidcProviderArn: pulumiProviderArn,
        deploymentSettingsId: settings.id,
        branch: cfg.branch,
        deployCommits: cfg.deployCommits,
        resources,
    };
}
