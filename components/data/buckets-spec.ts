/**
 * S3 buckets as data: the built-in buckets (seed 000 INFRA-002, seed 001 storage, seed 003 E),
 * their validation, lifecycle rules and the bucket-policy statement builders. Pure functions.
 */
import type { PolicyDocument, PolicyStatement } from "../security/key-policy";
import { LOG_PREFIXES } from "../contracts";
import { kebab } from "./tables-spec";
import type { SpecProblem } from "./tables-spec";

export const BUCKET_KINDS = ["data", "logs", "website"] as const;
export type BucketKind = (typeof BUCKET_KINDS)[number];

export interface Transitions {
    readonly standardIaDays?: number;
    readonly intelligentTieringDays?: number;
    readonly glacierDays?: number;
    readonly deepArchiveDays?: number;
}

export interface LifecycleRuleSpec {
    readonly id: string;
    readonly prefix?: string;
    readonly transitions: Transitions;
    readonly expirationDays?: number;
}

export interface BucketSpec {
    readonly kind: BucketKind;
    readonly prefixes: readonly string[];
    readonly lifecycle: readonly LifecycleRuleSpec[];
    readonly noncurrentVersionExpirationDays: number;
    readonly replicate: boolean;
}

/** Seed 001 "S3 ライフサイクルポリシー": 30 days Standard-IA, 90 Glacier, 365 Deep Archive. */
export const SEED_ARCHIVE: Transitions = { standardIaDays: 30, glacierDays: 90, deepArchiveDays: 365 };

/** Seed 000 document folders. */
export const DOCUMENT_PREFIXES = ["legal/", "terms/", "notation/", "general/", "uploads/"] as const;

export const DEFAULT_BUCKETS: Readonly<Record<string, BucketSpec>> = {
    documents: {
        kind: "data",
        prefixes: [...DOCUMENT_PREFIXES],
        // Reference documents are re-read whenever the index is rebuilt: Intelligent-Tiering moves
        // cold objects without retrieval fees. Raw uploads follow the seed archive path.
        lifecycle: [
            ...DOCUMENT_PREFIXES.filter((p) => p !== "uploads/").map((prefix) => ({ id: `${prefix.slice(0, -1)}-tiering`, prefix, transitions: { intelligentTieringDays: 0 } })),
            { id: "uploads-archive", prefix: "uploads/", transitions: SEED_ARCHIVE },
        ],
        noncurrentVersionExpirationDays: 90,
        replicate: true,
    },
    temporary: {
        kind: "data",
        prefixes: [],
        lifecycle: [{ id: "expire", transitions: {}, expirationDays: 7 }],
        noncurrentVersionExpirationDays: 1,
        replicate: false,
    },
    prompts: { kind: "data", prefixes: [], lifecycle: [], noncurrentVersionExpirationDays: 365, replicate: true },
    appData: { kind: "data", prefixes: [], lifecycle: [{ id: "archive", transitions: SEED_ARCHIVE }], noncurrentVersionExpirationDays: 90, replicate: true },
    staticSite: { kind: "website", prefixes: [], lifecycle: [], noncurrentVersionExpirationDays: 30, replicate: false },
    logs: {
        kind: "logs",
        prefixes: Object.values(LOG_PREFIXES).map((p) => `${p}/`),
        // Seed 001: ALB logs 90 days; CloudTrail kept in S3 "permanently" (archived, never expired).
        lifecycle: [
            { id: "alb", prefix: `${LOG_PREFIXES.alb}/`, transitions: { standardIaDays: 30 }, expirationDays: 90 },
            { id: "cloudfront", prefix: `${LOG_PREFIXES.cloudfront}/`, transitions: { standardIaDays: 30 }, expirationDays: 90 },
            { id: "s3-access", prefix: `${LOG_PREFIXES.s3}/`, transitions: { standardIaDays: 30 }, expirationDays: 90 },
            { id: "cloudtrail", prefix: `${LOG_PREFIXES.cloudtrail}/`, transitions: SEED_ARCHIVE },
        ],
        noncurrentVersionExpirationDays: 30,
        replicate: false,
    },
    backups: { kind: "data", prefixes: [], lifecycle: [{ id: "archive", transitions: SEED_ARCHIVE }], noncurrentVersionExpirationDays: 90, replicate: true },
};

/** Globally unique physical name: `<prefix>-<kebab key>-<account id>` (<= 63 characters). */
export function bucketName(namePrefix: string, key: string, accountId: string): string {
    return `${namePrefix}-${kebab(key)}-${accountId}`;
}

const ORDER: readonly [keyof Transitions, string, number][] = [
    // [field, storage class, minimum days S3 accepts]
    ["intelligentTieringDays", "INTELLIGENT_TIERING", 0],
    ["standardIaDays", "STANDARD_IA", 30],
    ["glacierDays", "GLACIER", 0],
    ["deepArchiveDays", "DEEP_ARCHIVE", 0],
];

/** Validates one lifecycle rule: S3's minimums and a strictly increasing transition order. */
export function checkLifecycleRule(rule: LifecycleRuleSpec, index: number): SpecProblem[] {
    const problems: SpecProblem[] = [];
    const at = (field: string) => `.lifecycle[${index}].${field}`;
    const t = rule.transitions;
    const ia = t.standardIaDays;
    const glacier = t.glacierDays;
    const deep = t.deepArchiveDays;
    if (ia !== undefined && ia < 30) {
        problems.push({ path: at("transitions.standardIaDays"), message: `S3 moves objects to STANDARD_IA after at least 30 days, got ${ia}` });
    }
    if (t.intelligentTieringDays !== undefined && ia !== undefined) {
        problems.push({ path: at("transitions"), message: "choose either intelligentTieringDays or standardIaDays for a rule, not both" });
    }
    if (ia !== undefined && glacier !== undefined && glacier < ia + 30) {
        problems.push({ path: at("transitions.glacierDays"), message: `expected glacierDays >= standardIaDays + 30 (objects stay 30 days in STANDARD_IA), got ${glacier} after ${ia}` });
    }
    const before = glacier ?? ia ?? t.intelligentTieringDays;
    if (deep !== undefined && before !== undefined && deep <= before) {
        problems.push({ path: at("transitions.deepArchiveDays"), message: `expected deepArchiveDays after the earlier transitions (> ${before}), got ${deep}` });
    }
    if (deep !== undefined && glacier !== undefined && deep < glacier + 90) {
        problems.push({ path: at("transitions.deepArchiveDays"), message: `expected deepArchiveDays >= glacierDays + 90 (GLACIER's minimum storage duration), got ${deep} after ${glacier}` });
    }
    const last = Math.max(-1, ...Object.values(t).filter((v): v is number => typeof v === "number"));
    if (rule.expirationDays !== undefined && rule.expirationDays <= last) {
        problems.push({ path: at("expirationDays"), message: `expected expiration after the last transition (> ${last} days), got ${rule.expirationDays}` });
    }
    if (rule.expirationDays === undefined && last < 0) {
        problems.push({ path: `.lifecycle[${index}]`, message: "a rule needs at least one transition or an expirationDays" });
    }
    return problems;
}

export function checkBucket(key: string, b: BucketSpec, project: string, stack: string): SpecProblem[] {
    const problems: SpecProblem[] = [];
    const longest = `${bucketName(`${project}-${stack}`, key, "123456789012")}-dr`;
    if (longest.length > 63) {
        problems.push({ path: "", message: `bucket name ${longest} (with its DR replica suffix) would exceed 63 characters; use a shorter key` });
    }
    const ids = new Set<string>();
    b.lifecycle.forEach((rule, i) => {
        problems.push(...checkLifecycleRule(rule, i));
        if (ids.has(rule.id)) {
            problems.push({ path: `.lifecycle[${i}].id`, message: `duplicate rule id ${rule.id}` });
        }
        ids.add(rule.id);
        if (rule.prefix !== undefined && b.prefixes.length > 0 && !b.prefixes.includes(rule.prefix)) {
            problems.push({ path: `.lifecycle[${i}].prefix`, message: `prefix ${rule.prefix} is not one of the bucket's prefixes (${b.prefixes.join(", ")})` });
        }
    });
    if (b.kind === "logs" && b.replicate) {
        problems.push({ path: ".replicate", message: "the logs bucket uses SSE-S3 and is not replicated; set replicate to false" });
    }
    return problems;
}

/** The aws.s3.BucketLifecycleConfiguration rules of a bucket (plain values). */
export interface S3LifecycleRule {
    id: string;
    status: "Enabled";
    filter: { prefix?: string };
    transitions?: { days: number; storageClass: string }[];
    expiration?: { days?: number; expiredObjectDeleteMarker?: boolean };
    noncurrentVersionExpiration?: { noncurrentDays: number };
    abortIncompleteMultipartUpload?: { daysAfterInitiation: number };
}

export function lifecycleRules(b: BucketSpec): S3LifecycleRule[] {
    const rules: S3LifecycleRule[] = b.lifecycle.map((r): S3LifecycleRule => {
        const transitions = ORDER.filter(([field]) => r.transitions[field] !== undefined).map(([field, storageClass]) => ({ days: r.transitions[field]!, storageClass }));
        return {
            id: r.id,
            status: "Enabled" as const,
            filter: r.prefix !== undefined ? { prefix: r.prefix } : {},
            ...(transitions.length > 0 ? { transitions } : {}),
            ...(r.expirationDays !== undefined ? { expiration: { days: r.expirationDays } } : {}),
        };
    });
    rules.push({
        id: "noncurrent-and-uploads-cleanup",
        status: "Enabled",
        filter: {},
        noncurrentVersionExpiration: { noncurrentDays: b.noncurrentVersionExpirationDays },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        expiration: { expiredObjectDeleteMarker: true },
    });
    return rules;
}

/** Deny every request that does not use TLS (seed 001 AC-SEC-3). Every bucket policy carries it. */
export function tlsOnlyStatement(bucketArn: string): PolicyStatement {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

/**
 * ELB account ids of the regions opened before August 2022 (Elastic Load Balancing user guide,
 * "Attach a policy to your S3 bucket"). Newer regions use the log-delivery service principal.
 */
export const ELB_ACCOUNT_IDS: Readonly<Record<string, string>> = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-south-1": "718504428378",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-northeast-3": "383597477331",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "eu-south-1": "635631232127",
    "eu-north-1": "897822967062",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
};

export interface LogsPolicyContext {
    bucketArn: string;
    region: string;
    accountId: string;
    partition: string;
    /** ARN of the stack's CloudTrail trail (trailName(namePrefix) of contracts.ts). */
    trailArn: string;
    /** ARNs of the buckets whose server access logs land here. */
    sourceBucketArns: readonly string[];
}

/** The logs bucket policy: TLS only, ALB access logs, CloudTrail, S3 server access logs. */
export function logsBucketPolicy(c: LogsPolicyContext): PolicyDocument {
    const elbAccount = ELB_ACCOUNT_IDS[c.region];
    const albPrincipal: Record<string, string> = elbAccount !== undefined ? { AWS: `arn:${c.partition}:iam::${elbAccount}:root` } : { Service: "logdelivery.elasticloadbalancing.amazonaws.com" };
    const statements: PolicyStatement[] = [
        tlsOnlyStatement(c.bucketArn),
        {
            Sid: "AlbAccessLogs",
            Effect: "Allow",
            Principal: albPrincipal,
            Action: "s3:PutObject",
            Resource: `${c.bucketArn}/${LOG_PREFIXES.alb}/AWSLogs/${c.accountId}/*`,
        },
        {
            Sid: "CloudTrailAclCheck",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:GetBucketAcl",
            Resource: c.bucketArn,
            Condition: { StringEquals: { "aws:SourceArn": c.trailArn } },
        },
        {
            Sid: "CloudTrailWrite",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: `${c.bucketArn}/${LOG_PREFIXES.cloudtrail}/AWSLogs/${c.accountId}/*`,
            Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": c.trailArn } },
        },
    ];
    if (c.sourceBucketArns.length > 0) {
        statements.push({
            Sid: "S3ServerAccessLogs",
            Effect: "Allow",
            Principal: { Service: "logging.s3.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: `${c.bucketArn}/${LOG_PREFIXES.s3}/*`,
            Condition: { ArnLike: { "aws:SourceArn": [...c.sourceBucketArns] }, StringEquals: { "aws:SourceAccount": c.accountId } },
        });
    }
    return { Version: "2012-10-17", Statement: statements };
}

/** A data bucket's own policy: TLS only. */
export function dataBucketPolicy(bucketArn: string): PolicyDocument {
    return { Version: "2012-10-17", Statement: [tlsOnlyStatement(bucketArn)] };
}

/**
 * The static-site bucket policy, attached by the EDGE tier once the distribution exists (the
 * data tier creates the bucket before the distribution): TLS only plus CloudFront OAC reads
 * pinned to the distribution. The bucket uses SSE-S3, so no key policy is involved.
 */
export function staticSiteBucketPolicy(bucketArn: string, distributionArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            tlsOnlyStatement(bucketArn),
            {
                Sid: "CloudFrontOacRead",
                Effect: "Allow",
                Principal: { Service: "cloudfront.amazonaws.com" },
                Action: "s3:GetObject",
                Resource: `${bucketArn}/*`,
                Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
            },
        ],
    };
}

export interface ReplicationPolicyContext {
    /** Bucket ARNs built from the bucket names (known before the buckets exist). */
    pairs: readonly { sourceArn: string; replicaArn: string }[];
    /** Alias of the source-region data key, without `alias/` (e.g. `shop-prod-data`). */
    sourceKeyAlias: string;
    /** Alias of the DR-region data key, without `alias/`. */
    replicaKeyAlias: string;
    accountId: string;
    partition: string;
    region: string;
    drRegion: string;
}

/** The S3 ARN of a bucket from its (explicit) physical name: known before the bucket exists. */
export function s3BucketArn(partition: string, bucket: string): string {
    return `arn:${partition}:s3:::${bucket}`;
}

/**
 * Least-privilege policy of the S3 replication role: named buckets, the two data keys, via S3 only.
 * Key ids are random (unknown until the keys exist, e.g. in the first preview), so the KMS
 * statements name `key/*` of the account in each region and narrow it to the key by alias with
 * `kms:ResourceAliases` (supported for kms:Decrypt, kms:Encrypt and kms:GenerateDataKey), plus
 * `kms:ViaService` so the key is only usable through S3 in that region.
 */
export function replicationRolePolicy(c: ReplicationPolicyContext): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "ReadReplicationConfiguration", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: c.pairs.map((p) => p.sourceArn) },
            {
                Sid: "ReadSourceVersions",
                Effect: "Allow",
                Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
                Resource: c.pairs.map((p) => `${p.sourceArn}/*`),
            },
            { Sid: "WriteReplicas", Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource: c.pairs.map((p) => `${p.replicaArn}/*`) },
            {
                Sid: "DecryptSource",
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: `arn:${c.partition}:kms:${c.region}:${c.accountId}:key/*`,
                Condition: {
                    StringEquals: { "kms:ViaService": `s3.${c.region}.amazonaws.com` },
                    "ForAnyValue:StringEquals": { "kms:ResourceAliases": [`alias/${c.sourceKeyAlias}`] },
                },
            },
            {
                Sid: "EncryptReplica",
                Effect: "Allow",
                Action: ["kms:Encrypt", "kms:GenerateDataKey"],
                Resource: `arn:${c.partition}:kms:${c.drRegion}:${c.accountId}:key/*`,
                Condition: {
                    StringEquals: { "kms:ViaService": `s3.${c.drRegion}.amazonaws.com` },
                    "ForAnyValue:StringEquals": { "kms:ResourceAliases": [`alias/${c.replicaKeyAlias}`] },
                },
            },
        ],
    };
}
