import { PolicyCase } from "../harness";
import { doc, ECS_TRUST, UNKNOWN_ARN } from "./common";

const TABLE = "arn:aws:dynamodb:ap-northeast-1:123456789012:table/orders";
const scoped = doc([{ Sid: "Orders", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem"], Resource: TABLE }]);

export const iamCases: PolicyCase[] = [
    // iam-no-wildcard-actions
    { policy: "iam-no-wildcard-actions", title: "named actions", violates: false, build: (g) => void g.add("aws:iam/policy:Policy", "p", { policy: scoped }) },
    { policy: "iam-no-wildcard-actions", title: "s3:* in a role policy", violates: true, expectMessage: "'s3:*'", build: (g) => void g.add("aws:iam/rolePolicy:RolePolicy", "p", { role: "r", policy: doc([{ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b/*" }]) }) },
    {
        policy: "iam-no-wildcard-actions",
        title: "* in a role inline policy given as an object",
        violates: true,
        expectMessage: "inlinePolicies[admin]",
        build: (g) => void g.add("aws:iam/role:Role", "r", { assumeRolePolicy: ECS_TRUST, inlinePolicies: [{ name: "admin", policy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } }] }),
    },
    { policy: "iam-no-wildcard-actions", title: "Deny with * is fine", violates: false, build: (g) => void g.add("aws:iam/policy:Policy", "p", { policy: doc([{ Effect: "Deny", Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }]) }) },
    {
        policy: "iam-no-wildcard-actions",
        title: "fail closed: policy document unknown at preview",
        violates: true,
        level: "mandatory",
        expectMessage: "could not be verified",
        build: (g) => void g.add("aws:iam/rolePolicy:RolePolicy", "p", { role: "r", policy: UNKNOWN_ARN }),
    },
    // iam-no-wildcard-resources
    { policy: "iam-no-wildcard-resources", title: "unscopable action on *", violates: false, build: (g) => void g.add("aws:iam/policy:Policy", "p", { policy: doc([{ Effect: "Allow", Action: ["ecr:GetAuthorizationToken", "xray:PutTraceSegments"], Resource: "*" }]) }) },
    { policy: "iam-no-wildcard-resources", title: "dynamodb:GetItem on *", violates: true, expectMessage: "dynamodb:GetItem", build: (g) => void g.add("aws:iam/policy:Policy", "p", { policy: doc([{ Effect: "Allow", Action: "dynamodb:GetItem", Resource: "*" }]) }) },
    {
        policy: "iam-no-wildcard-resources",
        title: "config: additionalAllowedActions accepts ssm:DescribeParameters",
        violates: false,
        config: { "iam-no-wildcard-resources": { additionalAllowedActions: ["ssm:DescribeParameters"] } },
        build: (g) => void g.add("aws:iam/policy:Policy", "p", { policy: doc([{ Effect: "Allow", Action: ["ssm:DescribeParameters", "ecr:GetAuthorizationToken"], Resource: "*" }]) }),
    },
    {
        policy: "iam-no-wildcard-resources",
        title: "without the config the same action is a violation",
        violates: true,
        build: (g) => void g.add("aws:iam/policy:Policy", "p", { policy: doc([{ Effect: "Allow", Action: ["ssm:DescribeParameters"], Resource: "*" }]) }),
    },
    {
        policy: "iam-no-wildcard-resources",
        title: "fail closed: role inline policy unknown",
        violates: true,
        expectMessage: "could not be verified",
        build: (g) => void g.add("aws:iam/role:Role", "r", { assumeRolePolicy: ECS_TRUST, inlinePolicies: [{ name: "x", policy: UNKNOWN_ARN }] }),
    },
    // iam-no-privilege-escalation
    {
        policy: "iam-no-privilege-escalation",
        title: "PassRole scoped to a role",
        violates: false,
        build: (g) =>
            void g.add("aws:iam/policy:Policy", "p", {
                policy: doc([{ Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::123456789012:role/app-task", Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } } }]),
            }),
    },
    { policy: "iam-no-privilege-escalation", title: "PassRole on *", violates: true, expectMessage: "iam:PassRole", build: (g) => void g.add("aws:iam/policy:Policy", "p", { policy: doc([{ Effect: "Allow", Action: "iam:PassRole", Resource: "*" }]) }) },
    {
        policy: "iam-no-privilege-escalation",
        title: "iam:PutRolePolicy on a named role",
        violates: true,
        expectMessage: "iam:PutRolePolicy",
        build: (g) => void g.add("aws:iam/rolePolicy:RolePolicy", "p", { role: "r", policy: doc([{ Effect: "Allow", Action: "iam:PutRolePolicy", Resource: "arn:aws:iam::123456789012:role/app" }]) }),
    },
    {
        policy: "iam-no-privilege-escalation",
        title: "config: allowedActions accepts a reviewed iam:CreatePolicyVersion",
        violates: false,
        config: { "iam-no-privilege-escalation": { allowedActions: ["iam:CreatePolicyVersion"] } },
        build: (g) => void g.add("aws:iam/policy:Policy", "p", { policy: doc([{ Effect: "Allow", Action: "iam:CreatePolicyVersion", Resource: "arn:aws:iam::123456789012:policy/app" }]) }),
    },
    // iam-managed-policy-allowlist
    {
        policy: "iam-managed-policy-allowlist",
        title: "allowlisted ECS execution policy",
        violates: false,
        build: (g) => void g.add("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "a", { role: "r", policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" }),
    },
    { policy: "iam-managed-policy-allowlist", title: "customer managed policy", violates: false, build: (g) => void g.add("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "a", { role: "r", policyArn: "arn:aws:iam::123456789012:policy/app" }) },
    {
        policy: "iam-managed-policy-allowlist",
        title: "customer managed policy ARN unknown at preview (created in the same stack)",
        violates: false,
        build: (g) => void g.add("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "a", { role: "r", policyArn: UNKNOWN_ARN }),
    },
    {
        policy: "iam-managed-policy-allowlist",
        title: "AdministratorAccess attached",
        violates: true,
        expectMessage: "AdministratorAccess",
        build: (g) => void g.add("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "a", { role: "r", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }),
    },
    {
        policy: "iam-managed-policy-allowlist",
        title: "managedPolicyArns with an unknown customer policy and an AWS managed one off the list",
        violates: true,
        expectMessage: "AmazonS3FullAccess",
        build: (g) => void g.add("aws:iam/role:Role", "r", { assumeRolePolicy: ECS_TRUST, managedPolicyArns: [UNKNOWN_ARN, "arn:aws:iam::aws:policy/AmazonS3FullAccess"] }),
    },
    {
        policy: "iam-managed-policy-allowlist",
        title: "managedPolicyArns on a role",
        violates: true,
        build: (g) => void g.add("aws:iam/role:Role", "r", { assumeRolePolicy: ECS_TRUST, managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3FullAccess"] }),
    },
    {
        policy: "iam-managed-policy-allowlist",
        title: "config: allowedManagedPolicies extended",
        violates: false,
        config: { "iam-managed-policy-allowlist": { allowedManagedPolicies: ["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"] } },
        build: (g) => void g.add("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "a", { role: "r", policyArn: "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy" }),
    },
    // iam-trust-policy-principals
    { policy: "iam-trust-policy-principals", title: "service principal with SourceAccount", violates: false, build: (g) => void g.add("aws:iam/role:Role", "r", { assumeRolePolicy: ECS_TRUST }) },
    { policy: "iam-trust-policy-principals", title: "AWS: *", violates: true, build: (g) => void g.add("aws:iam/role:Role", "r", { assumeRolePolicy: doc([{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }]) }) },
    {
        policy: "iam-trust-policy-principals",
        title: "GitHub OIDC pinned to aud and sub",
        violates: false,
        build: (g) =>
            void g.add("aws:iam/role:Role", "ci", {
                assumeRolePolicy: doc([
                    {
                        Effect: "Allow",
                        Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" },
                        Action: "sts:AssumeRoleWithWebIdentity",
                        Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" }, StringLike: { "token.actions.githubusercontent.com:sub": "repo:org/repo:*" } },
                    },
                ]),
            }),
    },
    {
        policy: "iam-trust-policy-principals",
        title: "GitHub OIDC without conditions",
        violates: true,
        expectMessage: "without an aud/sub Condition",
        build: (g) =>
            void g.add("aws:iam/role:Role", "ci", {
                assumeRolePolicy: doc([{ Effect: "Allow", Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }, Action: "sts:AssumeRoleWithWebIdentity" }]),
            }),
    },
    { policy: "iam-trust-policy-principals", title: "fail closed: trust policy unknown", violates: true, expectMessage: "could not be verified", build: (g) => void g.add("aws:iam/role:Role", "r", { assumeRolePolicy: UNKNOWN_ARN }) },
    // lambda-permission-source
    {
        policy: "lambda-permission-source",
        title: "events.amazonaws.com with sourceArn",
        violates: false,
        build: (g) => void g.add("aws:lambda/permission:Permission", "p", { action: "lambda:InvokeFunction", function: "fn", principal: "events.amazonaws.com", sourceArn: "arn:aws:events:ap-northeast-1:123456789012:rule/nightly" }),
    },
    {
        policy: "lambda-permission-source",
        title: "sourceArn unknown at preview still counts as set",
        violates: false,
        build: (g) => void g.add("aws:lambda/permission:Permission", "p", { action: "lambda:InvokeFunction", function: "fn", principal: "sns.amazonaws.com", sourceArn: UNKNOWN_ARN }),
    },
    { policy: "lambda-permission-source", title: "s3 with sourceAccount", violates: false, build: (g) => void g.add("aws:lambda/permission:Permission", "p", { action: "lambda:InvokeFunction", function: "fn", principal: "s3.amazonaws.com", sourceAccount: "123456789012" }) },
    { policy: "lambda-permission-source", title: "apigateway without sourceArn", violates: true, build: (g) => void g.add("aws:lambda/permission:Permission", "p", { action: "lambda:InvokeFunction", function: "fn", principal: "apigateway.amazonaws.com" }) },
    // resource-policy-not-public
    {
        policy: "resource-policy-not-public",
        title: "SNS topic policy for CloudWatch with SourceAccount",
        violates: false,
        build: (g) =>
            void g.add("aws:sns/topicPolicy:TopicPolicy", "tp", {
                arn: "arn:aws:sns:ap-northeast-1:123456789012:alarms",
                policy: doc([{ Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: "*", Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } }]),
            }),
    },
    {
        policy: "resource-policy-not-public",
        title: "SQS queue policy open to *",
        violates: true,
        build: (g) => void g.add("aws:sqs/queuePolicy:QueuePolicy", "qp", { queueUrl: "https://sqs/q", policy: doc([{ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "arn:aws:sqs:ap-northeast-1:123456789012:q" }]) }),
    },
    {
        policy: "resource-policy-not-public",
        title: "* principal restricted by aws:SourceArn",
        violates: false,
        build: (g) =>
            void g.add("aws:sqs/queuePolicy:QueuePolicy", "qp", {
                queueUrl: "https://sqs/q",
                policy: doc([{ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "arn:aws:sqs:ap-northeast-1:123456789012:q", Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:ap-northeast-1:123456789012:t" } } }]),
            }),
    },
    {
        policy: "resource-policy-not-public",
        title: "KMS key policy with AWS: *",
        violates: true,
        build: (g) => void g.add("aws:kms/key:Key", "k", { enableKeyRotation: true, policy: doc([{ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" }]) }),
    },
    { policy: "resource-policy-not-public", title: "fail closed: secret policy unknown", violates: true, expectMessage: "could not be verified", build: (g) => void g.add("aws:secretsmanager/secretPolicy:SecretPolicy", "sp", { secretArn: "arn:s", policy: UNKNOWN_ARN }) },
    // iam-no-long-lived-credentials
    { policy: "iam-no-long-lived-credentials", title: "roles only", violates: false, build: (g) => void g.add("aws:iam/role:Role", "r", { assumeRolePolicy: ECS_TRUST }) },
    { policy: "iam-no-long-lived-credentials", title: "access key", violates: true, build: (g) => void g.add("aws:iam/accessKey:AccessKey", "k", { user: "deployer" }) },
    { policy: "iam-no-long-lived-credentials", title: "config allowUsers accepts a user", violates: false, config: { "iam-no-long-lived-credentials": { allowUsers: true } }, build: (g) => void g.add("aws:iam/user:User", "smtp", {}) },
];
