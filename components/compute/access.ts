/**
 * Turns a workload's `access` declaration (names) into ARNs (Outputs) from the data tier's outputs
 * and the compute tier's deterministic names, and into the environment variables that tell the
 * application which resources to use (names and ARNs only, never secret values).
 */
import * as pulumi from "@pulumi/pulumi";
import type { DataOutputs, PlatformContext, SecretRef } from "../contracts";
import { kmsAliasArn } from "./iam";
import type { AccountFacts, ResolvedAccess, SecretGrant } from "./iam";
import type { AccessView } from "./schema";
import * as naming from "./naming";

export interface AccessContext {
    prefix: string;
    data: DataOutputs;
    facts: pulumi.Output<AccountFacts>;
}

export function accountFacts(ctx: PlatformContext): pulumi.Output<AccountFacts> {
    return pulumi.all([ctx.accountId, ctx.partition]).apply(([accountId, partition]) => ({ accountId, partition, region: ctx.region }));
}

function need<T>(map: Readonly<Record<string, T>>, key: string, path: string, what: string): T {
    const v = map[key];
    if (v === undefined) {
        throw new Error(`${path}: the data tier exposes no ${what} named ${JSON.stringify(key)} (it has ${Object.keys(map).join(", ") || "none"}); declare it in platform:data or fix the workload's access`);
    }
    return v;
}

/** Secret refs by name, with a clear error for a name the data tier does not expose. */
export function secretRef(data: DataOutputs, key: string, path: string) {
    return need(data.secrets, key, path, "secret");
}

/** What IAM names a secret by before it exists (SecretRef), as plain values. */
export interface SecretIdentity {
    name?: string;
    rdsClusterIdentifier?: string;
}

/** The name-or-cluster part of a SecretRef, to resolve with its Outputs (known at first preview). */
export function secretIdentity(ref: SecretRef): pulumi.Output<SecretIdentity> {
    return pulumi.output({ name: ref.name, rdsClusterIdentifier: ref.rdsClusterIdentifier }) as pulumi.Output<SecretIdentity>;
}

/**
 * The grant of one data-tier secret, built from names so it is known in a first preview: a secret
 * the data tier names as `secret:<name>-??????` (that secret only, naming.secretArnPattern), the
 * RDS-managed master secret as `secret:rds!cluster-*` narrowed to its cluster's ARN (built from the
 * chosen cluster identifier). The key is the data tier's `secrets` key by alias (naming.dataKeyAlias,
 * `key/*` + kms:ResourceAliases): every data-tier secret, the RDS one included
 * (`masterUserSecretKmsKeyId`), is encrypted with it.
 */
export function secretGrant(f: AccountFacts, prefix: string, key: string, s: SecretIdentity): SecretGrant {
    const kmsKeyArn = kmsAliasArn(f, naming.dataKeyAlias(prefix, "secrets"));
    if (s.name !== undefined) {
        return { key, arn: naming.secretArnPattern(f, s.name), kmsKeyArn };
    }
    if (s.rdsClusterIdentifier !== undefined) {
        return { key, arn: naming.rdsClusterSecretArnPattern(f), kmsKeyArn, rdsClusterArn: naming.rdsClusterArn(f, s.rdsClusterIdentifier) };
    }
    throw new Error(`secret ${JSON.stringify(key)}: the data tier gives neither its name nor its RDS cluster, so no IAM grant can name it`);
}

/** The KMS key of a domain (data, secrets, messaging), or a clear error. */
export function domainKey(data: DataOutputs, domain: string, path: string) {
    return need(data.keys, domain, path, "KMS key domain");
}

export function resolveAccess(where: string, a: AccessView, c: AccessContext): pulumi.Output<ResolvedAccess> {
    const { data, prefix } = c;
    // ARNs are built from names (tables, buckets, secrets, KMS aliases) rather than taken from the
    // data tier's `arn` outputs, so the policies are known in the first preview of a fresh stack.
    // KMS: data-tier keys are referenced by alias ARN (naming.dataKeyAlias, coupled to the data
    // tier's alias convention) and become `key/*` + kms:ResourceAliases (iam.ts kmsKeyScope).
    const hasMessaging = Object.keys(a.queues).length + a.topics.length > 0;
    if (hasMessaging) domainKey(data, "messaging", where);
    const hasDataKey = Object.keys(a.tables).length > 0 && data.keys.data !== undefined;
    const plain = {
        tables: Object.entries(a.tables).map(([key, mode]) => ({ key, mode, name: need(data.tables, key, `${where}.access.tables.${key}`, "table").name })),
        buckets: Object.entries(a.buckets).map(([key, b]) => {
            const ref = need(data.buckets, key, `${where}.access.buckets.${key}`, "bucket");
            // SSE-KMS buckets of the data tier are encrypted with its `data` key (data-tier.ts).
            return { key, mode: b.mode, prefix: b.prefix, name: ref.name, kms: ref.kmsKeyArn !== undefined };
        }),
        secrets: a.secrets.map((key, i) => ({ key, identity: secretIdentity(secretRef(data, key, `${where}.access.secrets[${i}]`)) })),
        bedrockModels: [...a.bedrockModels],
    };
    return pulumi.all([pulumi.output(plain), c.facts]).apply(([p, f]) => ({
        tables: p.tables.map((t) => ({ key: t.key, mode: t.mode, arn: naming.tableArn(f, t.name) })),
        buckets: p.buckets.map((b) => ({
            key: b.key,
            mode: b.mode,
            prefix: b.prefix,
            arn: naming.bucketArn(f, b.name),
            ...(b.kms ? { kmsKeyArn: kmsAliasArn(f, naming.dataKeyAlias(prefix, "data")) } : {}),
        })),
        secrets: p.secrets.map((s) => secretGrant(f, prefix, s.key, s.identity)),
        bedrockModels: p.bedrockModels,
        ...(hasDataKey ? { dataKeyArn: kmsAliasArn(f, naming.dataKeyAlias(prefix, "data")) } : {}),
        ...(hasMessaging ? { messagingKeyArn: kmsAliasArn(f, naming.dataKeyAlias(prefix, "messaging")) } : {}),
        queues: Object.entries(a.queues).map(([key, mode]) => ({ key, mode, arn: naming.queueArn(f, naming.queueName(prefix, key)) })),
        topics: a.topics.map((key) => ({ key, arn: naming.topicArn(f, naming.topicName(prefix, key)) })),
        functions: a.functions.map((key) => ({ key, arn: naming.functionArn(f, naming.functionName(prefix, key)) })),
        workflows: a.workflows.map((key) => ({ key, arn: naming.stateMachineArn(f, naming.stateMachineName(prefix, key)) })),
    }));
}

/**
 * Environment variables naming every declared resource: TABLE_<KEY>, BUCKET_<KEY> (+ _PREFIX),
 * SECRET_<KEY>_ARN, QUEUE_<KEY>_URL, TOPIC_<KEY>_ARN, FUNCTION_<KEY>_NAME, WORKFLOW_<KEY>_ARN.
 */
export function accessEnvironment(a: AccessView, c: AccessContext): pulumi.Output<Record<string, string>> {
    const { data, prefix } = c;
    const entries: [string, pulumi.Input<string>][] = [];
    for (const key of Object.keys(a.tables)) entries.push([`TABLE_${naming.envKey(key)}`, data.tables[key]?.name ?? ""]);
    for (const [key, b] of Object.entries(a.buckets)) {
        entries.push([`BUCKET_${naming.envKey(key)}`, data.buckets[key]?.name ?? ""]);
        if (b.prefix) entries.push([`BUCKET_${naming.envKey(key)}_PREFIX`, b.prefix]);
    }
    for (const key of a.secrets) entries.push([`SECRET_${naming.envKey(key)}_ARN`, data.secrets[key]?.arn ?? ""]);
    const facts = c.facts;
    for (const key of Object.keys(a.queues)) entries.push([`QUEUE_${naming.envKey(key)}_URL`, facts.apply((f) => naming.queueUrl(f, naming.queueName(prefix, key)))]);
    for (const key of a.topics) entries.push([`TOPIC_${naming.envKey(key)}_ARN`, facts.apply((f) => naming.topicArn(f, naming.topicName(prefix, key)))]);
    for (const key of a.functions) entries.push([`FUNCTION_${naming.envKey(key)}_NAME`, naming.functionName(prefix, key)]);
    for (const key of a.workflows) entries.push([`WORKFLOW_${naming.envKey(key)}_ARN`, facts.apply((f) => naming.stateMachineArn(f, naming.stateMachineName(prefix, key)))]);
    return pulumi.all(entries.map(([k, v]) => pulumi.output(v).apply((x) => [k, x] as const))).apply((pairs) => Object.fromEntries(pairs));
}
