/**
 * Usage assumptions of the offline cost model: what the resource graph cannot know (traffic,
 * stored bytes, API calls). Every field has a default taken from seed 001 §コスト見積もり
 * (prod, 100 req/s) where the seed gives one; the others are marked "not in seed".
 *
 * Stack configuration: the key `platform:cost` (an object; every field optional), for example
 *
 * ```yaml
 * config:
 *   platform:cost:
 *     aurora: { expectedAcu: 0.5 }
 *     nat: { processedGb: 50 }
 *     lambda: { perFunction: { ingest: { requestsPerMonth: 5000000 } } }
 * ```
 *
 * Volumes are either per resource ("per function", "per queue") or per stack, split evenly over
 * the resources of that type ("total, split over ..."); each field's description says which.
 */
import { z } from "zod";

const count = (def: number, description: string) => z.number().min(0).default(def).describe(description);
const share = (def: number, description: string) => z.number().min(0).max(1).default(def).describe(description);

const lambdaUsage = z.strictObject({
    requestsPerMonth: z.number().min(0).optional(),
    avgDurationMs: z.number().min(0).optional(),
});

const s3BucketUsage = z.strictObject({
    storageGb: z.number().min(0).optional(),
    standardShare: z.number().min(0).max(1).optional(),
});

const dynamoTableUsage = z.strictObject({
    readRequestsPerMonth: z.number().min(0).optional(),
    writeRequestsPerMonth: z.number().min(0).optional(),
    storageGb: z.number().min(0).optional(),
});

export const costAssumptionsSchema = z
    .strictObject({
        hoursPerMonth: count(730, "Hours in a billing month (AWS uses 730). Seed 001."),
        fargate: z
            .strictObject({
                defaultDesiredCount: count(
                    0,
                    "Tasks assumed for an ECS service without desiredCount or autoscaling target (AWS's own default is 0).",
                ),
                scheduledTaskMinutes: count(
                    10,
                    "Minutes one run of a scheduled ECS task (EventBridge Scheduler / rule target) lasts. Not in seed.",
                ),
            })
            .prefault({}),
        lambda: z
            .strictObject({
                requestsPerMonth: count(1_000_000, "Invocations per function per month. Seed 001: 1M."),
                avgDurationMs: count(200, "Average billed duration per invocation, ms. Seed 001: 200 ms."),
                perFunction: z
                    .record(z.string(), lambdaUsage)
                    .default({})
                    .describe("Overrides by the function's logical name (or its `name` input)."),
            })
            .prefault({}),
        alb: z
            .strictObject({
                lcuPerLoadBalancer: count(10, "Average LCUs per application load balancer. Seed 001: 10."),
                nlcuPerLoadBalancer: count(1, "Average NLCUs per network load balancer. Not in seed."),
            })
            .prefault({}),
        nat: z
            .strictObject({
                processedGb: count(500, "GB processed by NAT gateways per month, total, split over the NAT gateways. Seed 001: 500 GB."),
            })
            .prefault({}),
        vpcEndpoints: z
            .strictObject({
                gbPerInterfaceEndpoint: count(10, "GB processed per interface endpoint per month. Not in seed."),
            })
            .prefault({}),
        cloudfront: z
            .strictObject({
                transferOutGb: count(500, "GB out to the internet per month, total, split over distributions. Seed 001: 500 GB."),
                requestsPerMonth: count(
                    10_000_000,
                    "HTTPS requests per month, total, split over distributions. Not in seed (seed's S3 GET volume reused).",
                ),
                edge: z.enum(["japan", "us-europe"]).default("japan").describe("Where most viewers are (price of the edge locations)."),
            })
            .prefault({}),
        s3: z
            .strictObject({
                totalStorageGb: count(100, "GB stored, total, split over buckets unless perBucket says otherwise. Seed 001: 100 GB."),
                standardShare: share(1, "Share of stored bytes in S3 Standard; the rest is in coldStorageClass. Seed 001 prices all as Standard."),
                coldStorageClass: z
                    .enum(["STANDARD_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"])
                    .default("GLACIER")
                    .describe("Storage class of the non-Standard share (AC-COST-3 moves objects to Glacier after 90 days)."),
                putRequestsPerMonth: count(1_000_000, "PUT/POST/LIST requests per month, total, split over buckets. Seed 001: 1M."),
                getRequestsPerMonth: count(10_000_000, "GET requests per month, total, split over buckets. Seed 001: 10M."),
                perBucket: z.record(z.string(), s3BucketUsage).default({}).describe("Overrides by the bucket's logical name."),
            })
            .prefault({}),
        logs: z
            .strictObject({
                ingestedGb: count(10, "CloudWatch Logs GB ingested per month, total, split over log groups. Seed 001: 10 GB."),
                neverExpireMonths: count(
                    12,
                    "Months of accumulated logs assumed for log groups without retention (never expire).",
                ),
            })
            .prefault({}),
        metrics: z
            .strictObject({
                customMetrics: count(100, "Custom CloudWatch metrics the workloads publish (priced when the stack runs compute). Seed 001: 100."),
            })
            .prefault({}),
        aurora: z
            .strictObject({
                expectedAcu: count(
                    1,
                    "Expected average ACUs per Serverless v2 instance (clamped to the cluster's min/max). Seed 002: min 0.5, max 2.",
                ),
                storageGb: count(100, "Aurora cluster volume GB per cluster. Seed 001: 100 GB."),
                backupStorageGb: count(
                    100,
                    "Backup storage GB per cluster; only the part above 100% of the cluster volume is billed. Seed 001: 100 GB.",
                ),
                ioRequestsPerMonth: count(1_000_000, "I/O requests per cluster per month (Aurora Standard only). Seed 001: 1M."),
            })
            .prefault({}),
        dynamodb: z
            .strictObject({
                readRequestsPerMonth: count(10_000_000, "On-demand read request units per table per month. Not in seed."),
                writeRequestsPerMonth: count(1_000_000, "On-demand write request units per table per month. Not in seed."),
                storageGbPerTable: count(1, "GB stored per table. Not in seed."),
                perTable: z.record(z.string(), dynamoTableUsage).default({}).describe("Overrides by the table's logical name."),
            })
            .prefault({}),
        xray: z
            .strictObject({
                tracesPerMonth: count(1_000_000, "Traces recorded per month (priced when something in the stack traces). Seed 001: 1M."),
            })
            .prefault({}),
        cloudtrail: z
            .strictObject({
                dataEventsPerMonth: count(1_000_000, "Data events per month per trail that logs data events. Seed 001: 1M."),
                managementEventsPerMonth: count(
                    1_000_000,
                    "Management events per month (billed on trails after the first, and for Insights). Not in seed.",
                ),
                firstManagementTrailFree: z
                    .boolean()
                    .default(true)
                    .describe("The stack's first management-event trail is the account's free copy (false when an organization trail already is)."),
            })
            .prefault({}),
        secretsManager: z
            .strictObject({
                apiCallsPerMonth: count(1_000_000, "API calls per month, total, split over secrets. Seed 001: 1M."),
            })
            .prefault({}),
        kms: z
            .strictObject({
                apiCallsPerMonth: count(1_000_000, "API requests per month, total, split over customer managed keys. Seed 001: 1M."),
            })
            .prefault({}),
        waf: z
            .strictObject({
                requestsPerMonth: count(
                    10_000_000,
                    "Requests inspected per month, total, split over web ACLs. Not in seed (100 req/s sustained would be 262.8M).",
                ),
            })
            .prefault({}),
        route53: z
            .strictObject({
                queriesPerMonth: count(1_000_000, "Standard queries per hosted zone per month (alias queries to AWS resources are free). Not in seed."),
            })
            .prefault({}),
        backup: z
            .strictObject({
                warmStorageGb: count(100, "AWS Backup warm storage GB, total, split over backup plans. Seed 001: 100 GB."),
            })
            .prefault({}),
        sqs: z.strictObject({ requestsPerQueue: count(1_000_000, "Requests per queue per month. Not in seed.") }).prefault({}),
        sns: z.strictObject({ publishesPerTopic: count(100_000, "Publishes per topic per month. Not in seed.") }).prefault({}),
        eventBridge: z
            .strictObject({ eventsPerCustomBus: count(1_000_000, "Custom events per custom event bus per month. Not in seed.") })
            .prefault({}),
        efs: z.strictObject({ storageGbPerFileSystem: count(10, "GB stored per EFS file system (Standard). Not in seed.") }).prefault({}),
        ecr: z.strictObject({ storageGbPerRepository: count(5, "GB of images per ECR repository. Not in seed.") }).prefault({}),
        stepFunctions: z
            .strictObject({
                transitionsPerStateMachine: count(100_000, "State transitions per Standard state machine per month. Not in seed."),
                requestsPerExpressStateMachine: count(1_000_000, "Executions per Express state machine per month. Not in seed."),
            })
            .prefault({}),
        apiGateway: z.strictObject({ requestsPerApi: count(1_000_000, "Requests per API per month. Not in seed.") }).prefault({}),
        cognito: z.strictObject({ monthlyActiveUsers: count(1_000, "Monthly active users per user pool. Not in seed.") }).prefault({}),
        freeTier: z
            .strictObject({
                dashboards: count(3, "CloudWatch dashboards free per account (the first 3)."),
            })
            .prefault({}),
    })
    .strict();

/** Assumptions after defaults are applied. */
export type CostAssumptions = z.output<typeof costAssumptionsSchema>;
/** What a user writes in `platform:cost` (every field optional). */
export type CostAssumptionsInput = z.input<typeof costAssumptionsSchema>;

/** Deeply optional override accepted by `estimateCost`. */
export type DeepPartial<T> = T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** The config key the assumptions live under. */
export const COST_CONFIG_KEY = "platform:cost";

function isPlainObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Deep merge of plain objects; `override` wins, arrays and scalars are replaced. */
export function deepMerge(base: unknown, override: unknown): unknown {
    if (!isPlainObject(base) || !isPlainObject(override)) {
        return override === undefined ? base : override;
    }
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(override)) {
        out[k] = deepMerge(base[k], v);
    }
    return out;
}

/**
 * Parses assumptions (already-parsed JSON of `platform:cost`, merged with an optional override),
 * applying the defaults. Throws one error listing every problem with its key path.
 */
export function parseCostAssumptions(raw: unknown, override?: unknown): CostAssumptions {
    const merged = deepMerge(raw ?? {}, override ?? {});
    const result = costAssumptionsSchema.safeParse(merged);
    if (!result.success) {
        const problems = result.error.issues.map((issue) => {
            const path = [COST_CONFIG_KEY, ...issue.path.map(String)].join(".");
            return `${path}: ${issue.message}`;
        });
        throw new Error(
            `Invalid cost assumptions (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  - ${problems.join("\n  - ")}\n` +
                `Fix them in Pulumi.<stack>.yaml under \`${COST_CONFIG_KEY}\` (every field is optional; see cost/assumptions.ts for the defaults).`,
        );
    }
    return result.data;
}

/** Reads `platform:cost` from a flat config map (JSON text, as in StackRun.config). */
export function assumptionsFromConfig(config: Record<string, string>, override?: unknown): CostAssumptions {
    const text = config[COST_CONFIG_KEY];
    let raw: unknown = {};
    if (text !== undefined && text !== "") {
        try {
            raw = JSON.parse(text);
        } catch (e) {
            throw new Error(`${COST_CONFIG_KEY}: expected a JSON object, got unparsable text (${(e as Error).message}). Fix: set it as a YAML object in Pulumi.<stack>.yaml.`);
        }
    }
    return parseCostAssumptions(raw, override);
}
