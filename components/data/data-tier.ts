import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { StackConfig } from "../config";
import type { DataOutputs, KeyRef, LogGroupRef, NetworkOutputs, PlatformContext, SecretRef, TableRef, BucketRef } from "../contracts";
import { KmsKey } from "../security/kms-key";
import { domainKeyPolicy, KEY_DOMAINS, KeyDomain } from "./key-policies";
import { Database } from "./database";
import { Cache } from "./cache";
import { Tables } from "./tables";
import { Buckets } from "./buckets";
import { Secrets } from "./secrets";
import { Backup } from "./backup";
import { FileSystem } from "./efs";

export interface DataTierArgs {
    /** The validated `data` section of the stack configuration. */
    config: StackConfig["data"];
    /** Shared names, account facts and the logs key. */
    ctx: PlatformContext;
    /** Data subnets and the rds / cache security groups. */
    network: NetworkOutputs;
    /** Provider of the DR region (replica buckets, DR key, backup copy vault). */
    drProvider: aws.Provider;
    /** `cfg.protectData`: protect, retainOnDelete and deletion protection on stateful resources. */
    protect: boolean;
    /** Secret config values: `pineconeApiKey`, `bedrockApiKey` (undefined when not set). */
    secrets: Readonly<Record<string, pulumi.Output<string> | undefined>>;
    /**
     * Permissions boundary to set on every IAM role the tier creates: the delivery deploy role may
     * only create `<prefix>-*` roles carrying `delivery-<stack>-boundary` (deployments/README.md).
     */
    permissionsBoundaryArn?: pulumi.Input<string>;
}

/**
 * Every stateful service of the platform (seeds 000, 001, 002, 003): KMS keys per data domain
 * (+ a DR-region data key when something is copied there), Aurora PostgreSQL Serverless v2,
 * ElastiCache Redis, the DynamoDB tables and S3 buckets declared in config, Secrets Manager
 * secrets, an AWS Backup plan with DR copies, and optionally EFS.
 *
 * Creates (prod, defaults): 4 KMS keys, 1 Aurora cluster + 2 instances, 1 Redis replication
 * group (2 nodes), 5 tables (+ autoscaling), 7 buckets + 5 DR replicas, 5 secrets, 1 backup plan
 * with 2 vaults. Approximate prod cost: Aurora $150-600, Redis ~$360, KMS $4, secrets $2,
 * DynamoDB ~$25 at the minimum capacities, S3/backup by volume (README).
 */
export class DataTier extends pulumi.ComponentResource implements DataOutputs {
    public readonly keys: Readonly<Record<string, KeyRef>>;
    public readonly tables: Readonly<Record<string, TableRef>>;
    public readonly buckets: Readonly<Record<string, BucketRef>>;
    public readonly replicaBuckets: Readonly<Record<string, BucketRef>>;
    public readonly secrets: Readonly<Record<string, SecretRef>>;
    public readonly database?: Database;
    public readonly cache?: Cache;
    public readonly backup?: Backup;
    public readonly fileSystem?: FileSystem;
    public readonly logGroups: readonly LogGroupRef[];

    constructor(name: string, args: DataTierArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:DataTier", name, {}, opts);
        const cfg = args.config;
        const ctx = args.ctx;
        const child = { parent: this };
        const protect = args.protect;
        const needsDr = cfg.replication.enabled || (cfg.backup.enabled && cfg.backup.copyToDr);

        /** Key alias without `alias/`; the Buckets component matches keys by alias in IAM policies. */
        const aliasOf = (domain: KeyDomain | "dr") => `${ctx.namePrefix}-${domain === "dr" ? "data-dr" : domain}`;
        const keyFor = (domain: KeyDomain | "dr", region: string, description: string, provider?: aws.Provider) =>
            new KmsKey(
                `${name}-kms-${domain}`,
                {
                    description: `${ctx.namePrefix}: ${description}`,
                    alias: aliasOf(domain),
                    policy: pulumi.all([ctx.accountId, ctx.partition]).apply(([accountId, partition]) => JSON.stringify(domainKeyPolicy(domain, { accountId, partition, region }))),
                    protect,
                },
                provider ? { parent: this, providers: [provider] } : child,
            );
        const descriptions: Record<KeyDomain, string> = {
            data: "data at rest (S3, DynamoDB, Aurora, Redis, backups, EFS)",
            secrets: "Secrets Manager secrets",
            messaging: "SQS queues and SNS topics",
        };
        const kms = Object.fromEntries(KEY_DOMAINS.map((d) => [d, keyFor(d, ctx.region, descriptions[d])])) as Record<KeyDomain, KmsKey>;
        const drKey = needsDr ? keyFor("dr", ctx.drRegion, `DR-region copies of data (${ctx.region} -> ${ctx.drRegion})`, args.drProvider) : undefined;
        const keys: Record<string, KeyRef> = {};
        for (const [d, k] of Object.entries(kms)) {
            keys[d] = { arn: k.arn, keyId: k.keyId };
        }
        if (drKey) {
            keys.dr = { arn: drKey.arn, keyId: drKey.keyId };
        }
        this.keys = keys;

        const logGroups: LogGroupRef[] = [];
        const secrets: Record<string, SecretRef> = {};

        if (cfg.database.enabled) {
            this.database = new Database(
                `${name}-aurora`,
                {
                    config: cfg.database,
                    namePrefix: ctx.namePrefix,
                    subnetIds: args.network.dataSubnetIds,
                    securityGroupId: args.network.securityGroupIds.rds,
                    kmsKeyArn: kms.data.arn,
                    secretsKmsKeyArn: kms.secrets.arn,
                    logsKeyArn: ctx.logsKeyArn,
                    partition: ctx.partition,
                    permissionsBoundaryArn: args.permissionsBoundaryArn,
                    protect,
                },
                child,
            );
            // RDS names its master secret (`rds!cluster-<random>`) and tags it with the cluster's ARN;
            // the cluster identifier is chosen (database-spec.ts clusterIdentifier), so grants can name it.
            secrets.database = { arn: this.database.masterSecretArn, rdsClusterIdentifier: this.database.clusterIdentifier, kmsKeyArn: kms.secrets.arn };
            logGroups.push(...this.database.logGroups);
        }
        if (cfg.cache.enabled) {
            this.cache = new Cache(
                `${name}-redis`,
                {
                    config: cfg.cache,
                    namePrefix: ctx.namePrefix,
                    subnetIds: args.network.dataSubnetIds,
                    securityGroupId: args.network.securityGroupIds.cache,
                    kmsKeyArn: kms.data.arn,
                    secretsKmsKeyArn: kms.secrets.arn,
                    logsKeyArn: ctx.logsKeyArn,
                    secretRecoveryWindowDays: cfg.secrets.recoveryWindowDays,
                    protect,
                },
                child,
            );
            secrets.redisAuth = { arn: this.cache.authSecretArn, name: this.cache.authSecretName, kmsKeyArn: kms.secrets.arn };
            logGroups.push(...this.cache.logGroups);
        }

        const tables = new Tables(`${name}-tables`, { tables: cfg.tables, defaults: cfg.tableDefaults, namePrefix: ctx.namePrefix, kmsKeyArn: kms.data.arn, protect }, child);
        this.tables = tables.tables;

        const buckets = new Buckets(
            `${name}-buckets`,
            {
                buckets: cfg.buckets,
                namePrefix: ctx.namePrefix,
                region: ctx.region,
                drRegion: ctx.drRegion,
                accountId: ctx.accountId,
                partition: ctx.partition,
                kmsKeyArn: kms.data.arn,
                kmsKeyAlias: aliasOf("data"),
                ...(cfg.replication.enabled && drKey ? { replication: { provider: args.drProvider, kmsKeyArn: drKey.arn, kmsKeyAlias: aliasOf("dr") } } : {}),
                permissionsBoundaryArn: args.permissionsBoundaryArn,
                protect,
            },
            child,
        );
        this.buckets = buckets.buckets;
        this.replicaBuckets = buckets.replicas;

        const appSecrets = new Secrets(
            `${name}-secrets`,
            {
                namePrefix: ctx.namePrefix,
                kmsKeyArn: kms.secrets.arn,
                recoveryWindowDays: cfg.secrets.recoveryWindowDays,
                externalKeys: { pinecone: args.secrets.pineconeApiKey, bedrock: args.secrets.bedrockApiKey },
                protect,
            },
            child,
        );
        Object.assign(secrets, appSecrets.secrets);
        this.secrets = secrets;

        if (cfg.efs.enabled) {
            this.fileSystem = new FileSystem(
                `${name}-efs`,
                {
                    config: cfg.efs,
                    namePrefix: ctx.namePrefix,
                    vpcId: args.network.vpcId,
                    subnetIds: args.network.privateSubnetIds,
                    clientSecurityGroupIds: [args.network.securityGroupIds.ecs, args.network.securityGroupIds.lambda],
                    kmsKeyArn: kms.data.arn,
                    protect,
                },
                child,
            );
        }

        if (cfg.backup.enabled) {
            const resourceArns: pulumi.Input<string>[] = [
                ...(this.database ? [this.database.clusterArn] : []),
                ...Object.values(this.tables).map((t) => t.arn),
                ...(this.fileSystem ? [this.fileSystem.arn] : []),
            ];
            this.backup = new Backup(
                `${name}-backup`,
                {
                    config: cfg.backup,
                    namePrefix: ctx.namePrefix,
                    partition: ctx.partition,
                    kmsKeyArn: kms.data.arn,
                    ...(cfg.backup.copyToDr && drKey ? { dr: { provider: args.drProvider, kmsKeyArn: drKey.arn } } : {}),
                    resourceArns,
                    permissionsBoundaryArn: args.permissionsBoundaryArn,
                    protect,
                },
                child,
            );
        }

        this.logGroups = logGroups;
        this.registerOutputs({
            keys: Object.fromEntries(Object.entries(this.keys).map(([k, v]) => [k, v.arn])),
            tables: Object.fromEntries(Object.entries(this.tables).map(([k, v]) => [k, v.name])),
            buckets: Object.fromEntries(Object.entries(this.buckets).map(([k, v]) => [k, v.name])),
            secrets: Object.fromEntries(Object.entries(this.secrets).map(([k, v]) => [k, v.arn])),
        });
    }
}
