/**
 * Key policies of the data tier's customer-managed keys, built on components/security/key-policy.ts.
 *
 * One key per data domain (not one per tier): the domains have different users and different
 * service principals (only `messaging` lets AWS services in directly), a key's CloudTrail trail
 * then reads per domain, and disabling one domain's key does not take down the others. Cost:
 * $1/month per key.
 */
import { AccountContext, KEY_ADMIN_ACTIONS, KEY_USE_ACTIONS, keyPolicy, PolicyDocument, PolicyStatement } from "../security/key-policy";

export const KEY_DOMAINS = ["data", "secrets", "messaging"] as const;
export type KeyDomain = (typeof KEY_DOMAINS)[number];

/**
 * Services that publish to encrypted SNS topics / SQS queues on their own behalf: CloudWatch
 * alarms, EventBridge rules, SNS -> SQS subscriptions and S3 event notifications. They need
 * GenerateDataKey* and Decrypt, pinned to this account.
 */
export const MESSAGING_SERVICE_PRINCIPALS = ["cloudwatch.amazonaws.com", "events.amazonaws.com", "sns.amazonaws.com", "sqs.amazonaws.com", "s3.amazonaws.com"] as const;

export function messagingServicesStatement(ctx: AccountContext): PolicyStatement {
    return {
        Sid: "AwsServicesPublishToEncryptedTopicsAndQueues",
        Effect: "Allow",
        Principal: { Service: [...MESSAGING_SERVICE_PRINCIPALS] },
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": ctx.accountId } },
    };
}

/** Cryptographic use: never granted to the account root directly on data-tier keys. */
const USE_ACTIONS = new Set(["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant"]);

/**
 * The account administers the key (IAM policies can delegate administration), but cryptographic
 * use goes only through the statements below. Keeps kms:Put* so the policy can always be fixed
 * (no lock-out).
 */
export function rootAdminStatement(ctx: AccountContext): PolicyStatement {
    return {
        Sid: "AccountRootAdministersKey",
        Effect: "Allow",
        Principal: { AWS: `arn:${ctx.partition}:iam::${ctx.accountId}:root` },
        Action: KEY_ADMIN_ACTIONS.filter((a) => !USE_ACTIONS.has(a)),
        Resource: "*",
    };
}

/**
 * Principals of this account may use the key only through the named service in this region
 * (`kms:ViaService`): data keys are never usable directly from a laptop, only through S3,
 * DynamoDB, RDS, ElastiCache, AWS Backup or Secrets Manager.
 */
export function viaServiceStatement(ctx: AccountContext, sid: string, services: readonly string[]): PolicyStatement {
    return {
        Sid: sid,
        Effect: "Allow",
        Principal: { AWS: `arn:${ctx.partition}:iam::${ctx.accountId}:root` },
        Action: [...KEY_USE_ACTIONS, "kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        Resource: "*",
        Condition: {
            StringEquals: { "kms:ViaService": services.map((s) => `${s}.${ctx.region}.amazonaws.com`), "kms:CallerAccount": ctx.accountId },
        },
    };
}

export const DATA_KEY_SERVICES = ["s3", "dynamodb", "rds", "elasticache", "backup", "elasticfilesystem"] as const;

export function domainKeyPolicy(domain: KeyDomain | "dr", ctx: AccountContext): PolicyDocument {
    const statements = [rootAdminStatement(ctx)];
    switch (domain) {
        case "data":
        case "dr":
            statements.push(viaServiceStatement(ctx, "AccountUseThroughDataServices", DATA_KEY_SERVICES));
            break;
        case "secrets":
            statements.push(viaServiceStatement(ctx, "AccountUseThroughSecretsManager", ["secretsmanager", "rds"]));
            break;
        case "messaging":
            statements.push(viaServiceStatement(ctx, "AccountUseThroughMessaging", ["sns", "sqs", "events"]));
            statements.push(messagingServicesStatement(ctx));
            break;
    }
    return keyPolicy(statements);
}
