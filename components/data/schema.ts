/**
 * Stack configuration of the data tier (`platform:data`), validated by components/config.ts.
 *
 * Defaults are the production values (seed 001/002); dev and staging override what they relax in
 * their stack files. Tables and buckets are DATA: the five tables of seed 000 and the seven
 * buckets of the platform are built in, a stack file may add entries (a new key) or change a
 * built-in one (same key, fields merged over the default); `null` removes a built-in entry.
 */
import { z } from "zod";
import { logRetentionDays, Report } from "../validation";
import type { StackConfig } from "../config";
import { checkTable, TableSpec, DEFAULT_TABLES, ATTRIBUTE_TYPES } from "./tables-spec";
import { BucketSpec, checkBucket, DEFAULT_BUCKETS, BUCKET_KINDS } from "./buckets-spec";
import { auroraScaleToZeroSupported, checkAcuRange } from "./database-spec";

/** Top-level secret config keys this tier reads (`pulumi config set --secret <key>`). */
export const secretKeys = ["pineconeApiKey", "bedrockApiKey"] as const;

const identifier = z.string().regex(/^[a-z][a-zA-Z0-9]{0,39}$/, "expected a camelCase identifier (letters and digits, starting with a lower-case letter, max 40)");
const attributeName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,254}$/, "expected a DynamoDB attribute name (letters, digits, _ . -)");
const window = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, "expected a UTC window hh:mm-hh:mm such as 03:00-04:00");
const weeklyWindow = z
    .string()
    .regex(/^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/, "expected a weekly UTC window ddd:hh:mm-ddd:hh:mm such as sun:04:30-sun:05:30");

const capacity = z
    .object({
        min: z.number().int().min(1, "expected at least 1 capacity unit"),
        max: z.number().int().min(1, "expected at least 1 capacity unit"),
    })
    .strict();

/** One DynamoDB table. Attribute types are S (string), N (number) or B (binary). */
const tableSchema = z
    .object({
        /** Every attribute used by a key (table or index) with its type; DynamoDB rejects unused ones. */
        attributes: z.record(attributeName, z.string(), "expected the key attributes with their types (S, N or B), e.g. { documentId: S }"),
        partitionKey: attributeName,
        sortKey: attributeName.optional(),
        gsis: z
            .array(
                z
                    .object({
                        name: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, "expected an index name of 3-255 letters, digits, _ . -"),
                        partitionKey: attributeName,
                        sortKey: attributeName.optional(),
                        projection: z.enum(["ALL", "KEYS_ONLY"]).default("ALL"),
                    })
                    .strict(),
            )
            .default([]),
        /** TTL: the attribute the writer sets to an epoch-seconds expiry, and the lifetime it uses. */
        ttl: z.object({ attribute: attributeName, days: z.number().int().min(1) }).strict().optional(),
        /** DynamoDB Streams view type, when a consumer needs the changes. */
        stream: z.enum(["NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"]).optional(),
        /** Per-table override of `tableDefaults.billingMode`. */
        billingMode: z.enum(["onDemand", "provisioned"]).optional(),
        /** Per-table override of `tableDefaults.read` / `write` (provisioned mode). */
        read: capacity.optional(),
        write: capacity.optional(),
    })
    .strict();

const transitions = z
    .object({
        standardIaDays: z.number().int().min(0).optional(),
        intelligentTieringDays: z.number().int().min(0).optional(),
        glacierDays: z.number().int().min(0).optional(),
        deepArchiveDays: z.number().int().min(0).optional(),
    })
    .strict();

const lifecycleRule = z
    .object({
        id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "expected a rule id of lower-case letters, digits and dashes"),
        /** Key prefix the rule applies to; the whole bucket when omitted. */
        prefix: z.string().optional(),
        transitions: transitions.default({}),
        expirationDays: z.number().int().min(1).optional(),
    })
    .strict();

const bucketSchema = z
    .object({
        /**
         * `data`: SSE-KMS with the data key, BucketOwnerEnforced, policy owned here.
         * `logs`: the access-log target (SSE-S3: ALB logs cannot use KMS; ACLs kept for CloudFront
         * legacy logs), with the ELB / CloudTrail / S3 log-delivery statements.
         * `website`: SSE-S3, served by CloudFront OAC; its bucket policy is owned by the edge tier.
         */
        kind: z.enum(BUCKET_KINDS).default("data"),
        /** Key prefixes the application uses (seed 000 folders); lifecycle rules may target them. */
        prefixes: z.array(z.string().regex(/^[a-z0-9][a-z0-9_-]*\/$/, "expected a prefix such as legal/")).default([]),
        lifecycle: z.array(lifecycleRule).default([]),
        /** Noncurrent versions are deleted after this many days. */
        noncurrentVersionExpirationDays: z.number().int().min(1).default(90),
        /** Replicate to the DR region when `replication.enabled`. */
        replicate: z.boolean().default(true),
    })
    .strict();

/**
 * A built-in entry may be partially overridden (fields merged over the default), or removed with
 * null. Entries are validated in full after the merge (the transform below), so every problem of
 * every entry is reported at once.
 */
const entry = z.record(z.string(), z.unknown(), "expected a mapping of fields, or null to remove a built-in entry").nullable();
const tableEntry = entry;
const bucketEntry = entry;

const databaseSchema = z
    .object({
        enabled: z.boolean().default(true),
        /** aurora-postgresql engine version; 16.3+ / 15.7+ / 14.12+ / 13.15+ allow minCapacity 0. */
        engineVersion: z.string().regex(/^\d+\.\d+$/, "expected an aurora-postgresql version such as 16.6").default("16.6"),
        databaseName: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, "expected a PostgreSQL database name").default("app"),
        masterUsername: z.string().regex(/^[a-z][a-z0-9_]{0,15}$/, "expected a user name of lower-case letters, digits, _ (max 16)").default("app_admin"),
        /** Serverless v2 capacity (ACU), seed 002 §1.1: 0.5-2.0. */
        minCapacity: z.number().min(0).max(256).multipleOf(0.5, "expected a multiple of 0.5 ACU").default(0.5),
        maxCapacity: z.number().min(1).max(256).multipleOf(0.5, "expected a multiple of 0.5 ACU").default(2),
        /** Idle seconds before an instance pauses; only with minCapacity 0. */
        secondsUntilAutoPause: z.number().int().min(300).max(86400).optional(),
        /** Instances: the writer plus readers (prod >= 2, seed 001 AC-REL-1). */
        instances: z.number().int().min(1).max(16).default(2),
        /** Seed 001: 7 / 3 / 1 days. */
        backupRetentionDays: z.number().int().min(1).max(35).default(7),
        backupWindow: window.default("03:00-04:00"),
        maintenanceWindow: weeklyWindow.default("sun:04:30-sun:05:30"),
        /** Queries slower than this are logged (log_min_duration_statement), in ms. */
        logMinDurationMs: z.number().int().min(-1).default(1000),
        logRetentionDays: logRetentionDays.default(90),
        performanceInsightsRetentionDays: z.union([z.literal(7), z.literal(731)]).default(7),
        /** Enhanced monitoring interval in seconds; 0 disables it. */
        monitoringInterval: z.union([z.literal(0), z.literal(1), z.literal(5), z.literal(10), z.literal(15), z.literal(30), z.literal(60)]).default(60),
        /** Skip the final snapshot on deletion (dev only). */
        skipFinalSnapshot: z.boolean().default(false),
    })
    .strict();

const cacheSchema = z
    .object({
        enabled: z.boolean().default(true),
        engineVersion: z.string().regex(/^7\.\d+$/, "expected a Redis 7 version such as 7.1").default("7.1"),
        /** Seed 001 cost table: cache.r6g.large x 2 in prod. */
        nodeType: z.string().regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, "expected a node type such as cache.t4g.small").default("cache.r6g.large"),
        /** Primary plus replicas; >= 2 gives Multi-AZ with automatic failover. */
        nodes: z.number().int().min(1).max(6).default(2),
        /** Seed 001: 7 / 1 / 0 days. */
        snapshotRetentionDays: z.number().int().min(0).max(35).default(7),
        snapshotWindow: window.default("03:00-04:00"),
        maintenanceWindow: weeklyWindow.default("sun:05:00-sun:06:00"),
        maxmemoryPolicy: z.enum(["volatile-lru", "allkeys-lru", "volatile-lfu", "allkeys-lfu", "volatile-ttl", "noeviction"]).default("volatile-lru"),
        logRetentionDays: logRetentionDays.default(30),
    })
    .strict();

const backupSchema = z
    .object({
        /** AWS Backup plan over Aurora, DynamoDB and EFS. */
        enabled: z.boolean().default(true),
        dailyRetentionDays: z.number().int().min(1).default(35),
        weeklyRetentionDays: z.number().int().min(1).default(90),
        /** Copy recovery points to a vault in the DR region (seed 001: prod). */
        copyToDr: z.boolean().default(true),
        drRetentionDays: z.number().int().min(1).default(35),
    })
    .strict();

const efsSchema = z
    .object({
        enabled: z.boolean().default(false),
        /** Access points by name: a root directory owned by uid/gid. */
        accessPoints: z
            .record(identifier, z.object({ path: z.string().regex(/^\/[A-Za-z0-9_/-]*$/, "expected an absolute path such as /app"), uid: z.number().int().min(0), gid: z.number().int().min(0) }).strict())
            .default({ app: { path: "/app", uid: 1000, gid: 1000 } }),
    })
    .strict();

export const schema = z
    .object({
        database: databaseSchema.default(databaseSchema.parse({})),
        cache: cacheSchema.default(cacheSchema.parse({})),
        /** Defaults of every table (seed 000: prod provisioned with autoscaling, dev on-demand). */
        tableDefaults: z
            .object({
                billingMode: z.enum(["onDemand", "provisioned"]).default("provisioned"),
                read: capacity.default({ min: 5, max: 100 }),
                write: capacity.default({ min: 5, max: 100 }),
                /** Target utilisation (%) of the autoscaling target-tracking policies. */
                targetUtilization: z.number().min(20).max(90).default(70),
                pointInTimeRecovery: z.boolean().default(true),
            })
            .strict()
            .default({ billingMode: "provisioned", read: { min: 5, max: 100 }, write: { min: 5, max: 100 }, targetUtilization: 70, pointInTimeRecovery: true }),
        tables: z.record(identifier, tableEntry).default({}),
        buckets: z.record(identifier, bucketEntry).default({}),
        /** Cross-region replication of buckets to `drRegion` (seed 001: prod). */
        replication: z.object({ enabled: z.boolean().default(true) }).strict().default({ enabled: true }),
        secrets: z
            .object({
                /** Days a deleted secret can be restored (7-30). */
                recoveryWindowDays: z.number().int().min(7).max(30).default(30),
            })
            .strict()
            .default({ recoveryWindowDays: 30 }),
        backup: backupSchema.default(backupSchema.parse({})),
        efs: efsSchema.default(efsSchema.parse({})),
    })
    .strict()
    .transform((raw, ctx) => {
        const normalise = <T>(kind: "tables" | "buckets", entries: Record<string, unknown>, entrySchema: z.ZodType<T>): Record<string, T> => {
            const out: Record<string, T> = {};
            for (const [name, entry] of Object.entries(entries)) {
                const parsed = entrySchema.safeParse(entry);
                if (parsed.success) {
                    out[name] = parsed.data;
                } else {
                    for (const issue of parsed.error.issues) {
                        ctx.issues.push({ code: "custom", message: issue.message, path: [kind, name, ...issue.path], input: entry });
                    }
                }
            }
            return out;
        };
        return {
            ...raw,
            tables: normalise("tables", mergeEntries<object>(DEFAULT_TABLES, raw.tables as Record<string, object | null>), tableSchema) as Record<string, TableSpec>,
            buckets: normalise("buckets", mergeEntries<object>(DEFAULT_BUCKETS, raw.buckets as Record<string, object | null>), bucketSchema) as Record<string, BucketSpec>,
        };
    });

export type DataConfig = z.output<typeof schema>;

/** Built-in entries merged with the stack's entries: same key merges fields, null removes. */
export function mergeEntries<T extends object>(defaults: Readonly<Record<string, T>>, given: Readonly<Record<string, Partial<T> | null>>): Record<string, T> {
    const out: Record<string, T> = {};
    for (const [k, v] of Object.entries(defaults)) {
        if (given[k] !== null) {
            out[k] = { ...v, ...(given[k] ?? {}) } as T;
        }
    }
    for (const [k, v] of Object.entries(given)) {
        if (!(k in defaults) && v !== null) {
            out[k] = v as T;
        }
    }
    return out;
}

/** The data section as the other tiers' cross-checks read it (contract of TIERS.md). */
export function dataSection(cfg: StackConfig): DataConfig | undefined {
    return (cfg as unknown as { data?: DataConfig }).data;
}

export function crossCheck(cfg: StackConfig, report: Report): void {
    const data = dataSection(cfg);
    if (!data) {
        return;
    }
    const prod = cfg.environment === "prod";
    const db = data.database;
    if (db.enabled) {
        for (const p of checkAcuRange(db.minCapacity, db.maxCapacity)) {
            report("data.database.minCapacity", p);
        }
        if (db.minCapacity === 0 && !auroraScaleToZeroSupported(db.engineVersion)) {
            report("data.database.minCapacity", `minCapacity 0 (auto-pause) needs aurora-postgresql 16.3+, 15.7+, 14.12+ or 13.15+, got engineVersion ${db.engineVersion}`, `pulumi config set --path 'data.database.engineVersion' 16.6 --stack ${cfg.stack} (or set data.database.minCapacity to 0.5)`);
        }
        if (db.secondsUntilAutoPause !== undefined && db.minCapacity !== 0) {
            report("data.database.secondsUntilAutoPause", "only applies when minCapacity is 0 (auto-pause)", `pulumi config rm --path 'data.database.secondsUntilAutoPause' --stack ${cfg.stack}`);
        }
        if (prod) {
            if (db.instances < 2) {
                report("data.database.instances", `prod needs a writer and at least one reader in another AZ (Multi-AZ, seed 001 AC-REL-1), got ${db.instances}`, `pulumi config set --path 'data.database.instances' 2 --stack ${cfg.stack}`);
            }
            if (db.minCapacity === 0) {
                report("data.database.minCapacity", "prod must not pause the database (resume takes ~15 s); expected >= 0.5 ACU (seed 002)", `pulumi config set --path 'data.database.minCapacity' 0.5 --stack ${cfg.stack}`);
            }
            if (db.skipFinalSnapshot) {
                report("data.database.skipFinalSnapshot", "prod must take a final snapshot on deletion", `pulumi config set --path 'data.database.skipFinalSnapshot' false --stack ${cfg.stack}`);
            }
            if (db.backupRetentionDays < 7) {
                report("data.database.backupRetentionDays", `prod keeps automated backups at least 7 days (seed 001 AC-REL-5), got ${db.backupRetentionDays}`, `pulumi config set --path 'data.database.backupRetentionDays' 7 --stack ${cfg.stack}`);
            }
        }
    } else if (prod) {
        report("data.database.enabled", "prod runs the Aurora cluster of seed 002 §1.1", `pulumi config set --path 'data.database.enabled' true --stack ${cfg.stack}`);
    }
    const cache = data.cache;
    if (cache.enabled && prod && cache.nodes < 2) {
        report("data.cache.nodes", `prod needs Multi-AZ Redis with automatic failover (>= 2 nodes), got ${cache.nodes}`, `pulumi config set --path 'data.cache.nodes' 2 --stack ${cfg.stack}`);
    }
    const capacityCheck = (path: string, c: { min: number; max: number } | undefined) => {
        if (c && c.min > c.max) {
            report(path, `min (${c.min}) must not exceed max (${c.max})`);
        }
    };
    capacityCheck("data.tableDefaults.read", data.tableDefaults.read);
    capacityCheck("data.tableDefaults.write", data.tableDefaults.write);
    for (const [name, table] of Object.entries(data.tables)) {
        for (const p of checkTable(table)) {
            report(`data.tables.${name}${p.path}`, p.message);
        }
        capacityCheck(`data.tables.${name}.read`, table.read);
        capacityCheck(`data.tables.${name}.write`, table.write);
    }
    if (prod && !data.tableDefaults.pointInTimeRecovery) {
        report("data.tableDefaults.pointInTimeRecovery", "prod tables keep point-in-time recovery", `pulumi config set --path 'data.tableDefaults.pointInTimeRecovery' true --stack ${cfg.stack}`);
    }
    const logsBuckets = Object.entries(data.buckets).filter(([, b]) => b.kind === "logs");
    if (logsBuckets.length !== 1 || logsBuckets[0][0] !== "logs") {
        report("data.buckets", `expected exactly one bucket of kind logs, named logs (the access-log target of contracts.ts), got ${logsBuckets.map(([k]) => k).join(", ") || "none"}`);
    }
    for (const [name, bucket] of Object.entries(data.buckets)) {
        for (const p of checkBucket(name, bucket, cfg.project, cfg.stack)) {
            report(`data.buckets.${name}${p.path}`, p.message);
        }
    }
    if (prod && !data.replication.enabled) {
        report("data.replication.enabled", "prod replicates buckets to the DR region (seed 001)", `pulumi config set --path 'data.replication.enabled' true --stack ${cfg.stack}`);
    }
    if (prod && !data.backup.enabled) {
        report("data.backup.enabled", "prod keeps an AWS Backup plan with copies to the DR region (seed 001)", `pulumi config set --path 'data.backup.enabled' true --stack ${cfg.stack}`);
    }
}

export { ATTRIBUTE_TYPES };
