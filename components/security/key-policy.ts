/**
 * Pure builders for KMS key policies. A key policy's `Resource: "*"` means "this key"; the
 * statements below name the principals and, for services, pin them with conditions.
 */

export interface AccountContext {
    accountId: string;
    partition: string;
    region: string;
}

export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: Record<string, string | string[]> | "*";
    Action: string | string[];
    Resource: string | string[];
    Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

/** Key administration and use for the account root, so IAM policies in the account can grant use. */
export const KEY_ADMIN_ACTIONS: readonly string[] = [
    "kms:Create*",
    "kms:Describe*",
    "kms:Enable*",
    "kms:List*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:Disable*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
    "kms:RotateKeyOnDemand",
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:CreateGrant",
];

/** What a service needs to encrypt and decrypt with the key. */
export const KEY_USE_ACTIONS: readonly string[] = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];

export function rootStatement(ctx: AccountContext): PolicyStatement {
    return {
        Sid: "AccountRootAdministersKey",
        Effect: "Allow",
        Principal: { AWS: `arn:${ctx.partition}:iam::${ctx.accountId}:root` },
        Action: [...KEY_ADMIN_ACTIONS],
        Resource: "*",
    };
}

/** CloudWatch Logs in this region may use the key only for this account's log groups. */
export function cloudWatchLogsStatement(ctx: AccountContext): PolicyStatement {
    return {
        Sid: "CloudWatchLogsUseKey",
        Effect: "Allow",
        Principal: { Service: `logs.${ctx.region}.amazonaws.com` },
        Action: [...KEY_USE_ACTIONS],
        Resource: "*",
        Condition: {
            ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:*` },
        },
    };
}

export function keyPolicy(statements: PolicyStatement[]): PolicyDocument {
    return { Version: "2012-10-17", Statement: statements };
}
