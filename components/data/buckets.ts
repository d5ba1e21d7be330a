import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { StackConfig } from "../config";
import type { BucketRef } from "../contracts";
import { LOG_PREFIXES, trailName } from "../contracts";
import { BucketSpec, bucketName, dataBucketPolicy, lifecycleRules, logsBucketPolicy, replicationRolePolicy, s3BucketArn } from "./buckets-spec";
import { kebab } from "./tables-spec";

export interface BucketsArgs {
    /** The validated `data.buckets` map (built-in buckets merged with the stack's). */
    buckets: StackConfig["data"]["buckets"];
    namePrefix: string;
    region: string;
    drRegion: string;
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    /** Data-domain CMK (SSE-KMS of `data` buckets). */
    kmsKeyArn: pulumi.Input<string>;
    /** Alias of the data key without `alias/` (IAM policies match the key by alias: its id is random). */
    kmsKeyAlias: string;
    /**
     * Cross-region replication: the DR provider and the DR-region data key (ARN and alias without
     * `alias/`). Omit to disable replication (dev, staging).
     */
    replication?: { provider: aws.Provider; kmsKeyArn: pulumi.Input<string>; kmsKeyAlias: string };
    /** Permissions boundary required on roles the deploy role creates (deployments/). */
    permissionsBoundaryArn?: pulumi.Input<string>;
    protect: boolean;
}

interface Made {
    key: string;
    spec: BucketSpec;
    bucket: aws.s3.Bucket;
    /** ARN from the physical name (known in the first preview). */
    arn: pulumi.Output<string>;
    versioning: aws.s3.BucketVersioning;
}

/**
 * The S3 buckets declared in config. Every bucket: public access blocked, versioning, default
 * encryption (SSE-KMS with the data key and bucket keys for `data` buckets; SSE-S3 for the `logs`
 * bucket, because ALB access logs only support SSE-S3, and for the `website` bucket, so CloudFront
 * OAC needs no key grant), lifecycle rules (transitions, expirations, noncurrent versions,
 * aborted uploads), server access logs to the logs bucket under `s3-access/`, object ownership
 * enforced (the logs bucket keeps `BucketOwnerPreferred` so CloudFront standard logs can use
 * ACLs), and a bucket policy that denies non-TLS requests. The `website` bucket's policy is
 * owned by the edge tier (it needs the distribution ARN): see README.
 *
 * With `replication`, each bucket with `replicate: true` gets a replica in the DR region (same
 * hardening, SSE-KMS with the DR data key) and a replication rule; one replication role holds
 * exactly the source/replica buckets and keys it needs.
 *
 * Costs: S3 Standard $0.025/GB-month (ap-northeast-1), requests $0.0047 per 1,000 PUTs; SSE-KMS
 * with bucket keys adds few KMS requests; replication doubles storage plus $0.02/GB transfer.
 */
export class Buckets extends pulumi.ComponentResource {
    public readonly buckets: Readonly<Record<string, BucketRef>>;
    /** Replica buckets in the DR region, by bucket key. */
    public readonly replicas: Readonly<Record<string, BucketRef>>;

    constructor(name: string, args: BucketsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:Buckets", name, {}, opts);
        const child = { parent: this };
        const keep: pulumi.CustomResourceOptions = args.protect ? { parent: this, protect: true, retainOnDelete: true } : child;
        // The logs bucket first: the others send their access logs to it (stable sort keeps config order).
        const entries = Object.entries(args.buckets).sort(([, x], [, y]) => Number(y.kind === "logs") - Number(x.kind === "logs"));
        const buckets: Record<string, BucketRef> = {};
        const replicas: Record<string, BucketRef> = {};
        const made: Made[] = [];
        /**
         * Policies use ARNs built from the explicit bucket names, never `bucket.arn`: the names are
         * known in the first preview of a fresh stack, the ARNs of buckets created in the same
         * update are not (and the policy pack fails closed on unreadable documents).
         */
        const arnOf = (physicalName: pulumi.Input<string>) => pulumi.all([args.partition, physicalName]).apply(([partition, n]) => s3BucketArn(partition, n));
        let logsBucket: aws.s3.Bucket | undefined;

        /** Hardening shared by primary and replica buckets. */
        const harden = (
            prefix: string,
            bucket: aws.s3.Bucket,
            spec: BucketSpec,
            sse: { algorithm: "aws:kms"; keyArn: pulumi.Input<string> } | { algorithm: "AES256" },
            o: pulumi.CustomResourceOptions,
        ) => {
            const ownership = new aws.s3.BucketOwnershipControls(
                `${prefix}-ownership`,
                { bucket: bucket.id, rule: { objectOwnership: spec.kind === "logs" ? "BucketOwnerPreferred" : "BucketOwnerEnforced" } },
                o,
            );
            const publicAccess = new aws.s3.BucketPublicAccessBlock(
                `${prefix}-public-access`,
                { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
                o,
            );
            const versioning = new aws.s3.BucketVersioning(`${prefix}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, o);
            new aws.s3.BucketServerSideEncryptionConfiguration(
                `${prefix}-encryption`,
                {
                    bucket: bucket.id,
                    rules: [
                        sse.algorithm === "aws:kms"
                            ? { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: sse.keyArn }, bucketKeyEnabled: true }
                            : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
                    ],
                },
                o,
            );
            new aws.s3.BucketLifecycleConfiguration(`${prefix}-lifecycle`, { bucket: bucket.id, rules: lifecycleRules(spec) }, { ...o, dependsOn: [versioning] });
            return { ownership, publicAccess, versioning };
        };

        for (const [key, spec] of entries) {
            const prefix = `${name}-${kebab(key)}`;
            const physicalName = pulumi.interpolate`${bucketName(args.namePrefix, key, "")}${args.accountId}`;
            const arn = arnOf(physicalName);
            const bucket = new aws.s3.Bucket(
                prefix,
                { bucket: physicalName, forceDestroy: !args.protect, tags: { Name: `${args.namePrefix}-${kebab(key)}`, BucketKind: spec.kind } },
                keep,
            );
            const sse = spec.kind === "data" ? ({ algorithm: "aws:kms", keyArn: args.kmsKeyArn } as const) : ({ algorithm: "AES256" } as const);
            const { publicAccess, versioning } = harden(prefix, bucket, spec, sse, child);
            if (spec.kind === "logs") {
                logsBucket = bucket;
            } else {
                if (!logsBucket) {
                    throw new Error("data.buckets: a bucket of kind logs is required (the schema checks this)");
                }
                new aws.s3.BucketLogging(`${prefix}-access-logs`, { bucket: bucket.id, targetBucket: logsBucket.id, targetPrefix: `${LOG_PREFIXES.s3}/${kebab(key)}/` }, child);
            }
            if (spec.kind === "data") {
                new aws.s3.BucketPolicy(
                    `${prefix}-policy`,
                    { bucket: bucket.id, policy: arn.apply((a) => JSON.stringify(dataBucketPolicy(a))) },
                    { parent: this, dependsOn: [publicAccess] },
                );
            }
            // kind website: the edge tier attaches the policy (TLS-only + CloudFront OAC), see README.
            made.push({ key, spec, bucket, arn, versioning });
            buckets[key] = {
                name: bucket.bucket,
                arn: bucket.arn,
                regionalDomainName: bucket.bucketRegionalDomainName,
                ...(spec.kind === "data" ? { kmsKeyArn: pulumi.output(args.kmsKeyArn) } : {}),
            };
        }

        if (logsBucket) {
            const lb = logsBucket;
            const sources = made.filter((m) => m.spec.kind !== "logs").map((m) => m.arn);
            const logsPublic = made.find((m) => m.bucket === lb)!;
            new aws.s3.BucketPolicy(
                `${name}-logs-policy`,
                {
                    bucket: lb.id,
                    policy: pulumi.all([logsPublic.arn, args.accountId, args.partition, pulumi.all(sources)]).apply(([arn, accountId, partition, sourceArns]) =>
                        JSON.stringify(
                            logsBucketPolicy({
                                bucketArn: arn,
                                region: args.region,
                                accountId,
                                partition,
                                trailArn: `arn:${partition}:cloudtrail:${args.region}:${accountId}:trail/${trailName(args.namePrefix)}`,
                                sourceBucketArns: sourceArns,
                            }),
                        ),
                    ),
                },
                { parent: this, dependsOn: [logsPublic.versioning] },
            );
        }

        const replicated = args.replication ? made.filter((m) => m.spec.replicate && m.spec.kind !== "logs") : [];
        if (args.replication && replicated.length > 0) {
            const rep = args.replication;
            const inDr: pulumi.CustomResourceOptions = { parent: this, provider: rep.provider };
            const keepDr: pulumi.CustomResourceOptions = args.protect ? { ...inDr, protect: true, retainOnDelete: true } : inDr;
            const pairs = replicated.map((m) => {
                const prefix = `${name}-${kebab(m.key)}-replica`;
                const replicaName = pulumi.interpolate`${bucketName(args.namePrefix, m.key, "")}${args.accountId}-dr`;
                const replicaArn = arnOf(replicaName);
                const replica = new aws.s3.Bucket(
                    prefix,
                    { bucket: replicaName, forceDestroy: !args.protect, tags: { Name: `${args.namePrefix}-${kebab(m.key)}-dr`, BucketKind: m.spec.kind, ReplicaOf: m.key } },
                    keepDr,
                );
                const sse = m.spec.kind === "data" ? ({ algorithm: "aws:kms", keyArn: rep.kmsKeyArn } as const) : ({ algorithm: "AES256" } as const);
                const { publicAccess, versioning } = harden(prefix, replica, m.spec, sse, inDr);
                new aws.s3.BucketPolicy(
                    `${prefix}-policy`,
                    { bucket: replica.id, policy: replicaArn.apply((a) => JSON.stringify(dataBucketPolicy(a))) },
                    { ...inDr, dependsOn: [publicAccess] },
                );
                replicas[m.key] = {
                    name: replica.bucket,
                    arn: replica.arn,
                    regionalDomainName: replica.bucketRegionalDomainName,
                    ...(m.spec.kind === "data" ? { kmsKeyArn: pulumi.output(rep.kmsKeyArn) } : {}),
                };
                return { m, replica, replicaArn, replicaVersioning: versioning };
            });

            const role = new aws.iam.Role(
                `${name}-replication-role`,
                {
                    name: `${args.namePrefix}-s3-replication`,
                    description: "S3 cross-region replication to the DR region",
                    ...(args.permissionsBoundaryArn ? { permissionsBoundary: args.permissionsBoundaryArn } : {}),
                    assumeRolePolicy: pulumi.output(args.accountId).apply((accountId) =>
                        JSON.stringify({
                            Version: "2012-10-17",
                            Statement: [
                                {
                                    Effect: "Allow",
                                    Principal: { Service: "s3.amazonaws.com" },
                                    Action: "sts:AssumeRole",
                                    Condition: { StringEquals: { "aws:SourceAccount": accountId } },
                                },
                            ],
                        }),
                    ),
                },
                child,
            );
            const rolePolicy = new aws.iam.RolePolicy(
                `${name}-replication-policy`,
                {
                    role: role.id,
                    policy: pulumi
                        .all([pulumi.all(pairs.map((p) => pulumi.all([p.m.arn, p.replicaArn]))), args.accountId, args.partition])
                        .apply(([arns, accountId, partition]) =>
                            JSON.stringify(
                                replicationRolePolicy({
                                    pairs: arns.map(([sourceArn, replicaArn]) => ({ sourceArn, replicaArn })),
                                    sourceKeyAlias: args.kmsKeyAlias,
                                    replicaKeyAlias: rep.kmsKeyAlias,
                                    accountId,
                                    partition,
                                    region: args.region,
                                    drRegion: args.drRegion,
                                }),
                            ),
                        ),
                },
                child,
            );
            for (const p of pairs) {
                const kms = p.m.spec.kind === "data";
                new aws.s3.BucketReplicationConfig(
                    `${name}-${kebab(p.m.key)}-replication`,
                    {
                        bucket: p.m.bucket.id,
                        role: role.arn,
                        rules: [
                            {
                                id: "dr",
                                status: "Enabled",
                                priority: 1,
                                filter: {},
                                deleteMarkerReplication: { status: "Enabled" },
                                ...(kms ? { sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } } } : {}),
                                destination: {
                                    bucket: p.replica.arn,
                                    storageClass: "STANDARD",
                                    ...(kms ? { encryptionConfiguration: { replicaKmsKeyId: rep.kmsKeyArn } } : {}),
                                },
                            },
                        ],
                    },
                    { parent: this, dependsOn: [p.m.versioning, p.replicaVersioning, rolePolicy] },
                );
            }
        }

        this.buckets = buckets;
        this.replicas = replicas;
        this.registerOutputs({
            buckets: Object.fromEntries(Object.entries(buckets).map(([k, b]) => [k, b.name])),
            replicas: Object.fromEntries(Object.entries(replicas).map(([k, b]) => [k, b.name])),
        });
    }
}
