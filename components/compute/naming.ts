/**
 * Physical names and ARNs of the compute tier's resources. Functions, queues, topics, state
 * machines and event rules get explicit names, so every ARN is known before the resource exists:
 * IAM policies, queue/topic policies and environment variables can reference each other without a
 * dependency cycle (a function may start a workflow that invokes it back).
 */
import type { AccountFacts } from "./iam";

export const functionName = (prefix: string, fn: string) => `${prefix}-${fn}`;
export const queueName = (prefix: string, owner: string) => `${prefix}-${owner}`;
export const dlqName = (prefix: string, owner: string) => `${prefix}-${owner}-dlq`;
export const topicName = (prefix: string, topic: string) => `${prefix}-${topic}`;
export const stateMachineName = (prefix: string, wf: string) => `${prefix}-${wf}`;
export const busName = (prefix: string) => `${prefix}-events`;
export const ruleName = (prefix: string, rule: string) => `${prefix}-${rule}`;
export const taskFamily = (prefix: string, workload: string) => `${prefix}-${workload}`;
export const clusterName = (prefix: string) => prefix;
export const schedulerDlqName = (prefix: string) => `${prefix}-scheduler-dlq`;
/**
 * Alias of a data-tier KMS key (`alias/<namePrefix>-<domain>`). COUPLING: this mirrors the alias
 * convention of components/data/data-tier.ts (keyFor: `${ctx.namePrefix}-${domain}`), because
 * DataOutputs.keys exposes only the random key id/ARN, unknown before the key exists. IAM
 * statements on a data-tier key use `key/*` restricted by `kms:ResourceAliases` to this alias.
 */
export const dataKeyAlias = (prefix: string, domain: "data" | "secrets" | "messaging") => `alias/${prefix}-${domain}`;
export const repositoryName = (prefix: string, repo: string) => `${prefix}/${repo}`;

export const functionArn = (f: AccountFacts, name: string) => `arn:${f.partition}:lambda:${f.region}:${f.accountId}:function:${name}`;
export const queueArn = (f: AccountFacts, name: string) => `arn:${f.partition}:sqs:${f.region}:${f.accountId}:${name}`;
export const queueUrl = (f: AccountFacts, name: string) => `https://sqs.${f.region}.amazonaws.com/${f.accountId}/${name}`;
export const topicArn = (f: AccountFacts, name: string) => `arn:${f.partition}:sns:${f.region}:${f.accountId}:${name}`;
export const stateMachineArn = (f: AccountFacts, name: string) => `arn:${f.partition}:states:${f.region}:${f.accountId}:stateMachine:${name}`;
export const taskDefinitionFamilyArn = (f: AccountFacts, family: string) => `arn:${f.partition}:ecs:${f.region}:${f.accountId}:task-definition/${family}:*`;
export const clusterArn = (f: AccountFacts, name: string) => `arn:${f.partition}:ecs:${f.region}:${f.accountId}:cluster/${name}`;
export const roleArn = (f: AccountFacts, name: string) => `arn:${f.partition}:iam::${f.accountId}:role/${name}`;
export const tableArn = (f: AccountFacts, name: string) => `arn:${f.partition}:dynamodb:${f.region}:${f.accountId}:table/${name}`;
export const bucketArn = (f: AccountFacts, name: string) => `arn:${f.partition}:s3:::${name}`;
export const logGroupArn = (f: AccountFacts, name: string) => `arn:${f.partition}:logs:${f.region}:${f.accountId}:log-group:${name}`;
/**
 * A Secrets Manager secret by name. Its ARN is `secret:<name>-` plus six random characters, so
 * `<name>-??????` (`?`: exactly one character) matches that secret and no other: any other name
 * has an ARN of another length or another prefix (`<name>-x` gives `<name>-x-AbCdEf`).
 */
export const secretArnPattern = (f: AccountFacts, name: string) => `arn:${f.partition}:secretsmanager:${f.region}:${f.accountId}:secret:${name}-??????`;
/**
 * Every RDS-managed DB-cluster master secret of the account and region (`rds!cluster-<random>`,
 * named by RDS). Only ever granted with the iam.ts RDS_SECRET_CLUSTER_TAG condition, which narrows
 * it to the secret of one cluster.
 */
export const rdsClusterSecretArnPattern = (f: AccountFacts) => `arn:${f.partition}:secretsmanager:${f.region}:${f.accountId}:secret:rds!cluster-*`;
/** An Aurora/RDS DB cluster by identifier (identifiers are lowercase; the value RDS tags its master secret with). */
export const rdsClusterArn = (f: AccountFacts, identifier: string) => `arn:${f.partition}:rds:${f.region}:${f.accountId}:cluster:${identifier}`;
export const ruleArn = (f: AccountFacts, bus: string, rule: string) => `arn:${f.partition}:events:${f.region}:${f.accountId}:rule/${bus}/${rule}`;

/** `documents` -> `DOCUMENTS`, `chatSessions` -> `CHAT_SESSIONS`, `email-webhook` -> `EMAIL_WEBHOOK`. */
export function envKey(key: string): string {
    return key
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .replace(/[^A-Za-z0-9]+/g, "_")
        .toUpperCase();
}
