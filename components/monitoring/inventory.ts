/**
 * The alarm inventory: a pure function from the tiers' typed outputs and the threshold table to
 * the list of alarms the stack must have. The Monitoring component turns each spec into one
 * `aws.cloudwatch.MetricAlarm` and the dashboards graph the same specs, so adding a service,
 * function, queue or state machine to a tier's config adds its alarms and widgets here without
 * touching this tier.
 *
 * Only plain config values decide WHICH alarms exist (names, timeouts, capacities, array lengths);
 * Outputs only fill dimension values, so every alarm is visible at preview.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ComputeOutputs, DataOutputs, EdgeOutputs, LogGroupRef } from "../contracts";
import {
    Comparison,
    durationThresholdMs,
    estimatedLocalStorageBytes,
    estimatedMaxConnections,
    MetricId,
    Statistic,
    ThresholdRow,
    ThresholdTable,
    TreatMissing,
} from "./thresholds";

export type Severity = "warning" | "critical";
type Dimensions = Record<string, pulumi.Input<string>>;

/** One CloudWatch metric. */
export interface MetricRef {
    namespace: string;
    metricName: string;
    dimensions: Dimensions;
}

/** What an alarm evaluates. */
export type AlarmMetric =
    /** A single metric with a statistic. */
    | { kind: "single"; metric: MetricRef; statistic: Statistic }
    /** Metric math over a fixed set of metrics (ids m1..), e.g. `IF(m2 > 0, 100 * m1 / m2, 0)`. */
    | { kind: "math"; expression: string; label: string; metrics: Record<string, { metric: MetricRef; statistic: Statistic }> }
    /** The maximum of one metric over a set of dimension values only known after deployment (Redis nodes). */
    | { kind: "maxOver"; namespace: string; metricName: string; statistic: Statistic; dimensionName: string; values: pulumi.Input<string[]>; label: string };

export interface AlarmSpec {
    /** Stable key, part of the logical and physical alarm name: `<resource>-<metric>-<severity>`. */
    id: string;
    /** Threshold row that produced it. */
    metricId: MetricId;
    severity: Severity;
    /** The thing watched, e.g. `service:api`, `function:ingest`, `database`. */
    resource: string;
    /** Short human title (dashboards), e.g. `Function query: Duration vs its 30s timeout`. */
    title: string;
    description: string;
    metric: AlarmMetric;
    period: number;
    evaluationPeriods: number;
    comparison: Comparison;
    threshold: number;
    treatMissingData: TreatMissing;
    /** CloudFront metrics exist only in us-east-1: those alarms live there. */
    region: "main" | "usEast1";
}

/** A log metric filter the monitoring tier creates on a tier's log group. */
export interface LogMetricSpec {
    /** Stable key (`<kind>-<owner>[-n]`), part of the filter's logical name. */
    key: string;
    logGroup: LogGroupRef;
    pattern: string;
    namespace: string;
    metricName: string;
    metricId: "logs.errorLines" | "rds.connectionErrors";
}

export interface InventoryInputs {
    /** `<project>-<stack>`: namespace of the log metrics. */
    namePrefix: string;
    thresholds: ThresholdTable;
    data?: Partial<DataOutputs>;
    compute?: Partial<ComputeOutputs>;
    edge?: Partial<EdgeOutputs>;
    /** The log metric filters (see logMetricSpecs). */
    logMetrics?: readonly LogMetricSpec[];
}

/** Pattern of the database error filter: PostgreSQL logs a failed connection or authentication as FATAL. */
export const DATABASE_ERROR_PATTERN = '"FATAL"';

/** Log groups that get metric filters: application logs count ERROR lines, database logs count FATAL lines. */
export function logMetricSpecs(namePrefix: string, groups: readonly LogGroupRef[], errorPattern: string): LogMetricSpec[] {
    const seen = new Map<string, number>();
    const out: LogMetricSpec[] = [];
    for (const g of groups) {
        const metricId = g.kind === "application" ? "logs.errorLines" : g.kind === "database" ? "rds.connectionErrors" : undefined;
        if (!metricId) {
            continue;
        }
        const base = `${g.kind}-${slug(g.owner)}`;
        const n = (seen.get(base) ?? 0) + 1;
        seen.set(base, n);
        const key = n === 1 ? base : `${base}-${n}`;
        out.push({
            key,
            logGroup: g,
            pattern: metricId === "logs.errorLines" ? errorPattern : DATABASE_ERROR_PATTERN,
            namespace: `${namePrefix}/Logs`,
            metricName: metricId === "logs.errorLines" ? `ErrorLines-${key}` : `DatabaseFatal-${key}`,
            metricId,
        });
    }
    return out;
}

function slug(text: string): string {
    return text
        .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, "-")
        .replace(/^-+|-+$/g, "");
}

const SEVERITIES: readonly Severity[] = ["warning", "critical"];

/**
 * Every alarm of the stack, in a stable order. Pure: the same inputs give the same list.
 */
export function alarmInventory(inputs: InventoryInputs): AlarmSpec[] {
    const t = inputs.thresholds;
    const out: AlarmSpec[] = [];

    /** Adds the warning and/or critical alarm of a row for one resource. */
    const add = (metricId: MetricId, resource: string, idBase: string, what: string, metric: AlarmMetric, level: (row: ThresholdRow, value: number, severity: Severity) => number = (_r, v) => v, region: "main" | "usEast1" = "main") => {
        const row = t[metricId];
        for (const severity of SEVERITIES) {
            const raw = row[severity];
            if (raw === undefined) {
                continue;
            }
            const threshold = level(row, raw, severity);
            out.push({
                id: `${idBase}-${severity}`,
                metricId,
                severity,
                resource,
                title: what,
                description: `[${severity.toUpperCase()}] ${what}: ${row.statistic} ${comparisonText(row.comparison)} ${threshold} (${row.unit}${row.scale === "absolute" ? "" : `, from ${raw}`}) over ${row.evaluationPeriods} x ${row.period}s. Source: ${row.source}. Runbook: components/monitoring/README.md#alarms`,
                metric,
                period: row.period,
                evaluationPeriods: row.evaluationPeriods,
                comparison: row.comparison,
                threshold,
                treatMissingData: row.treatMissingData,
                region,
            });
        }
    };
    const single = (namespace: string, metricName: string, dimensions: Dimensions, metricId: MetricId): AlarmMetric => ({ kind: "single", metric: { namespace, metricName, dimensions }, statistic: t[metricId].statistic });
    const rate = (label: string, numerator: MetricRef, denominator: MetricRef): AlarmMetric => ({
        kind: "math",
        expression: "IF(m2 > 0, 100 * m1 / m2, 0)",
        label,
        metrics: { m1: { metric: numerator, statistic: "Sum" }, m2: { metric: denominator, statistic: "Sum" } },
    });

    // --- ALB (compute) ---
    const compute = inputs.compute;
    const alb = compute?.alb;
    if (alb) {
        const lb = { LoadBalancer: alb.arnSuffix };
        add("alb.targetResponseTime", "alb", "alb-response-time", "ALB TargetResponseTime", single("AWS/ApplicationELB", "TargetResponseTime", lb, "alb.targetResponseTime"));
        add("alb.target5xxCount", "alb", "alb-target-5xx", "ALB HTTPCode_Target_5XX_Count", single("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", lb, "alb.target5xxCount"));
    }
    // --- ECS services ---
    for (const [key, svc] of sortedEntries(compute?.services)) {
        if (!compute?.cluster || svc.kind === "job") {
            continue;
        }
        const dims = { ClusterName: compute.cluster.name, ServiceName: svc.serviceName };
        const r = `service:${key}`;
        if (svc.targetGroupArnSuffix && alb) {
            add("alb.healthyHostCount", r, `svc-${slug(key)}-healthy-hosts`, `Service ${key}: ALB HealthyHostCount`, single("AWS/ApplicationELB", "HealthyHostCount", { TargetGroup: svc.targetGroupArnSuffix, LoadBalancer: alb.arnSuffix }, "alb.healthyHostCount"));
        }
        add("ecs.cpu", r, `svc-${slug(key)}-cpu`, `Service ${key}: ECS CPUUtilization`, single("AWS/ECS", "CPUUtilization", dims, "ecs.cpu"));
        add("ecs.memory", r, `svc-${slug(key)}-memory`, `Service ${key}: ECS MemoryUtilization`, single("AWS/ECS", "MemoryUtilization", dims, "ecs.memory"));
        if (svc.minTasks > 0) {
            // Container Insights must be enabled on the cluster (compute tier) for this metric.
            add("ecs.runningTasks", r, `svc-${slug(key)}-running-tasks`, `Service ${key}: RunningTaskCount (Container Insights)`, single("ECS/ContainerInsights", "RunningTaskCount", dims, "ecs.runningTasks"));
        }
    }
    // --- Lambda functions ---
    for (const [key, fn] of sortedEntries(compute?.functions)) {
        const dims = { FunctionName: fn.functionName };
        const r = `function:${key}`;
        const b = `fn-${slug(key)}`;
        add("lambda.errors", r, `${b}-errors`, `Function ${key}: Errors`, single("AWS/Lambda", "Errors", dims, "lambda.errors"));
        add("lambda.throttles", r, `${b}-throttles`, `Function ${key}: Throttles`, single("AWS/Lambda", "Throttles", dims, "lambda.throttles"));
        add("lambda.duration", r, `${b}-duration`, `Function ${key}: Duration vs its ${fn.timeoutSeconds}s timeout`, single("AWS/Lambda", "Duration", dims, "lambda.duration"), (row, v) => (row.scale === "fractionOfTimeout" ? durationThresholdMs(v, fn.timeoutSeconds) : v));
        add("lambda.errorRate", r, `${b}-error-rate`, `Function ${key}: error rate (Errors / Invocations, %)`, rate(`${key} error rate %`, { namespace: "AWS/Lambda", metricName: "Errors", dimensions: dims }, { namespace: "AWS/Lambda", metricName: "Invocations", dimensions: dims }));
    }
    // --- Step Functions ---
    for (const [key, sm] of sortedEntries(compute?.stateMachines)) {
        const dims = { StateMachineArn: sm.arn };
        add("sfn.failureRate", `stateMachine:${key}`, `sfn-${slug(key)}-failure-rate`, `State machine ${key}: failure rate (ExecutionsFailed / ExecutionsStarted, %)`, rate(`${key} failure rate %`, { namespace: "AWS/States", metricName: "ExecutionsFailed", dimensions: dims }, { namespace: "AWS/States", metricName: "ExecutionsStarted", dimensions: dims }));
    }
    // --- Dead-letter queues ---
    for (const [key, q] of sortedEntries(compute?.queues)) {
        add("sqs.dlqDepth", `queue:${key}`, `dlq-${slug(key)}-depth`, `Queue ${key}: messages in its dead-letter queue`, single("AWS/SQS", "ApproximateNumberOfMessagesVisible", { QueueName: q.dlqName }, "sqs.dlqDepth"));
    }

    // --- Aurora (data) ---
    const db = inputs.data?.database;
    if (db) {
        const dims = { DBClusterIdentifier: db.clusterIdentifier };
        add("rds.cpu", "database", "db-cpu", "Aurora CPUUtilization", single("AWS/RDS", "CPUUtilization", dims, "rds.cpu"));
        const maxConnections = estimatedMaxConnections(db.maxCapacity);
        add("rds.connections", "database", "db-connections", `Aurora DatabaseConnections (of ~${maxConnections} max_connections at ${db.maxCapacity} ACU)`, single("AWS/RDS", "DatabaseConnections", dims, "rds.connections"), (row, v) => (row.scale === "percentOfMaxConnections" ? Math.floor((v / 100) * maxConnections) : v));
        const localCap = estimatedLocalStorageBytes(db.maxCapacity);
        add("rds.freeLocalStorage", "database", "db-free-local-storage", "Aurora FreeLocalStorage", single("AWS/RDS", "FreeLocalStorage", dims, "rds.freeLocalStorage"), (_row, v, severity) => Math.min(v, Math.floor(localCap * (severity === "warning" ? 0.25 : 0.1))));
        add("rds.acuUtilization", "database", "db-acu", "Aurora Serverless v2 ACUUtilization", single("AWS/RDS", "ACUUtilization", dims, "rds.acuUtilization"));
        if (db.instanceIdentifiers.length > 1) {
            add("rds.replicaLag", "database", "db-replica-lag", "Aurora AuroraReplicaLagMaximum", single("AWS/RDS", "AuroraReplicaLagMaximum", dims, "rds.replicaLag"));
        }
    }
    // --- Redis (data): the maximum over the member nodes ---
    const cache = inputs.data?.cache;
    if (cache) {
        const over = (metricName: string, metricId: MetricId): AlarmMetric => ({ kind: "maxOver", namespace: "AWS/ElastiCache", metricName, statistic: t[metricId].statistic, dimensionName: "CacheClusterId", values: cache.memberClusterIds, label: `max ${metricName} over nodes` });
        add("redis.cpu", "cache", "redis-engine-cpu", "Redis EngineCPUUtilization (max over nodes)", over("EngineCPUUtilization", "redis.cpu"));
        add("redis.memory", "cache", "redis-memory", "Redis DatabaseMemoryUsagePercentage (max over nodes)", over("DatabaseMemoryUsagePercentage", "redis.memory"));
        add("redis.connections", "cache", "redis-connections", "Redis CurrConnections (max over nodes)", over("CurrConnections", "redis.connections"));
    }

    // --- API Gateway (edge) ---
    const api = inputs.edge?.api;
    if (api) {
        const dims = { ApiName: api.name, Stage: api.stageName };
        add("api.5xxRate", "api", "api-5xx-rate", "API Gateway 5XXError rate (5XXError / Count, %)", rate("API 5xx rate %", { namespace: "AWS/ApiGateway", metricName: "5XXError", dimensions: dims }, { namespace: "AWS/ApiGateway", metricName: "Count", dimensions: dims }));
    }
    // --- CloudFront (edge): metrics only in us-east-1 ---
    const dist = inputs.edge?.distribution;
    if (dist) {
        add("cloudfront.5xxRate", "distribution", "cdn-5xx-rate", "CloudFront 5xxErrorRate", single("AWS/CloudFront", "5xxErrorRate", { DistributionId: dist.id, Region: "Global" }, "cloudfront.5xxRate"), undefined, "usEast1");
    }

    // --- Log metric filters ---
    for (const lm of inputs.logMetrics ?? []) {
        const what = lm.metricId === "logs.errorLines" ? `ERROR lines in the ${lm.logGroup.owner} logs` : `FATAL (connection/authentication) lines in the ${lm.logGroup.owner} database logs`;
        add(lm.metricId, `logs:${lm.key}`, `log-${lm.key}`, what, single(lm.namespace, lm.metricName, {}, lm.metricId));
    }
    return out;
}

function sortedEntries<T>(record: Readonly<Record<string, T>> | undefined): [string, T][] {
    return Object.entries(record ?? {}).sort(([a], [b]) => a.localeCompare(b));
}

function comparisonText(c: Comparison): string {
    return { GreaterThanThreshold: ">", GreaterThanOrEqualToThreshold: ">=", LessThanThreshold: "<", LessThanOrEqualToThreshold: "<=" }[c];
}

/** MetricAlarm arguments for the metric part of a spec (single metric or metricQueries). */
export function alarmMetricArgs(spec: AlarmSpec): {
    namespace?: string;
    metricName?: string;
    statistic?: string;
    period?: number;
    dimensions?: Dimensions;
    metricQueries?: pulumi.Input<pulumi.Input<import("@pulumi/aws").types.input.cloudwatch.MetricAlarmMetricQuery>[]>;
} {
    const m = spec.metric;
    switch (m.kind) {
        case "single":
            return { namespace: m.metric.namespace, metricName: m.metric.metricName, statistic: m.statistic, period: spec.period, dimensions: Object.keys(m.metric.dimensions).length > 0 ? m.metric.dimensions : undefined };
        case "math":
            return {
                metricQueries: [
                    ...Object.entries(m.metrics).map(([id, q]) => ({
                        id,
                        returnData: false,
                        metric: { namespace: q.metric.namespace, metricName: q.metric.metricName, dimensions: q.metric.dimensions, period: spec.period, stat: q.statistic },
                    })),
                    { id: "e1", expression: m.expression, label: m.label, returnData: true },
                ],
            };
        case "maxOver":
            return {
                metricQueries: pulumi.output(m.values).apply((values) => {
                    const metrics = values.map((v, i) => ({
                        id: `m${i + 1}`,
                        returnData: values.length === 1,
                        metric: { namespace: m.namespace, metricName: m.metricName, dimensions: { [m.dimensionName]: v }, period: spec.period, stat: m.statistic },
                    }));
                    // MAX([m1, m2, ...]) is the per-timestamp maximum; one node needs no expression.
                    return values.length <= 1 ? metrics : [...metrics, { id: "e1", expression: `MAX([${metrics.map((x) => x.id).join(", ")}])`, label: m.label, returnData: true }];
                }),
            };
    }
}
