/**
 * Alarm thresholds as data: one row per metric, with the seed 001 warning / critical levels,
 * periods and evaluation counts, and the seed 002 rate alarms. A stack overrides any field of a
 * row through `platform:monitoring.thresholds.<metricId>` (see schema.ts); `resolveThresholds`
 * merges the overrides into this table. Nothing here knows about resources: the alarm inventory
 * (inventory.ts) applies a row to every resource of the matching kind.
 */

export const COMPARISONS = ["GreaterThanThreshold", "GreaterThanOrEqualToThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"] as const;
export type Comparison = (typeof COMPARISONS)[number];

export const TREAT_MISSING = ["breaching", "notBreaching", "ignore", "missing"] as const;
export type TreatMissing = (typeof TREAT_MISSING)[number];

export type Statistic = "Average" | "Sum" | "Minimum" | "Maximum";

/**
 * What the warning / critical numbers mean:
 * - `absolute`: compared as-is with the metric (seconds, percent, count, bytes, milliseconds);
 * - `fractionOfTimeout`: of the Lambda function's own timeout (Duration is in ms);
 * - `percentOfMaxConnections`: of the database's estimated max_connections (see inventory.ts).
 */
export type ThresholdScale = "absolute" | "fractionOfTimeout" | "percentOfMaxConnections";

export interface ThresholdRow {
    /** Human unit for descriptions and the README. */
    unit: string;
    statistic: Statistic;
    comparison: Comparison;
    /** Seconds per datapoint. */
    period: number;
    /** Consecutive datapoints that must breach ("N回連続"). */
    evaluationPeriods: number;
    /** Warning level; undefined = no warning alarm. */
    warning?: number;
    /** Critical level; undefined = no critical alarm. */
    critical?: number;
    scale: ThresholdScale;
    /** How the alarm treats a period without data (deliberate per metric). */
    treatMissingData: TreatMissing;
    /** Where the numbers come from. */
    source: string;
}

const GiB = 1024 ** 3;

export const METRIC_IDS = [
    "alb.targetResponseTime",
    "alb.target5xxCount",
    "alb.healthyHostCount",
    "ecs.cpu",
    "ecs.memory",
    "ecs.runningTasks",
    "lambda.errors",
    "lambda.throttles",
    "lambda.duration",
    "lambda.errorRate",
    "rds.cpu",
    "rds.connections",
    "rds.freeLocalStorage",
    "rds.acuUtilization",
    "rds.replicaLag",
    "rds.connectionErrors",
    "redis.cpu",
    "redis.memory",
    "redis.connections",
    "api.5xxRate",
    "cloudfront.5xxRate",
    "sfn.failureRate",
    "sqs.dlqDepth",
    "logs.errorLines",
] as const;
export type MetricId = (typeof METRIC_IDS)[number];

export type ThresholdTable = Readonly<Record<MetricId, Readonly<ThresholdRow>>>;

/** The default table. Every number is cited; change a stack's value in its stack file, not here. */
export const DEFAULT_THRESHOLDS: ThresholdTable = {
    // --- seed 001 "ALB監視" ---
    "alb.targetResponseTime": { unit: "seconds", statistic: "Average", comparison: "GreaterThanThreshold", period: 300, evaluationPeriods: 2, warning: 1, critical: 3, scale: "absolute", treatMissingData: "notBreaching", source: "seed 001 ALB TargetResponseTime: avg > 1s warning, > 3s critical, 5 min x 2" },
    "alb.target5xxCount": { unit: "count", statistic: "Sum", comparison: "GreaterThanThreshold", period: 300, evaluationPeriods: 1, critical: 10, scale: "absolute", treatMissingData: "notBreaching", source: "seed 001 ALB HTTPCode_Target_5XX_Count: sum > 10 critical, 5 min x 1" },
    "alb.healthyHostCount": { unit: "count", statistic: "Minimum", comparison: "LessThanThreshold", period: 60, evaluationPeriods: 1, critical: 1, scale: "absolute", treatMissingData: "breaching", source: "seed 001 ALB HealthyHostCount: min < 1 critical, 1 min x 1 (no data = no healthy host)" },
    // --- seed 001 "ECS Fargate監視" ---
    "ecs.cpu": { unit: "percent", statistic: "Average", comparison: "GreaterThanThreshold", period: 300, evaluationPeriods: 2, warning: 70, critical: 90, scale: "absolute", treatMissingData: "missing", source: "seed 001 ECS CPUUtilization: avg > 70% warning, > 90% critical, 5 min x 2" },
    "ecs.memory": { unit: "percent", statistic: "Average", comparison: "GreaterThanThreshold", period: 300, evaluationPeriods: 2, warning: 70, critical: 90, scale: "absolute", treatMissingData: "missing", source: "seed 001 ECS MemoryUtilization: avg > 70% warning, > 90% critical, 5 min x 2" },
    "ecs.runningTasks": { unit: "count", statistic: "Minimum", comparison: "LessThanThreshold", period: 60, evaluationPeriods: 1, critical: 1, scale: "absolute", treatMissingData: "breaching", source: "seed 001 ECS RunningTaskCount: min < 1 critical, 1 min x 1 (no data = no task)" },
    // --- seed 001 "Lambda監視" + seed 002 §3.2 ---
    "lambda.errors": { unit: "count", statistic: "Sum", comparison: "GreaterThanThreshold", period: 300, evaluationPeriods: 1, critical: 10, scale: "absolute", treatMissingData: "notBreaching", source: "seed 001 Lambda Errors: sum > 10 critical, 5 min x 1" },
    "lambda.throttles": { unit: "count", statistic: "Sum", comparison: "GreaterThanThreshold", period: 300, evaluationPeriods: 1, warning: 5, scale: "absolute", treatMissingData: "notBreaching", source: "seed 001 Lambda Throttles: sum > 5 warning, 5 min x 1" },
    "lambda.duration": { unit: "fraction of the function timeout", statistic: "Average", comparison: "GreaterThanThreshold", period: 300, evaluationPeriods: 2, warning: 25 / 30, critical: 28 / 30, scale: "fractionOfTimeout", treatMissingData: "notBreaching", source: "seed 001 Lambda Duration: avg > 25s warning, > 28s critical for the 30s API timeout (seed 002 §1.2), 5 min x 2" },
    "lambda.errorRate": { unit: "percent of invocations", statistic: "Sum", comparison: "GreaterThanThreshold", period: 300, evaluationPeriods: 1, critical: 5, scale: "absolute", treatMissingData: "notBreaching", source: "seed 002 §3.2: Lambda error rate > 5%" },
    // --- seed 001 "RDS Aurora監視" (Serverless v2 per seed 002 §1.1) ---
    "rds.cpu": { unit: "percent", statistic: "Average", comparison: "GreaterThanThreshold", period: 300, evaluationPeriods: 3, warning: 70, critical: 90, scale: "absolute", treatMissingData: "missing", source: "seed 001 RDS CPUUtilization: avg > 70% warning, > 90% critical, 5 min x 3" },
    "rds.connections": { unit: "percent of max_connections", statistic: "Maximum", comparison: "GreaterThanThreshold", period: 300, evaluationPeriods: 2, warning: 80, critical: 95, scale: "percentOfMaxConnections", treatMissingData: "missing", source: "seed 001 RDS DatabaseConnections: > 80% of max warning, > 95% critical, 5 min x 2 (Maximum, not Sum: a gauge)" },
    "rds.freeLocalStorage": { unit: "bytes", statistic: "Minimum", comparison: "LessThanThreshold", period: 300, evaluationPeriods: 1, warning: 10 * GiB, critical: 5 * GiB, scale: "absolute", treatMissingData: "missing", source: "seed 001 FreeStorageSpace: min < 10GB warning, < 5GB critical, 5 min x 1 (Aurora: FreeLocalStorage; capped by the ACU estimate)" },
    "rds.acuUtilization": { unit: "percent of max ACU", statistic: "Average", comparison: "GreaterThanThreshold", period: 300, evaluationPeriods: 3, warning: 70, critical: 90, scale: "absolute", treatMissingData: "missing", source: "Serverless v2 ACUUtilization, levels and periods of seed 001 RDS CPUUtilization" },
    "rds.replicaLag": { unit: "milliseconds", statistic: "Maximum", comparison: "GreaterThanThreshold", period: 300, evaluationPeriods: 2, warning: 1000, critical: 5000, scale: "absolute", treatMissingData: "notBreaching", source: "seed 001 ReplicaLag: max > 1000ms warning, > 5000ms critical, 5 min x 2" },
    "rds.connectionErrors": { unit: "FATAL log lines", statistic: "Sum", comparison: "GreaterThanThreshold", period: 300, evaluationPeriods: 1, critical: 0, scale: "absolute", treatMissingData: "notBreaching", source: "seed 002 §3.2: alert when database connection errors occur" },
    // --- seed 001 "ElastiCache Redis監視" ---
    "redis.cpu": { unit: "percent", statistic: "Average", comparison: "GreaterThanThreshold", period: 300, evaluationPeriods: 2, warning: 75, critical: 90, scale: "absolute", treatMissingData: "missing", source: "seed 001 Redis CPUUtilization: avg > 75% warning, > 90% critical, 5 min x 2 (EngineCPUUtilization: Redis is single-threaded)" },
    "redis.memory": { unit: "percent", statistic: "Average", comparison: "GreaterThanThreshold", period: 300, evaluationPeriods: 2, warning: 80, critical: 95, scale: "absolute", treatMissingData: "missing", source: "seed 001 Redis DatabaseMemoryUsagePercentage: avg > 80% warning, > 95% critical, 5 min x 2" },
    "redis.connections": { unit: "connections", statistic: "Maximum", comparison: "GreaterThanThreshold", period: 300, evaluationPeriods: 2, warning: 1000, critical: 5000, scale: "absolute", treatMissingData: "missing", source: "seed 001 Redis CurrConnections: max > 1000 warning, > 5000 critical, 5 min x 2" },
    // --- seed 002 §3.2 rate alarms ---
    "api.5xxRate": { unit: "percent of requests", statistic: "Sum", comparison: "GreaterThanThreshold", period: 300, evaluationPeriods: 1, critical: 5, scale: "absolute", treatMissingData: "notBreaching", source: "seed 002 §3.2: API error rate > 5%" },
    "cloudfront.5xxRate": { unit: "percent of requests", statistic: "Average", comparison: "GreaterThanThreshold", period: 300, evaluationPeriods: 1, warning: 1, critical: 5, scale: "absolute", treatMissingData: "notBreaching", source: "seed 002 §3.2: alert on CloudFront 5xx errors (5xxErrorRate, us-east-1)" },
    "sfn.failureRate": { unit: "percent of executions", statistic: "Sum", comparison: "GreaterThanThreshold", period: 300, evaluationPeriods: 1, critical: 10, scale: "absolute", treatMissingData: "notBreaching", source: "seed 002 §3.2: Step Functions failure rate > 10%" },
    "sqs.dlqDepth": { unit: "messages", statistic: "Maximum", comparison: "GreaterThanThreshold", period: 60, evaluationPeriods: 1, critical: 0, scale: "absolute", treatMissingData: "notBreaching", source: "a message in a dead-letter queue is a failed job (seed 004 outbox/workers)" },
    // --- seed 002 §3.4 "エラーログを自動抽出する" ---
    "logs.errorLines": { unit: "ERROR log lines", statistic: "Sum", comparison: "GreaterThanThreshold", period: 300, evaluationPeriods: 1, warning: 0, critical: 10, scale: "absolute", treatMissingData: "notBreaching", source: "seed 002 §3.4: extract error logs; critical level of seed 001 Lambda Errors (> 10 / 5 min)" },
};

/** One stack's override of a row (`platform:monitoring.thresholds.<metricId>`); `null` removes a level. */
export interface ThresholdOverride {
    warning?: number | null;
    critical?: number | null;
    period?: number;
    evaluationPeriods?: number;
    treatMissingData?: TreatMissing;
}

/** The table with a stack's overrides merged in (unknown metric ids are rejected by the schema). */
export function resolveThresholds(overrides: Readonly<Partial<Record<MetricId, Readonly<ThresholdOverride>>>> = {}, base: ThresholdTable = DEFAULT_THRESHOLDS): ThresholdTable {
    const out = {} as Record<MetricId, ThresholdRow>;
    for (const id of METRIC_IDS) {
        const row: ThresholdRow = { ...base[id] };
        const o = overrides[id];
        if (o) {
            if (o.warning !== undefined) row.warning = o.warning ?? undefined;
            if (o.critical !== undefined) row.critical = o.critical ?? undefined;
            if (o.period !== undefined) row.period = o.period;
            if (o.evaluationPeriods !== undefined) row.evaluationPeriods = o.evaluationPeriods;
            if (o.treatMissingData !== undefined) row.treatMissingData = o.treatMissingData;
            row.source = `${row.source} (overridden by stack config)`;
        }
        out[id] = row;
    }
    return out;
}

/** Lambda Duration level in milliseconds for a function timeout in seconds (25/30 -> 25000 ms at 30 s). */
export function durationThresholdMs(fraction: number, timeoutSeconds: number): number {
    return Math.round(fraction * timeoutSeconds * 1000);
}

/**
 * Estimated max_connections of an Aurora PostgreSQL Serverless v2 instance at its maximum capacity.
 * `DatabaseConnections` is a count, "% of max" is not a metric: we turn the seed's percentages into
 * a count. Aurora PostgreSQL's default is LEAST(DBInstanceClassMemory / 9531392, 5000) and one ACU
 * is ~2 GiB of memory, so ~225 connections per ACU (an estimate: the engine reserves some memory;
 * override `rds.connections` with absolute levels by setting the stack's thresholds if you pin
 * max_connections in a parameter group).
 */
export function estimatedMaxConnections(maxCapacityAcu: number): number {
    return Math.min(5000, Math.floor((maxCapacityAcu * 2 * GiB) / 9531392));
}

/**
 * Rough size of the local (temporary) storage of a Serverless v2 instance at max capacity, used
 * only to cap the FreeLocalStorage levels so that a small cluster does not alarm forever: the seed's
 * 10 GB / 5 GB were written for a provisioned db.r6g.large. Estimate: 2 GiB per ACU.
 */
export function estimatedLocalStorageBytes(maxCapacityAcu: number): number {
    return maxCapacityAcu * 2 * GiB;
}
