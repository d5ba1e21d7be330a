/**
 * CloudWatch dashboard bodies generated from the alarm inventory (every alarmed metric is graphed
 * with its warning / critical lines) plus the context metrics of seed 001 / seed 002 §3.1 that
 * have no alarm (request counts, network, latencies, executions). Pure: the result is a plain
 * object whose leaves may be Outputs; the component serialises it with pulumi.jsonStringify.
 *
 * Dashboards (seed 001 "CloudWatch Dashboard"): overview, ecs, rds (+ Redis).
 */
import * as pulumi from "@pulumi/pulumi";
import type { AlarmSpec, InventoryInputs, MetricRef } from "./inventory";
import type { MetricId } from "./thresholds";

type MetricRow = pulumi.Input<unknown>[];
export interface Widget {
    type: "metric" | "alarm" | "text";
    x: number;
    y: number;
    width: number;
    height: number;
    properties: Record<string, unknown>;
}
export interface DashboardBody {
    widgets: Widget[];
}
export const DASHBOARD_NAMES = ["overview", "ecs", "rds"] as const;
export type DashboardName = (typeof DASHBOARD_NAMES)[number];

interface GraphOptions {
    view?: "timeSeries" | "bar" | "singleValue";
    region?: string;
    stat?: string;
    thresholds?: { label: string; value: number }[];
}
interface PendingWidget {
    title: string;
    metrics: pulumi.Input<MetricRow[]>;
    options: GraphOptions;
}

function row(m: MetricRef, extra: Record<string, unknown>): MetricRow {
    const dims = Object.entries(m.dimensions).flatMap(([k, v]) => [k, v]);
    return [m.namespace, m.metricName, ...dims, extra];
}

/** Graph rows for an alarm's metric (math: the expression visible, its inputs hidden). */
export function rowsOf(spec: AlarmSpec, label: string): pulumi.Input<MetricRow[]> {
    const m = spec.metric;
    switch (m.kind) {
        case "single":
            return [row(m.metric, { stat: m.statistic, label })];
        case "math":
            return [[{ expression: m.expression, label, id: "e1" }], ...Object.entries(m.metrics).map(([id, q]) => row(q.metric, { stat: q.statistic, id, visible: false }))];
        case "maxOver":
            return pulumi.output(m.values).apply((values) => values.map((v) => [m.namespace, m.metricName, m.dimensionName, v, { stat: m.statistic, label: `${label} ${v}` }] as MetricRow));
    }
}

/** One widget per (metric, resource) of the inventory, with both severity levels as lines. */
function alarmGraphs(specs: readonly AlarmSpec[], metricIds: readonly MetricId[], mainRegion: string): PendingWidget[] {
    const groups = new Map<string, AlarmSpec[]>();
    for (const s of specs) {
        if (!metricIds.includes(s.metricId)) {
            continue;
        }
        const key = `${s.metricId}|${s.resource}`;
        groups.set(key, [...(groups.get(key) ?? []), s]);
    }
    return [...groups.values()].map((group) => {
        const first = group[0];
        const label = first.resource;
        return {
            title: first.title,
            metrics: rowsOf(first, label),
            options: { region: first.region === "usEast1" ? "us-east-1" : mainRegion, thresholds: group.map((s) => ({ label: s.severity, value: s.threshold })) },
        };
    });
}

function layout(pending: PendingWidget[], startY: number, period = 300): Widget[] {
    return pending.map((p, i) => ({
        type: "metric",
        x: (i % 2) * 12,
        y: startY + Math.floor(i / 2) * 6,
        width: 12,
        height: 6,
        properties: {
            title: p.title,
            region: p.options.region,
            view: p.options.view ?? "timeSeries",
            stacked: false,
            period,
            ...(p.options.stat ? { stat: p.options.stat } : {}),
            metrics: p.metrics,
            ...(p.options.thresholds && p.options.thresholds.length > 0 ? { annotations: { horizontal: p.options.thresholds } } : {}),
        },
    }));
}

/**
 * The three dashboards. `criticalAlarmArns` feed the alarm-status widget of the overview.
 */
export function dashboardBodies(specs: readonly AlarmSpec[], inputs: InventoryInputs, mainRegion: string, criticalAlarmArns: pulumi.Input<string>[] = []): Record<DashboardName, DashboardBody> {
    const compute = inputs.compute;
    const edge = inputs.edge;
    const db = inputs.data?.database;
    const context: PendingWidget[] = [];
    const main = { region: mainRegion };

    // seed 001 Overview: total requests; seed 002 §3.1: API latency, CloudFront requests, Step Functions executions.
    if (compute?.alb) {
        context.push({ title: "ALB requests (total)", metrics: [["AWS/ApplicationELB", "RequestCount", "LoadBalancer", compute.alb.arnSuffix, { stat: "Sum" }]], options: { ...main, view: "singleValue" } });
    }
    if (edge?.api) {
        const d = ["ApiName", edge.api.name, "Stage", edge.api.stageName];
        context.push({ title: "API latency (p95, avg)", metrics: [["AWS/ApiGateway", "Latency", ...d, { stat: "p95" }], ["AWS/ApiGateway", "Latency", ...d, { stat: "Average" }]], options: main });
    }
    if (edge?.distribution) {
        context.push({ title: "CloudFront requests", metrics: [["AWS/CloudFront", "Requests", "DistributionId", edge.distribution.id, "Region", "Global", { stat: "Sum" }]], options: { region: "us-east-1" } });
    }
    const machines = Object.entries(compute?.stateMachines ?? {}).sort(([a], [b]) => a.localeCompare(b));
    if (machines.length > 0) {
        context.push({
            title: "Step Functions executions",
            metrics: machines.flatMap(([key, sm]) => ["ExecutionsStarted", "ExecutionsSucceeded", "ExecutionsFailed"].map((name) => ["AWS/States", name, "StateMachineArn", sm.arn, { stat: "Sum", label: `${key} ${name}` }] as MetricRow)),
            options: main,
        });
    }

    const overviewAlarms: MetricId[] = ["alb.targetResponseTime", "ecs.cpu", "rds.cpu", "lambda.errors", "lambda.duration", "rds.connections", "api.5xxRate", "lambda.errorRate", "cloudfront.5xxRate", "sfn.failureRate", "sqs.dlqDepth", "logs.errorLines"];
    const overviewGraphs = alarmGraphs(specs, overviewAlarms, mainRegion).map((w) => (w.title.includes(": Errors") ? { ...w, options: { ...w.options, view: "bar" as const } } : w));
    const status: Widget[] =
        criticalAlarmArns.length > 0
            ? [{ type: "alarm", x: 0, y: 0, width: 24, height: 4, properties: { title: "Critical alarms", alarms: criticalAlarmArns.slice(0, 100) } }]
            : [{ type: "text", x: 0, y: 0, width: 24, height: 2, properties: { markdown: `# ${inputs.namePrefix}\nNo critical alarm yet: the tiers expose no monitored resource.` } }];
    const overview = [...status, ...layout([...context, ...overviewGraphs], 4)];

    // seed 001 ECS dashboard: RunningTaskCount, CPU, Memory, NetworkIn/Out per service.
    const ecsContext: PendingWidget[] = [];
    for (const [key, svc] of Object.entries(compute?.services ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
        if (!compute?.cluster || svc.kind === "job") {
            continue;
        }
        const d = ["ClusterName", compute.cluster.name, "ServiceName", svc.serviceName];
        ecsContext.push({ title: `Service ${key}: network in/out`, metrics: [["ECS/ContainerInsights", "NetworkRxBytes", ...d, { stat: "Sum" }], ["ECS/ContainerInsights", "NetworkTxBytes", ...d, { stat: "Sum" }]], options: main });
    }
    const ecs = layout([...alarmGraphs(specs, ["ecs.runningTasks", "ecs.cpu", "ecs.memory", "alb.healthyHostCount"], mainRegion), ...ecsContext], 0);

    // seed 001 RDS dashboard: CPU, connections, read/write latency, storage; Redis below.
    const rdsContext: PendingWidget[] = [];
    if (db) {
        const d = ["DBClusterIdentifier", db.clusterIdentifier];
        rdsContext.push({ title: "Aurora read / write latency", metrics: [["AWS/RDS", "ReadLatency", ...d, { stat: "Average" }], ["AWS/RDS", "WriteLatency", ...d, { stat: "Average" }]], options: main });
        rdsContext.push({ title: "Aurora capacity (ACU)", metrics: [["AWS/RDS", "ServerlessDatabaseCapacity", ...d, { stat: "Average" }]], options: main });
    }
    const rds = layout([...alarmGraphs(specs, ["rds.cpu", "rds.connections", "rds.freeLocalStorage", "rds.acuUtilization", "rds.replicaLag", "rds.connectionErrors", "redis.cpu", "redis.memory", "redis.connections"], mainRegion), ...rdsContext], 0);

    const orEmpty = (widgets: Widget[], what: string): Widget[] =>
        widgets.length > 0 ? widgets : [{ type: "text", x: 0, y: 0, width: 24, height: 2, properties: { markdown: `No ${what} in this stack yet.` } }];
    return { overview: { widgets: overview }, ecs: { widgets: orEmpty(ecs, "ECS service") }, rds: { widgets: orEmpty(rds, "database or cache") } };
}
