/**
 * Pure IAM builders for the delivery bootstrap: OIDC trust policies, the read-only preview role,
 * the deploy role (split into managed policies under the 6,144-character limit), and the
 * permissions boundary that caps the deploy role and every role it creates.
 *
 * Trade-off (documented in deployments/README.md): a role that deploys a whole platform needs
 * create/modify/delete on ~30 services. We never grant `*` or `service:*`; we grant verb-prefixed
 * actions (`rds:Create*`) on ARN patterns that start with the stack prefix (`platform-<stack>-`),
 * EC2 by stack tag, and `*` resources only for actions AWS cannot scope. IAM is fully named and
 * bound to the permissions boundary, so the deploy role cannot mint a role stronger than itself.
 */
import { ALLOWED_MANAGED_POLICIES, UNSCOPABLE_ACTIONS } from "../../policypack/allowlists";

export interface Statement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Action: string[];
    Resource: string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: Statement[];
}

export interface TrustStatement {
    Sid: string;
    Effect: "Allow";
    Principal: { Federated: string };
    Action: "sts:AssumeRoleWithWebIdentity";
    Condition: Record<string, Record<string, string | string[]>>;
}

export interface TrustPolicy {
    Version: "2012-10-17";
    Statement: TrustStatement[];
}

export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
export const GITHUB_OIDC_URL = `https://${GITHUB_OIDC_HOST}`;
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";
export const PULUMI_OIDC_HOST = "api.pulumi.com/oidc";
export const PULUMI_OIDC_URL = `https://${PULUMI_OIDC_HOST}`;

export function oidcProviderArn(accountId: string, host: string): string {
    return `arn:aws:iam::${accountId}:oidc-provider/${host}`;
}

/** GitHub `sub` claims: a job without `environment:` on a pull_request event, or a job in an environment. */
export function githubSubject(repository: string, kind: { pullRequest: true } | { environment: string } | { branch: string }): string {
    if ("pullRequest" in kind) return `repo:${repository}:pull_request`;
    if ("environment" in kind) return `repo:${repository}:environment:${kind.environment}`;
    return `repo:${repository}:ref:refs/heads/${kind.branch}`;
}

/** Trust for GitHub Actions OIDC: exact audience, exact subjects (no wildcards). */
export function githubTrustStatement(providerArn: string, subjects: readonly string[]): TrustStatement {
    if (subjects.length === 0) throw new Error("githubTrustStatement: at least one subject is required");
    for (const s of subjects) {
        if (s.includes("*")) throw new Error(`githubTrustStatement: subject "${s}" must not contain wildcards`);
    }
    return {
        Sid: "GitHubActionsOidc",
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
            StringEquals: {
                [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE,
                [`${GITHUB_OIDC_HOST}:sub`]: [...subjects],
            },
        },
    };
}

/**
 * Trust for Pulumi Deployments OIDC (https://www.pulumi.com/docs/pulumi-cloud/deployments/oidc/):
 * `aud` is the organization name, `sub` is
 * `pulumi:deploy:org:<org>:project:<project>:stack:<stack>:operation:<op>:scope:write`.
 */
export function pulumiTrustStatement(providerArn: string, org: string, project: string, stack: string, operations: readonly string[]): TrustStatement {
    if (operations.length === 0) throw new Error("pulumiTrustStatement: at least one operation is required");
    return {
        Sid: "PulumiDeploymentsOidc",
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
            StringEquals: {
                [`${PULUMI_OIDC_HOST}:aud`]: org,
                [`${PULUMI_OIDC_HOST}:sub`]: operations.map(
                    (op) => `pulumi:deploy:org:${org}:project:${project}:stack:${stack}:operation:${op}:scope:write`,
                ),
            },
        },
    };
}

/** Pulumi operations the deploy role serves: prod never trusts `destroy`. */
export function deployOperationsFor(stack: string): string[] {
    return stack === "prod" ? ["preview", "update", "refresh"] : ["preview", "update", "refresh", "destroy"];
}

export function trustPolicy(...statements: TrustStatement[]): TrustPolicy {
    return { Version: "2012-10-17", Statement: statements };
}

// ---------------------------------------------------------------------------------------------
// Preview role: metadata reads only.
// ---------------------------------------------------------------------------------------------

/**
 * Read actions the preview role needs for `pulumi preview --refresh` of the platform, all named.
 * Metadata only: no action that returns customer data or secret values (see
 * FORBIDDEN_PREVIEW_ACTIONS). These List/Describe/Get calls either have no resource-level scope
 * or are harmless on `*`; the read-only role therefore uses `Resource: "*"`.
 * Not the AWS managed ReadOnlyAccess: it includes s3:GetObject, dynamodb:Scan/Query,
 * and similar data reads, which a PR preview role must not have (and the pack forbids it).
 */
export const PREVIEW_READ_ACTIONS: readonly string[] = [
    "sts:GetCallerIdentity",
    // EC2 / VPC
    "ec2:DescribeAvailabilityZones", "ec2:DescribeRegions", "ec2:DescribeAccountAttributes",
    "ec2:DescribeVpcs", "ec2:DescribeVpcAttribute", "ec2:DescribeSubnets", "ec2:DescribeRouteTables",
    "ec2:DescribeInternetGateways", "ec2:DescribeNatGateways", "ec2:DescribeAddresses",
    "ec2:DescribeAddressesAttribute", "ec2:DescribeSecurityGroups", "ec2:DescribeSecurityGroupRules",
    "ec2:DescribeNetworkAcls", "ec2:DescribeVpcEndpoints", "ec2:DescribeVpcEndpointServices",
    "ec2:DescribePrefixLists", "ec2:DescribeManagedPrefixLists", "ec2:DescribeFlowLogs",
    "ec2:DescribeNetworkInterfaces", "ec2:DescribeTags", "ec2:DescribeLaunchTemplates",
    // Load balancing, ECS, ECR, autoscaling
    "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes",
    "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetGroupAttributes",
    "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeListenerAttributes",
    "elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTags",
    "elasticloadbalancing:DescribeListenerCertificates",
    "ecs:DescribeClusters", "ecs:DescribeServices", "ecs:DescribeTaskDefinition", "ecs:DescribeCapacityProviders",
    "ecs:ListTagsForResource", "ecr:DescribeRepositories", "ecr:GetLifecyclePolicy",
    "ecr:GetRepositoryPolicy", "ecr:ListTagsForResource",
    "application-autoscaling:DescribeScalableTargets", "application-autoscaling:DescribeScalingPolicies",
    "application-autoscaling:DescribeScheduledActions", "application-autoscaling:ListTagsForResource",
    // Lambda, API Gateway, Step Functions, messaging
    "lambda:GetFunction", "lambda:GetFunctionConfiguration", "lambda:GetPolicy", "lambda:ListVersionsByFunction",
    "lambda:GetFunctionCodeSigningConfig", "lambda:GetFunctionConcurrency", "lambda:GetFunctionUrlConfig",
    "lambda:GetEventSourceMapping", "lambda:ListTags", "lambda:GetAlias", "lambda:GetLayerVersion",
    "lambda:GetFunctionEventInvokeConfig", "lambda:GetRuntimeManagementConfig", "lambda:GetFunctionRecursionConfig",
    "states:DescribeStateMachine", "states:ListTagsForResource",
    "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ListQueueTags",
    "sns:GetTopicAttributes", "sns:GetSubscriptionAttributes", "sns:ListTagsForResource",
    "sns:ListSubscriptionsByTopic", "sns:GetDataProtectionPolicy",
    "events:DescribeRule", "events:ListTargetsByRule", "events:ListTagsForResource", "events:DescribeEventBus",
    "scheduler:GetSchedule", "scheduler:GetScheduleGroup", "scheduler:ListTagsForResource",
    // Data stores (configuration only)
    "rds:DescribeDBClusters", "rds:DescribeDBInstances", "rds:DescribeDBSubnetGroups",
    "rds:DescribeDBClusterParameterGroups", "rds:DescribeDBClusterParameters", "rds:DescribeDBParameterGroups",
    "rds:DescribeDBParameters", "rds:DescribeGlobalClusters", "rds:DescribeDBClusterSnapshots",
    "rds:DescribeDBEngineVersions", "rds:DescribeOrderableDBInstanceOptions", "rds:ListTagsForResource",
    "elasticache:DescribeReplicationGroups", "elasticache:DescribeCacheClusters",
    "elasticache:DescribeCacheSubnetGroups", "elasticache:DescribeCacheParameterGroups",
    "elasticache:DescribeCacheParameters", "elasticache:DescribeUsers", "elasticache:DescribeUserGroups",
    "elasticache:ListTagsForResource",
    "dynamodb:DescribeTable", "dynamodb:DescribeContinuousBackups", "dynamodb:DescribeTimeToLive",
    "dynamodb:ListTagsOfResource", "dynamodb:DescribeKinesisStreamingDestination", "dynamodb:GetResourcePolicy",
    "s3:GetBucketLocation", "s3:GetBucketPolicy", "s3:GetBucketPolicyStatus", "s3:GetBucketAcl",
    "s3:GetBucketVersioning", "s3:GetEncryptionConfiguration", "s3:GetBucketPublicAccessBlock",
    "s3:GetBucketOwnershipControls", "s3:GetLifecycleConfiguration", "s3:GetReplicationConfiguration",
    "s3:GetBucketLogging", "s3:GetBucketTagging", "s3:GetBucketCORS", "s3:GetBucketWebsite",
    "s3:GetBucketNotification", "s3:GetBucketObjectLockConfiguration", "s3:GetAccelerateConfiguration",
    "s3:GetBucketRequestPayment", "s3:GetIntelligentTieringConfiguration", "s3:ListAllMyBuckets",
    "elasticfilesystem:DescribeFileSystems", "elasticfilesystem:DescribeMountTargets",
    "elasticfilesystem:DescribeAccessPoints", "elasticfilesystem:DescribeBackupPolicy",
    "elasticfilesystem:DescribeLifecycleConfiguration", "elasticfilesystem:DescribeFileSystemPolicy",
    "backup:GetBackupPlan", "backup:GetBackupSelection", "backup:DescribeBackupVault",
    "backup:GetBackupVaultAccessPolicy", "backup:ListTags",
    // Secrets and keys: metadata, never values
    "secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy",
    "kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListAliases",
    "kms:ListResourceTags",
    // Edge
    "cloudfront:GetDistribution", "cloudfront:GetDistributionConfig", "cloudfront:GetOriginAccessControl",
    "cloudfront:GetCachePolicy", "cloudfront:GetOriginRequestPolicy", "cloudfront:GetResponseHeadersPolicy",
    "cloudfront:GetFunction", "cloudfront:DescribeFunction", "cloudfront:ListTagsForResource",
    "wafv2:GetWebACL", "wafv2:GetWebACLForResource", "wafv2:GetIPSet", "wafv2:GetRuleGroup",
    "wafv2:GetLoggingConfiguration", "wafv2:ListTagsForResource",
    "acm:DescribeCertificate", "acm:ListTagsForCertificate",
    "route53:GetHostedZone", "route53:ListResourceRecordSets", "route53:GetChange",
    "route53:ListTagsForResource", "route53:GetHealthCheck",
    "cognito-idp:DescribeUserPool", "cognito-idp:DescribeUserPoolClient", "cognito-idp:DescribeUserPoolDomain",
    "cognito-idp:GetUserPoolMfaConfig", "cognito-idp:ListTagsForResource",
    // Observability and audit
    "logs:DescribeLogGroups", "logs:ListTagsForResource", "logs:DescribeMetricFilters",
    "logs:DescribeSubscriptionFilters", "logs:DescribeResourcePolicies",
    "cloudwatch:DescribeAlarms", "cloudwatch:GetDashboard", "cloudwatch:ListTagsForResource",
    "xray:GetSamplingRules", "xray:GetGroup", "xray:GetEncryptionConfig",
    "cloudtrail:DescribeTrails", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors",
    "cloudtrail:ListTags", "budgets:ViewBudget", "ssm:DescribeParameters", "ssm:ListTagsForResource",
    // IAM (workload roles)
    "iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies",
    "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions", "iam:ListInstanceProfilesForRole",
    "iam:GetOpenIDConnectProvider", "iam:ListRoleTags",
];

/** Data-plane and secret-value reads a PR preview role must never have. */
export const FORBIDDEN_PREVIEW_ACTIONS: readonly string[] = [
    "s3:GetObject", "s3:GetObjectVersion", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query",
    "dynamodb:Scan", "secretsmanager:GetSecretValue", "ssm:GetParameter", "ssm:GetParameters",
    "ssm:GetParametersByPath", "kms:Decrypt", "sqs:ReceiveMessage", "logs:GetLogEvents",
    "logs:FilterLogEvents", "lambda:InvokeFunction", "rds-db:connect", "elasticache:Connect",
];

/**
 * Read-only policy of the preview role, also attached inline to the deploy role (refresh and
 * drift detection need the same reads). Inline because the list is longer than a managed
 * policy may be (6,144 characters); a role's inline policies may total 10,240.
 */
export function readPolicy(regions: readonly string[]): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "ReadPlatformMetadata", Effect: "Allow", Action: [...PREVIEW_READ_ACTIONS], Resource: ["*"] },
            {
                Sid: "ReadApiGatewayConfiguration",
                Effect: "Allow",
                Action: ["apigateway:GET"],
                Resource: regions.flatMap((r) => [
                    `arn:aws:apigateway:${r}::/restapis*`, `arn:aws:apigateway:${r}::/apis*`, `arn:aws:apigateway:${r}::/tags/*`,
                    `arn:aws:apigateway:${r}::/account`, `arn:aws:apigateway:${r}::/domainnames*`,
                    `arn:aws:apigateway:${r}::/usageplans*`, `arn:aws:apigateway:${r}::/apikeys*`,
                ]),
            },
        ],
    };
}

// ---------------------------------------------------------------------------------------------
// Deploy role.
// ---------------------------------------------------------------------------------------------

export interface DeployContext {
    accountId: string;
    region: string;
    drRegion: string;
    /** `<slug>-<stack>` (e.g. `ragplatform-prod`): every physical name of the stack starts with it. */
    prefix: string;
    stackTagKey: string;
    stack: string;
    boundaryPolicyArn: string;
    /** Roles that the deploy role must never touch (itself, the preview role). */
    protectedRoleArns: string[];
}

/**
 * Actions that create resources whose ARN does not exist yet or that AWS does not scope, which
 * the deploy role needs on `*` (Service Authorization Reference: no resource type, or a
 * generated id). Proposed for policypack/allowlists.ts as DEPLOY_UNSCOPABLE_ACTIONS.
 */
export const DEPLOY_UNSCOPABLE_ACTIONS: readonly string[] = [
    "ecs:RegisterTaskDefinition", "ecs:DeregisterTaskDefinition",
    "acm:RequestCertificate", "kms:CreateKey",
    "cognito-idp:CreateUserPool", "cognito-identity:CreateIdentityPool",
    "ce:CreateAnomalyMonitor", "ce:CreateAnomalySubscription", "ce:UpdateCostAllocationTagsStatus", "ce:ListCostAllocationTags",
    "chatbot:DescribeSlackChannelConfigurations",
    "lambda:CreateEventSourceMapping", "lambda:GetEventSourceMapping",
    "cloudfront:CreateOriginAccessControl", "cloudfront:CreateCachePolicy",
    "cloudfront:CreateResponseHeadersPolicy", "cloudfront:CreateOriginRequestPolicy",
    "route53:CreateHealthCheck",
    "backup:CreateBackupPlan",
    "elasticache:CreateUser",
    "ec2:CreateTags",
];

const arnList = (regions: string[], make: (region: string) => string[]): string[] => regions.flatMap(make);

/**
 * The deploy grants, grouped into managed policies (one per tier) so each stays under the
 * 6,144-character managed-policy limit and a role stays under 10 attachments.
 */
export function deployPolicies(ctx: DeployContext): Record<string, PolicyDocument> {
    const { accountId: a, region, drRegion, prefix: p } = ctx;
    const regions = [region, drRegion];
    const tagKey = ctx.stackTagKey;
    const doc = (...statements: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement: statements });
    const allow = (Sid: string, Action: string[], Resource: string[], Condition?: Statement["Condition"]): Statement =>
        Condition === undefined ? { Sid, Effect: "Allow", Action, Resource } : { Sid, Effect: "Allow", Action, Resource, Condition };

    return {
        network: doc(
            allow(
                "Ec2CreateTaggedForStack",
                ["ec2:CreateVpc", "ec2:CreateSubnet", "ec2:CreateRouteTable", "ec2:CreateInternetGateway",
                    "ec2:CreateNatGateway", "ec2:AllocateAddress", "ec2:CreateSecurityGroup", "ec2:CreateNetworkAcl",
                    "ec2:CreateVpcEndpoint", "ec2:CreateFlowLogs"],
                arnList(regions, (r) => [`arn:aws:ec2:${r}:${a}:*`]),
                { StringEquals: { [`aws:RequestTag/${tagKey}`]: ctx.stack } },
            ),
            allow(
                "Ec2CreateInsideStackResources",
                ["ec2:CreateVpc", "ec2:CreateSubnet", "ec2:CreateRouteTable", "ec2:CreateInternetGateway",
                    "ec2:CreateNatGateway", "ec2:AllocateAddress", "ec2:CreateSecurityGroup", "ec2:CreateNetworkAcl",
                    "ec2:CreateVpcEndpoint", "ec2:CreateFlowLogs", "ec2:CreateRoute", "ec2:CreateNetworkAclEntry"],
                arnList(regions, (r) => [`arn:aws:ec2:${r}:${a}:vpc/*`, `arn:aws:ec2:${r}:${a}:subnet/*`, `arn:aws:ec2:${r}:${a}:route-table/*`, `arn:aws:ec2:${r}:${a}:network-acl/*`, `arn:aws:ec2:${r}:${a}:elastic-ip/*`, `arn:aws:ec2:${r}:${a}:security-group/*`]),
                { StringEquals: { [`aws:ResourceTag/${tagKey}`]: ctx.stack } },
            ),
            allow(
                "Ec2ChangeStackResources",
                ["ec2:Modify*", "ec2:Delete*", "ec2:Associate*", "ec2:Disassociate*", "ec2:Attach*", "ec2:Detach*",
                    "ec2:Replace*", "ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress",
                    "ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress", "ec2:UpdateSecurityGroupRuleDescriptions*",
                    "ec2:ReleaseAddress", "ec2:DeleteTags"],
                arnList(regions, (r) => [`arn:aws:ec2:${r}:${a}:*`]),
                { StringEquals: { [`aws:ResourceTag/${tagKey}`]: ctx.stack } },
            ),
            allow("Ec2TagOnCreate", ["ec2:CreateTags"], ["*"], {
                StringEquals: { "ec2:CreateAction": ["CreateVpc", "CreateSubnet", "CreateRouteTable", "CreateInternetGateway", "CreateNatGateway", "AllocateAddress", "CreateSecurityGroup", "CreateNetworkAcl", "CreateVpcEndpoint", "CreateFlowLogs"] },
            }),
            allow(
                "LoadBalancers",
                ["elasticloadbalancing:Create*", "elasticloadbalancing:Delete*", "elasticloadbalancing:Modify*",
                    "elasticloadbalancing:Set*", "elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags",
                    "elasticloadbalancing:AddListenerCertificates", "elasticloadbalancing:RemoveListenerCertificates",
                    "elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
                arnList(regions, (r) => [`arn:aws:elasticloadbalancing:${r}:${a}:loadbalancer/app/${p}-*/*`, `arn:aws:elasticloadbalancing:${r}:${a}:targetgroup/${p}-*/*`, `arn:aws:elasticloadbalancing:${r}:${a}:listener/app/${p}-*/*`, `arn:aws:elasticloadbalancing:${r}:${a}:listener-rule/app/${p}-*/*`]),
            ),
            allow(
                "Edge",
                ["cloudfront:Create*", "cloudfront:Update*", "cloudfront:Delete*", "cloudfront:Get*", "cloudfront:TagResource",
                    "cloudfront:UntagResource", "cloudfront:PublishFunction", "cloudfront:CreateInvalidation"],
                [`arn:aws:cloudfront::${a}:distribution/*`, `arn:aws:cloudfront::${a}:origin-access-control/*`, `arn:aws:cloudfront::${a}:cache-policy/*`, `arn:aws:cloudfront::${a}:response-headers-policy/*`, `arn:aws:cloudfront::${a}:origin-request-policy/*`, `arn:aws:cloudfront::${a}:function/${p}-*`],
            ),
            allow(
                "Waf",
                ["wafv2:Create*", "wafv2:Update*", "wafv2:Delete*", "wafv2:Get*", "wafv2:List*", "wafv2:TagResource",
                    "wafv2:UntagResource", "wafv2:AssociateWebACL", "wafv2:DisassociateWebACL", "wafv2:PutLoggingConfiguration",
                    "wafv2:DeleteLoggingConfiguration"],
                [`arn:aws:wafv2:us-east-1:${a}:global/*/${p}-*/*`, ...arnList(regions, (r) => [`arn:aws:wafv2:${r}:${a}:regional/*/${p}-*/*`]), `arn:aws:wafv2:*:${a}:*/managedruleset/*/*`],
            ),
            allow(
                "CertificatesAndDns",
                ["acm:DeleteCertificate", "acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate",
                    "route53:ChangeResourceRecordSets", "route53:ChangeTagsForResource", "route53:UpdateHealthCheck",
                    "route53:DeleteHealthCheck"],
                [`arn:aws:acm:us-east-1:${a}:certificate/*`, ...arnList(regions, (r) => [`arn:aws:acm:${r}:${a}:certificate/*`]), "arn:aws:route53:::hostedzone/*", "arn:aws:route53:::healthcheck/*"],
            ),
        ),
        data: doc(
            allow(
                "Aurora",
                ["rds:Create*", "rds:Delete*", "rds:Modify*", "rds:AddTagsToResource", "rds:RemoveTagsFromResource",
                    "rds:AddRoleToDBCluster", "rds:RemoveRoleFromDBCluster", "rds:RebootDB*", "rds:FailoverDBCluster",
                    "rds:CopyDBClusterSnapshot", "rds:RestoreDBClusterToPointInTime", "rds:RestoreDBClusterFromSnapshot",
                    "rds:StartDBCluster", "rds:StopDBCluster"],
                arnList(regions, (r) => [`arn:aws:rds:${r}:${a}:cluster:${p}-*`, `arn:aws:rds:${r}:${a}:db:${p}-*`, `arn:aws:rds:${r}:${a}:subgrp:${p}-*`, `arn:aws:rds:${r}:${a}:cluster-pg:${p}-*`, `arn:aws:rds:${r}:${a}:pg:${p}-*`, `arn:aws:rds:${r}:${a}:cluster-snapshot:${p}-*`]),
            ),
            allow(
                "Redis",
                ["elasticache:Create*", "elasticache:Delete*", "elasticache:Modify*", "elasticache:AddTagsToResource",
                    "elasticache:RemoveTagsFromResource", "elasticache:IncreaseReplicaCount", "elasticache:DecreaseReplicaCount",
                    "elasticache:TestFailover"],
                arnList(regions, (r) => [`arn:aws:elasticache:${r}:${a}:replicationgroup:${p}-*`, `arn:aws:elasticache:${r}:${a}:cluster:${p}-*`, `arn:aws:elasticache:${r}:${a}:subnetgroup:${p}-*`, `arn:aws:elasticache:${r}:${a}:parametergroup:${p}-*`, `arn:aws:elasticache:${r}:${a}:user:${p}-*`, `arn:aws:elasticache:${r}:${a}:usergroup:${p}-*`, `arn:aws:elasticache:${r}:${a}:snapshot:${p}-*`]),
            ),
            allow(
                "DynamoDb",
                ["dynamodb:CreateTable", "dynamodb:DeleteTable", "dynamodb:UpdateTable", "dynamodb:UpdateTimeToLive",
                    "dynamodb:UpdateContinuousBackups", "dynamodb:TagResource", "dynamodb:UntagResource",
                    "dynamodb:PutResourcePolicy", "dynamodb:DeleteResourcePolicy", "dynamodb:CreateTableReplica",
                    "dynamodb:DeleteTableReplica"],
                arnList(regions, (r) => [`arn:aws:dynamodb:${r}:${a}:table/${p}-*`]),
            ),
            allow(
                "Buckets",
                ["s3:CreateBucket", "s3:DeleteBucket", "s3:PutBucket*", "s3:DeleteBucket*", "s3:PutEncryptionConfiguration",
                    "s3:PutLifecycleConfiguration", "s3:PutReplicationConfiguration", "s3:PutAccelerateConfiguration",
                    "s3:PutIntelligentTieringConfiguration", "s3:PutBucketObjectLockConfiguration", "s3:ListBucket",
                    "s3:ListBucketVersions"],
                [`arn:aws:s3:::${p}-*`],
            ),
            allow("BucketObjectsManagedByTheProgram", ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"], [`arn:aws:s3:::${p}-*/*`]),
            allow(
                "EfsAndBackup",
                ["elasticfilesystem:CreateFileSystem", "elasticfilesystem:DeleteFileSystem", "elasticfilesystem:Update*",
                    "elasticfilesystem:Put*", "elasticfilesystem:CreateMountTarget", "elasticfilesystem:DeleteMountTarget",
                    "elasticfilesystem:CreateAccessPoint", "elasticfilesystem:DeleteAccessPoint", "elasticfilesystem:TagResource",
                    "elasticfilesystem:UntagResource"],
                arnList(regions, (r) => [`arn:aws:elasticfilesystem:${r}:${a}:file-system/*`, `arn:aws:elasticfilesystem:${r}:${a}:access-point/*`]),
                { StringEquals: { [`aws:ResourceTag/${tagKey}`]: ctx.stack } },
            ),
            allow(
                "Backup",
                ["backup:CreateBackupVault", "backup:DeleteBackupVault", "backup:PutBackupVaultAccessPolicy",
                    "backup:DeleteBackupVaultAccessPolicy", "backup:UpdateBackupPlan", "backup:DeleteBackupPlan",
                    "backup:CreateBackupSelection", "backup:DeleteBackupSelection", "backup:TagResource", "backup:UntagResource"],
                arnList(regions, (r) => [`arn:aws:backup:${r}:${a}:backup-vault:${p}-*`, `arn:aws:backup:${r}:${a}:backup-plan:*`]),
            ),
        ),
        compute: doc(
            allow(
                "Ecs",
                ["ecs:CreateCluster", "ecs:DeleteCluster", "ecs:UpdateCluster*", "ecs:PutClusterCapacityProviders",
                    "ecs:CreateService", "ecs:UpdateService", "ecs:DeleteService", "ecs:TagResource", "ecs:UntagResource"],
                arnList(regions, (r) => [`arn:aws:ecs:${r}:${a}:cluster/${p}-*`, `arn:aws:ecs:${r}:${a}:service/${p}-*/*`, `arn:aws:ecs:${r}:${a}:task-definition/${p}-*:*`]),
            ),
            allow(
                "Ecr",
                ["ecr:CreateRepository", "ecr:DeleteRepository", "ecr:PutLifecyclePolicy", "ecr:DeleteLifecyclePolicy",
                    "ecr:SetRepositoryPolicy", "ecr:DeleteRepositoryPolicy", "ecr:PutImageScanningConfiguration",
                    "ecr:PutImageTagMutability", "ecr:TagResource", "ecr:UntagResource"],
                arnList(regions, (r) => [`arn:aws:ecr:${r}:${a}:repository/${p}-*`]),
            ),
            allow(
                "Lambda",
                ["lambda:CreateFunction", "lambda:DeleteFunction", "lambda:UpdateFunction*", "lambda:PublishVersion",
                    "lambda:CreateAlias", "lambda:UpdateAlias", "lambda:DeleteAlias", "lambda:AddPermission",
                    "lambda:RemovePermission", "lambda:PutFunctionConcurrency", "lambda:DeleteFunctionConcurrency",
                    "lambda:PutFunctionEventInvokeConfig", "lambda:DeleteFunctionEventInvokeConfig", "lambda:TagResource",
                    "lambda:UntagResource", "lambda:PublishLayerVersion", "lambda:DeleteLayerVersion",
                    "lambda:UpdateEventSourceMapping", "lambda:DeleteEventSourceMapping"],
                arnList(regions, (r) => [`arn:aws:lambda:${r}:${a}:function:${p}-*`, `arn:aws:lambda:${r}:${a}:layer:${p}-*`, `arn:aws:lambda:${r}:${a}:event-source-mapping:*`]),
            ),
            allow("ApiGateway", ["apigateway:POST", "apigateway:PUT", "apigateway:PATCH", "apigateway:DELETE"],
                arnList(regions, (r) => [
                    `arn:aws:apigateway:${r}::/restapis*`, `arn:aws:apigateway:${r}::/apis*`, `arn:aws:apigateway:${r}::/tags/*`,
                    `arn:aws:apigateway:${r}::/account`, `arn:aws:apigateway:${r}::/domainnames*`,
                    `arn:aws:apigateway:${r}::/usageplans*`, `arn:aws:apigateway:${r}::/apikeys*`,
                ])),
            allow(
                "Messaging",
                ["sqs:CreateQueue", "sqs:DeleteQueue", "sqs:SetQueueAttributes", "sqs:TagQueue", "sqs:UntagQueue",
                    "sns:CreateTopic", "sns:DeleteTopic", "sns:SetTopicAttributes", "sns:Subscribe", "sns:Unsubscribe",
                    "sns:SetSubscriptionAttributes", "sns:TagResource", "sns:UntagResource",
                    "events:PutRule", "events:DeleteRule", "events:PutTargets", "events:RemoveTargets", "events:EnableRule",
                    "events:DisableRule", "events:CreateEventBus", "events:DeleteEventBus", "events:TagResource",
                    "events:UntagResource", "scheduler:CreateSchedule", "scheduler:UpdateSchedule",
                    "scheduler:DeleteSchedule", "scheduler:CreateScheduleGroup", "scheduler:DeleteScheduleGroup",
                    "scheduler:TagResource", "scheduler:UntagResource",
                    "states:CreateStateMachine", "states:UpdateStateMachine", "states:DeleteStateMachine",
                    "states:TagResource", "states:UntagResource"],
                arnList(regions, (r) => [`arn:aws:sqs:${r}:${a}:${p}-*`, `arn:aws:sns:${r}:${a}:${p}-*`, `arn:aws:events:${r}:${a}:rule/${p}-*`, `arn:aws:events:${r}:${a}:event-bus/${p}-*`, `arn:aws:scheduler:${r}:${a}:schedule/*/${p}-*`, `arn:aws:scheduler:${r}:${a}:schedule-group/${p}-*`, `arn:aws:states:${r}:${a}:stateMachine:${p}-*`]),
            ),
            allow(
                "Autoscaling",
                ["application-autoscaling:RegisterScalableTarget", "application-autoscaling:DeregisterScalableTarget",
                    "application-autoscaling:PutScalingPolicy", "application-autoscaling:DeleteScalingPolicy",
                    "application-autoscaling:PutScheduledAction", "application-autoscaling:DeleteScheduledAction",
                    "application-autoscaling:TagResource", "application-autoscaling:UntagResource"],
                arnList(regions, (r) => [`arn:aws:application-autoscaling:${r}:${a}:scalable-target/*`]),
            ),
        ),
        security: doc(
            allow(
                "Cognito",
                ["cognito-idp:UpdateUserPool", "cognito-idp:DeleteUserPool", "cognito-idp:CreateUserPoolClient",
                    "cognito-idp:UpdateUserPoolClient", "cognito-idp:DeleteUserPoolClient", "cognito-idp:CreateUserPoolDomain",
                    "cognito-idp:DeleteUserPoolDomain", "cognito-idp:SetUserPoolMfaConfig", "cognito-idp:TagResource",
                    "cognito-idp:UntagResource"],
                arnList(regions, (r) => [`arn:aws:cognito-idp:${r}:${a}:userpool/*`]),
                { StringEquals: { [`aws:ResourceTag/${tagKey}`]: ctx.stack } },
            ),
            allow(
                "CognitoIdentityPools",
                ["cognito-identity:UpdateIdentityPool", "cognito-identity:DeleteIdentityPool", "cognito-identity:SetIdentityPoolRoles",
                    "cognito-identity:DescribeIdentityPool", "cognito-identity:GetIdentityPoolRoles",
                    "cognito-identity:TagResource", "cognito-identity:UntagResource"],
                arnList(regions, (r) => [`arn:aws:cognito-identity:${r}:${a}:identitypool/*`]),
                { StringEquals: { [`aws:ResourceTag/${tagKey}`]: ctx.stack } },
            ),
            allow(
                "Secrets",
                ["secretsmanager:CreateSecret", "secretsmanager:DeleteSecret", "secretsmanager:UpdateSecret",
                    "secretsmanager:PutResourcePolicy", "secretsmanager:DeleteResourcePolicy", "secretsmanager:RotateSecret",
                    "secretsmanager:CancelRotateSecret", "secretsmanager:TagResource", "secretsmanager:UntagResource",
                    "secretsmanager:ReplicateSecretToRegions", "secretsmanager:RemoveRegionsFromReplication"],
                arnList(regions, (r) => [`arn:aws:secretsmanager:${r}:${a}:secret:${p}-*`]),
            ),
            allow(
                "KmsStackKeys",
                ["kms:EnableKeyRotation", "kms:PutKeyPolicy", "kms:UpdateKeyDescription", "kms:ScheduleKeyDeletion",
                    "kms:TagResource", "kms:UntagResource", "kms:CreateGrant", "kms:Encrypt", "kms:GenerateDataKey",
                    "kms:Decrypt", "kms:ReplicateKey"],
                arnList([...regions, "us-east-1"], (r) => [`arn:aws:kms:${r}:${a}:key/*`]),
                { StringEquals: { [`aws:ResourceTag/${tagKey}`]: ctx.stack } },
            ),
            allow("KmsAliases", ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
                arnList([...regions, "us-east-1"], (r) => [`arn:aws:kms:${r}:${a}:alias/${p}-*`, `arn:aws:kms:${r}:${a}:key/*`])),
            allow(
                "IamWorkloadRolesWithinBoundary",
                ["iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:PutRolePermissionsBoundary"],
                [`arn:aws:iam::${a}:role/${p}-*`],
                { StringEquals: { "iam:PermissionsBoundary": ctx.boundaryPolicyArn } },
            ),
            allow(
                "IamAttachAllowlistedPolicies",
                ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
                [`arn:aws:iam::${a}:role/${p}-*`],
                {
                    StringEquals: { "iam:PermissionsBoundary": ctx.boundaryPolicyArn },
                    ArnLike: { "iam:PolicyARN": attachablePolicyArns(a, p) },
                },
            ),
            allow(
                "IamWorkloadRoleLifecycle",
                ["iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy",
                    "iam:TagRole", "iam:UntagRole"],
                [`arn:aws:iam::${a}:role/${p}-*`],
            ),
            allow(
                "IamStackPolicies",
                ["iam:CreatePolicy", "iam:DeletePolicy", "iam:CreatePolicyVersion", "iam:DeletePolicyVersion",
                    "iam:TagPolicy", "iam:UntagPolicy"],
                [`arn:aws:iam::${a}:policy/${p}-*`],
            ),
            allow("IamPassStackRoles", ["iam:PassRole"], [`arn:aws:iam::${a}:role/${p}-*`], {
                StringEquals: {
                    "iam:PassedToService": ["ecs-tasks.amazonaws.com", "lambda.amazonaws.com", "states.amazonaws.com",
                        "events.amazonaws.com", "scheduler.amazonaws.com", "rds.amazonaws.com", "monitoring.rds.amazonaws.com",
                        "backup.amazonaws.com", "vpc-flow-logs.amazonaws.com", "apigateway.amazonaws.com", "cognito-identity.amazonaws.com", "chatbot.amazonaws.com",
                        "cloudtrail.amazonaws.com", "s3.amazonaws.com", "application-autoscaling.amazonaws.com"],
                },
            }),
            allow("IamServiceLinkedRoles", ["iam:CreateServiceLinkedRole"], [`arn:aws:iam::${a}:role/aws-service-role/*`], {
                StringEquals: {
                    "iam:AWSServiceName": ["ecs.amazonaws.com", "elasticloadbalancing.amazonaws.com", "rds.amazonaws.com",
                        "elasticache.amazonaws.com", "ecs.application-autoscaling.amazonaws.com", "backup.amazonaws.com",
                        "elasticfilesystem.amazonaws.com"],
                },
            }),
        ),
        observability: doc(
            allow(
                "LogsAlarmsDashboards",
                ["logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy",
                    "logs:AssociateKmsKey", "logs:DisassociateKmsKey", "logs:TagResource", "logs:UntagResource",
                    "logs:PutMetricFilter", "logs:DeleteMetricFilter", "logs:PutSubscriptionFilter",
                    "logs:DeleteSubscriptionFilter", "cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms",
                    "cloudwatch:PutDashboard", "cloudwatch:DeleteDashboards", "cloudwatch:TagResource", "cloudwatch:UntagResource"],
                arnList([...regions, "us-east-1"], (r) => [`arn:aws:logs:${r}:${a}:log-group:*${p}*`, `arn:aws:cloudwatch:${r}:${a}:alarm:${p}-*`]).concat([`arn:aws:cloudwatch::${a}:dashboard/${p}-*`]),
            ),
            allow("XRay", ["xray:CreateGroup", "xray:UpdateGroup", "xray:DeleteGroup", "xray:CreateSamplingRule",
                "xray:UpdateSamplingRule", "xray:DeleteSamplingRule", "xray:TagResource", "xray:UntagResource"],
                arnList(regions, (r) => [`arn:aws:xray:${r}:${a}:group/${p}-*/*`, `arn:aws:xray:${r}:${a}:sampling-rule/${p}-*`])),
            allow("Audit", ["cloudtrail:CreateTrail", "cloudtrail:UpdateTrail", "cloudtrail:DeleteTrail", "cloudtrail:StartLogging",
                "cloudtrail:PutEventSelectors", "cloudtrail:AddTags", "cloudtrail:RemoveTags"],
                arnList(regions, (r) => [`arn:aws:cloudtrail:${r}:${a}:trail/${p}-*`])),
            allow("Budgets", ["budgets:ModifyBudget", "budgets:ViewBudget", "budgets:TagResource", "budgets:UntagResource"],
                [`arn:aws:budgets::${a}:budget/${p}-*`]),
            allow("CostAnomalies", ["ce:UpdateAnomalyMonitor", "ce:DeleteAnomalyMonitor", "ce:UpdateAnomalySubscription",
                "ce:DeleteAnomalySubscription", "ce:GetAnomalyMonitors", "ce:GetAnomalySubscriptions", "ce:TagResource",
                "ce:UntagResource", "ce:ListTagsForResource"],
                [`arn:aws:ce::${a}:anomalymonitor/*`, `arn:aws:ce::${a}:anomalysubscription/*`],
                { StringEquals: { [`aws:ResourceTag/${tagKey}`]: ctx.stack } }),
            allow("Chatbot", ["chatbot:CreateSlackChannelConfiguration", "chatbot:UpdateSlackChannelConfiguration",
                "chatbot:DeleteSlackChannelConfiguration", "chatbot:TagResource", "chatbot:UntagResource", "chatbot:ListTagsForResource"],
                [`arn:aws:chatbot::${a}:chat-configuration/slack-channel/${p}-*`]),
            allow("SsmParameters", ["ssm:PutParameter", "ssm:DeleteParameter", "ssm:AddTagsToResource", "ssm:RemoveTagsFromResource"],
                arnList(regions, (r) => [`arn:aws:ssm:${r}:${a}:parameter/${p}/*`])),
            allow("PreDeploySnapshot", ["rds:CreateDBClusterSnapshot", "rds:AddTagsToResource"],
                arnList(regions, (r) => [`arn:aws:rds:${r}:${a}:cluster:${p}-*`, `arn:aws:rds:${r}:${a}:cluster-snapshot:predeploy-${p}-*`])),
        ),
        unscopable: doc(
            allow("CreateWithGeneratedIds", DEPLOY_UNSCOPABLE_ACTIONS.filter((x) => x !== "ec2:CreateTags"), ["*"], {
                StringEquals: { "aws:RequestedRegion": [...regions, "us-east-1"] },
            }),
        ),
    };
}

/**
 * Permissions boundary of the deploy role and of every role it creates. A boundary is a ceiling,
 * not a grant: `service:*` appears here only to name the services the platform may use at all
 * (effective permissions = grants AND boundary). The denies keep the deploy role from removing
 * the boundary, editing it, touching the bootstrap roles and OIDC providers, or creating users and
 * long-lived keys.
 */
export function permissionsBoundary(ctx: DeployContext): PolicyDocument {
    const a = ctx.accountId;
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "PlatformServicesInPlatformRegions",
                Effect: "Allow",
                Action: BOUNDARY_SERVICES.map((s) => `${s}:*`),
                Resource: ["*"],
                Condition: { StringEquals: { "aws:RequestedRegion": [ctx.region, ctx.drRegion, "us-east-1"] } },
            },
            {
                Sid: "IamForStackRolesAndPolicies",
                Effect: "Allow",
                Action: [
                    "iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies",
                    "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions", "iam:ListInstanceProfilesForRole",
                    "iam:GetOpenIDConnectProvider", "iam:ListRoleTags", "iam:CreateRole", "iam:PutRolePolicy",
                    "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary",
                    "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy",
                    "iam:TagRole", "iam:UntagRole", "iam:CreatePolicy", "iam:DeletePolicy", "iam:CreatePolicyVersion",
                    "iam:DeletePolicyVersion", "iam:TagPolicy", "iam:UntagPolicy", "iam:PassRole", "iam:CreateServiceLinkedRole",
                ],
                Resource: ["*"],
            },
            {
                Sid: "DenyBoundaryEdits",
                Effect: "Deny",
                Action: ["iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion"],
                Resource: [ctx.boundaryPolicyArn],
            },
            {
                Sid: "DenyBoundaryRemoval",
                Effect: "Deny",
                Action: ["iam:DeleteRolePermissionsBoundary"],
                Resource: ["*"],
            },
            {
                Sid: "DenyRolesWithoutThisBoundary",
                Effect: "Deny",
                Action: ["iam:CreateRole", "iam:PutRolePermissionsBoundary"],
                Resource: ["*"],
                Condition: { StringNotEquals: { "iam:PermissionsBoundary": ctx.boundaryPolicyArn } },
            },
            {
                Sid: "DenyBootstrapTampering",
                Effect: "Deny",
                Action: [
                    "iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePolicy",
                    "iam:DeleteRolePolicy", "iam:DeleteRole", "iam:UpdateRole", "iam:TagRole", "iam:UntagRole",
                    "iam:CreateOpenIDConnectProvider", "iam:DeleteOpenIDConnectProvider",
                    "iam:UpdateOpenIDConnectProviderThumbprint", "iam:AddClientIDToOpenIDConnectProvider",
                    "iam:RemoveClientIDFromOpenIDConnectProvider",
                ],
                Resource: [...ctx.protectedRoleArns, `arn:aws:iam::${a}:oidc-provider/*`],
            },
            {
                Sid: "DenyUsersAndLongLivedKeys",
                Effect: "Deny",
                Action: ["iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile",
                    "iam:AttachUserPolicy", "iam:PutUserPolicy", "iam:AddUserToGroup", "iam:AttachGroupPolicy", "iam:PutGroupPolicy"],
                Resource: ["*"],
            },
            {
                Sid: "DenyAuditShutdown",
                Effect: "Deny",
                Action: ["cloudtrail:StopLogging"],
                Resource: ["*"],
            },
        ],
    };
}

/** Services the platform (and the workloads it runs) may use at all; the boundary's ceiling. */
export const BOUNDARY_SERVICES: readonly string[] = [
    "sts", "ec2", "elasticloadbalancing", "ecs", "ecr", "application-autoscaling", "lambda", "apigateway",
    "execute-api", "states", "sqs", "sns", "events", "scheduler", "rds", "rds-db", "elasticache", "dynamodb", "s3",
    "elasticfilesystem", "backup", "secretsmanager", "kms", "cloudfront", "wafv2", "acm", "route53", "cognito-idp", "cognito-identity",
    "logs", "cloudwatch", "xray", "cloudtrail", "budgets", "ce", "chatbot", "ssm", "ssmmessages", "bedrock",
];

// ---------------------------------------------------------------------------------------------
// The rules of the project's policy pack, applied to these documents (see tests).
// ---------------------------------------------------------------------------------------------

/** Actions that let a principal raise its own privileges when granted without conditions. */
export const PRIVILEGE_ESCALATION_ACTIONS: readonly string[] = [
    "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:AttachUserPolicy", "iam:PutUserPolicy",
    "iam:AttachGroupPolicy", "iam:PutGroupPolicy", "iam:CreateAccessKey", "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile", "iam:AddUserToGroup", "iam:PassRole", "iam:CreateRole", "iam:PutRolePolicy",
    "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:PutRolePermissionsBoundary",
    "iam:DeleteRolePermissionsBoundary",
];

/** The `*`-resource actions our grants may use: the shared allowlist plus the two lists above. */
export const ALLOWED_WILDCARD_RESOURCE_ACTIONS: ReadonlySet<string> = new Set([
    ...UNSCOPABLE_ACTIONS,
    ...PREVIEW_READ_ACTIONS,
    ...DEPLOY_UNSCOPABLE_ACTIONS,
]);

/**
 * Least-privilege findings for a grant policy (identity policy) in the terms of the policy pack:
 * no `*` or `service:*` action; `*` resource only for allowlisted actions; escalation actions
 * never on `*`, role creation/attachment only under the permissions boundary, PassRole only with
 * iam:PassedToService; managed policies attachable only from the allowlist or the stack prefix.
 */
export function grantFindings(doc: PolicyDocument, opts: { boundaryPolicyArn?: string; prefix?: string } = {}): string[] {
    const findings: string[] = [];
    for (const st of doc.Statement) {
        if (st.Effect !== "Allow") continue;
        for (const action of st.Action) {
            if (action === "*" || /^[a-z0-9-]+:\*$/.test(action)) findings.push(`${st.Sid}: action "${action}" grants a whole service`);
            if (action.startsWith("iam:") && action.includes("*")) findings.push(`${st.Sid}: IAM action "${action}" must be named`);
        }
        if (st.Resource.includes("*")) {
            for (const action of st.Action) {
                if (!ALLOWED_WILDCARD_RESOURCE_ACTIONS.has(action)) findings.push(`${st.Sid}: "${action}" on Resource "*" is not allowlisted`);
            }
        }
        for (const action of st.Action.filter((x) => PRIVILEGE_ESCALATION_ACTIONS.includes(x))) {
            if (st.Resource.some((r) => r === "*" || r.endsWith(":role/*") || r.endsWith(":policy/*"))) {
                findings.push(`${st.Sid}: escalation action "${action}" on an unscoped resource`);
            }
            if (["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePermissionsBoundary"].includes(action)) {
                const boundary = st.Condition?.["StringEquals"]?.["iam:PermissionsBoundary"];
                if (boundary === undefined || (opts.boundaryPolicyArn !== undefined && boundary !== opts.boundaryPolicyArn)) {
                    findings.push(`${st.Sid}: "${action}" without the iam:PermissionsBoundary condition`);
                }
            }
            if (action === "iam:PassRole" && st.Condition?.["StringEquals"]?.["iam:PassedToService"] === undefined) {
                findings.push(`${st.Sid}: iam:PassRole without iam:PassedToService`);
            }
            if (["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:AttachUserPolicy", "iam:PutUserPolicy",
                "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile", "iam:AddUserToGroup",
                "iam:AttachGroupPolicy", "iam:PutGroupPolicy"].includes(action)
                && (opts.prefix === undefined || !st.Resource.every((r) => r.includes(`:policy/${opts.prefix}-`)))) {
                findings.push(`${st.Sid}: "${action}" outside the stack's own policies`);
            }
        }
    }
    return findings;
}

/** Managed policies the deploy role may attach to workload roles (shared allowlist + stack policies). */
export function attachablePolicyArns(accountId: string, prefix: string): string[] {
    return [...ALLOWED_MANAGED_POLICIES, `arn:aws:iam::${accountId}:policy/${prefix}-*`];
}

/** Minified JSON length, the measure IAM applies to policy size limits. */
export function policySize(doc: object): number {
    return JSON.stringify(doc).length;
}
