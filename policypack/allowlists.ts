/**
 * Allowlists shared by the program and the policy pack.
 *
 * The compute tier writes IAM statements from these lists and the policy pack checks IAM against
 * the same lists, so a `*` resource that the program needs is exactly one the pack accepts. This
 * file has no imports so that both packages can read it (the pack is published on its own).
 */

/**
 * IAM actions that AWS does not let you scope to a resource ARN: their only valid `Resource` is
 * `*` (per the Service Authorization Reference, "Resource types" column empty).
 */
export const UNSCOPABLE_ACTIONS: readonly string[] = [
    "ecr:GetAuthorizationToken",
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    "xray:GetSamplingStatisticSummaries",
    "cloudwatch:PutMetricData",
    "ec2:CreateNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
    "ssmmessages:CreateControlChannel",
    "ssmmessages:CreateDataChannel",
    "ssmmessages:OpenControlChannel",
    "ssmmessages:OpenDataChannel",
    "logs:DescribeLogGroups",
    // CloudWatch Logs vended-log delivery (Step Functions execution logging): AWS documents these
    // with Resource "*" only (Step Functions Developer Guide, "IAM policies for logging").
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
];

/**
 * AWS managed policies the platform may attach (seed 001 IAM design). Any other
 * `arn:aws:iam::aws:policy/...` attachment is a violation.
 */
export const ALLOWED_MANAGED_POLICIES: readonly string[] = [
    "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
    "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
    "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
];

/**
 * Actions the DEPLOY role (deployments/, Pulumi Deployments) needs on `*`: they create resources
 * whose ARN does not exist yet, or AWS does not scope them. Never part of the policy pack's
 * defaults (workload roles must not have them); a policy config for the deployments project can
 * list them under `iam-no-wildcard-resources.additionalAllowedActions`. Proposed by
 * deployments/src/iam.ts, which can import this list instead of keeping its own copy.
 */
export const DEPLOY_UNSCOPABLE_ACTIONS: readonly string[] = [
    "ecs:RegisterTaskDefinition",
    "ecs:DeregisterTaskDefinition",
    "acm:RequestCertificate",
    "kms:CreateKey",
    "cognito-idp:CreateUserPool",
    "cognito-identity:CreateIdentityPool",
    "ce:CreateAnomalyMonitor",
    "ce:CreateAnomalySubscription",
    "ce:UpdateCostAllocationTagsStatus",
    "ce:ListCostAllocationTags",
    "chatbot:DescribeSlackChannelConfigurations",
    "lambda:CreateEventSourceMapping",
    "lambda:GetEventSourceMapping",
    "cloudfront:CreateOriginAccessControl",
    "cloudfront:CreateCachePolicy",
    "cloudfront:CreateResponseHeadersPolicy",
    "cloudfront:CreateOriginRequestPolicy",
    "route53:CreateHealthCheck",
    "backup:CreateBackupPlan",
    "elasticache:CreateUser",
    "ec2:CreateTags",
];
