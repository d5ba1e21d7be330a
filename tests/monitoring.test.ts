/**
 * Monitoring tier: pure helpers (threshold table, alarm inventory, dashboards, policy builders).
 * Component and stack tests: monitoring-component.test.ts, monitoring-stacks.test.ts.
 */
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_THRESHOLDS, durationThresholdMs, estimatedMaxConnections, METRIC_IDS, resolveThresholds } from "../components/monitoring/thresholds";
import { alarmInventory, alarmMetricArgs, AlarmSpec, InventoryInputs, logMetricSpecs } from "../components/monitoring/inventory";
import { dashboardBodies } from "../components/monitoring/dashboards";
import {
    alarmTopicPolicy,
    anomalyMonitorSpecification,
    budgetCostFilters,
    budgetNotifications,
    chatbotReadOnlyPolicy,
    cloudTrailKeyStatements,
    cloudTrailLogsPolicy,
    costAllocationTagKeys,
    notifyingServicesKeyStatement,
    trailEventSelectors,
} from "../components/monitoring/policies";
import { emailKey } from "../components/monitoring/alarm-topic";
import { schema } from "../components/monitoring/schema";
import { awaitOutput } from "./harness";
import { fakeCompute, fakeData, fakeEdge, fakeFunction, fakeLogGroup, fakeService } from "./monitoring-fakes";

const o = <T>(v: T) => pulumi.output(v);
const GiB = 1024 ** 3;

function inputs(over: Partial<InventoryInputs> = {}): InventoryInputs {
    const data = over.data ?? fakeData();
    const compute = over.compute ?? fakeCompute();
    return {
        namePrefix: "test-dev",
        thresholds: DEFAULT_THRESHOLDS,
        data,
        compute,
        edge: fakeEdge(),
        logMetrics: logMetricSpecs("test-dev", [...(data.logGroups ?? []), ...(compute.logGroups ?? [])], '{ $.level = "ERROR" }'),
        ...over,
    };
}
const byId = (specs: AlarmSpec[]) => new Map(specs.map((s) => [s.id, s]));

// ---------------------------------------------------------------------------------------------
describe("monitoring thresholds: the seed 001 / 002 table", () => {
    // [metric id, statistic, comparison, period, evaluation periods, warning, critical, treatMissingData]
    const SEED: Array<[string, string, string, number, number, number | undefined, number | undefined, string]> = [
        ["alb.targetResponseTime", "Average", "GreaterThanThreshold", 300, 2, 1, 3, "notBreaching"],
        ["alb.target5xxCount", "Sum", "GreaterThanThreshold", 300, 1, undefined, 10, "notBreaching"],
        ["alb.healthyHostCount", "Minimum", "LessThanThreshold", 60, 1, undefined, 1, "breaching"],
        ["ecs.cpu", "Average", "GreaterThanThreshold", 300, 2, 70, 90, "missing"],
        ["ecs.memory", "Average", "GreaterThanThreshold", 300, 2, 70, 90, "missing"],
        ["ecs.runningTasks", "Minimum", "LessThanThreshold", 60, 1, undefined, 1, "breaching"],
        ["lambda.errors", "Sum", "GreaterThanThreshold", 300, 1, undefined, 10, "notBreaching"],
        ["lambda.throttles", "Sum", "GreaterThanThreshold", 300, 1, 5, undefined, "notBreaching"],
        ["lambda.duration", "Average", "GreaterThanThreshold", 300, 2, 25 / 30, 28 / 30, "notBreaching"],
        ["lambda.errorRate", "Sum", "GreaterThanThreshold", 300, 1, undefined, 5, "notBreaching"],
        ["rds.cpu", "Average", "GreaterThanThreshold", 300, 3, 70, 90, "missing"],
        ["rds.connections", "Maximum", "GreaterThanThreshold", 300, 2, 80, 95, "missing"],
        ["rds.freeLocalStorage", "Minimum", "LessThanThreshold", 300, 1, 10 * GiB, 5 * GiB, "missing"],
        ["rds.replicaLag", "Maximum", "GreaterThanThreshold", 300, 2, 1000, 5000, "notBreaching"],
        ["redis.cpu", "Average", "GreaterThanThreshold", 300, 2, 75, 90, "missing"],
        ["redis.memory", "Average", "GreaterThanThreshold", 300, 2, 80, 95, "missing"],
        ["redis.connections", "Maximum", "GreaterThanThreshold", 300, 2, 1000, 5000, "missing"],
        ["api.5xxRate", "Sum", "GreaterThanThreshold", 300, 1, undefined, 5, "notBreaching"],
        ["sfn.failureRate", "Sum", "GreaterThanThreshold", 300, 1, undefined, 10, "notBreaching"],
        ["sqs.dlqDepth", "Maximum", "GreaterThanThreshold", 60, 1, undefined, 0, "notBreaching"],
    ];
    for (const [id, stat, cmp, period, evals, warning, critical, missing] of SEED) {
        it(`${id}: ${stat} ${cmp} warning ${warning ?? "-"} critical ${critical ?? "-"}, ${evals} x ${period}s, missing data ${missing}`, () => {
            const row = DEFAULT_THRESHOLDS[id as keyof typeof DEFAULT_THRESHOLDS];
            assert.deepEqual(
                [row.statistic, row.comparison, row.period, row.evaluationPeriods, row.warning, row.critical, row.treatMissingData],
                [stat, cmp, period, evals, warning, critical, missing],
            );
        });
    }
    it("has a row for every metric id and a source for every row", () => {
        assert.deepEqual(Object.keys(DEFAULT_THRESHOLDS).sort(), [...METRIC_IDS].sort());
        for (const id of METRIC_IDS) {
            assert.ok(DEFAULT_THRESHOLDS[id].source.length > 10, id);
        }
    });
    it("merges a stack's overrides and removes a level with null", () => {
        const t = resolveThresholds({ "ecs.cpu": { warning: 60, period: 60 }, "redis.cpu": { warning: null }, "alb.healthyHostCount": { treatMissingData: "missing" } });
        assert.equal(t["ecs.cpu"].warning, 60);
        assert.equal(t["ecs.cpu"].critical, 90);
        assert.equal(t["ecs.cpu"].period, 60);
        assert.equal(t["redis.cpu"].warning, undefined);
        assert.equal(t["redis.cpu"].critical, 90);
        assert.equal(t["alb.healthyHostCount"].treatMissingData, "missing");
        assert.equal(DEFAULT_THRESHOLDS["ecs.cpu"].warning, 70, "the default table is not mutated");
    });
    // [timeout s, fraction, expected ms]
    const DURATIONS: Array<[number, number, number]> = [
        [30, 25 / 30, 25000],
        [30, 28 / 30, 28000],
        [900, 25 / 30, 750000],
        [900, 28 / 30, 840000],
        [10, 28 / 30, 9333],
        [3, 25 / 30, 2500],
    ];
    for (const [timeout, fraction, ms] of DURATIONS) {
        it(`Duration level for a ${timeout}s timeout at ${fraction.toFixed(3)} is ${ms} ms`, () => assert.equal(durationThresholdMs(fraction, timeout), ms));
    }
    // [max ACU, estimated max_connections]
    const CONNECTIONS: Array<[number, number]> = [
        [0.5, 112],
        [1, 225],
        [2, 450],
        [16, 3604],
        [64, 5000],
    ];
    for (const [acu, max] of CONNECTIONS) {
        it(`estimates max_connections ${max} at ${acu} ACU`, () => assert.equal(estimatedMaxConnections(acu), max));
    }
});

// ---------------------------------------------------------------------------------------------
describe("monitoring alarm inventory", () => {
    const specs = alarmInventory(inputs());
    const ids = byId(specs);

    // [alarm id, metric name, threshold, severity, region]
    const EXPECTED: Array<[string, string, number, string, string]> = [
        ["alb-response-time-warning", "TargetResponseTime", 1, "warning", "main"],
        ["alb-response-time-critical", "TargetResponseTime", 3, "critical", "main"],
        ["alb-target-5xx-critical", "HTTPCode_Target_5XX_Count", 10, "critical", "main"],
        ["svc-api-healthy-hosts-critical", "HealthyHostCount", 1, "critical", "main"],
        ["svc-api-cpu-warning", "CPUUtilization", 70, "warning", "main"],
        ["svc-api-memory-critical", "MemoryUtilization", 90, "critical", "main"],
        ["svc-api-running-tasks-critical", "RunningTaskCount", 1, "critical", "main"],
        ["svc-worker-cpu-critical", "CPUUtilization", 90, "critical", "main"],
        ["fn-query-duration-warning", "Duration", 25000, "warning", "main"],
        ["fn-query-duration-critical", "Duration", 28000, "critical", "main"],
        ["fn-ingest-duration-warning", "Duration", 750000, "warning", "main"],
        ["fn-ingest-duration-critical", "Duration", 840000, "critical", "main"],
        ["fn-ingest-errors-critical", "Errors", 10, "critical", "main"],
        ["fn-ingest-throttles-warning", "Throttles", 5, "warning", "main"],
        ["db-cpu-warning", "CPUUtilization", 70, "warning", "main"],
        ["db-connections-warning", "DatabaseConnections", 360, "warning", "main"],
        ["db-connections-critical", "DatabaseConnections", 427, "critical", "main"],
        ["db-acu-critical", "ACUUtilization", 90, "critical", "main"],
        ["db-replica-lag-critical", "AuroraReplicaLagMaximum", 5000, "critical", "main"],
        ["dlq-ingest-depth-critical", "ApproximateNumberOfMessagesVisible", 0, "critical", "main"],
        ["cdn-5xx-rate-warning", "5xxErrorRate", 1, "warning", "usEast1"],
        ["cdn-5xx-rate-critical", "5xxErrorRate", 5, "critical", "usEast1"],
        ["log-application-api-critical", "ErrorLines-application-api", 10, "critical", "main"],
        ["log-database-aurora-critical", "DatabaseFatal-database-aurora", 0, "critical", "main"],
    ];
    for (const [id, metricName, threshold, severity, region] of EXPECTED) {
        it(`${id}: ${metricName} ${threshold} (${severity}, ${region})`, () => {
            const s = ids.get(id);
            assert.ok(s, `missing ${id}; have ${[...ids.keys()].join(", ")}`);
            assert.equal(s.metric.kind, "single");
            assert.equal(s.metric.kind === "single" && s.metric.metric.metricName, metricName);
            assert.equal(s.threshold, threshold);
            assert.equal(s.severity, severity);
            assert.equal(s.region, region);
        });
    }

    // [alarm id, expression, numerator, denominator, threshold]
    const RATES: Array<[string, string, string, number]> = [
        ["api-5xx-rate-critical", "5XXError", "Count", 5],
        ["fn-query-error-rate-critical", "Errors", "Invocations", 5],
        ["sfn-pipeline-failure-rate-critical", "ExecutionsFailed", "ExecutionsStarted", 10],
    ];
    for (const [id, numerator, denominator, threshold] of RATES) {
        it(`${id}: metric math 100 * ${numerator} / ${denominator} > ${threshold}%`, () => {
            const s = ids.get(id)!;
            assert.ok(s, id);
            assert.equal(s.metric.kind, "math");
            if (s.metric.kind !== "math") return;
            assert.equal(s.metric.expression, "IF(m2 > 0, 100 * m1 / m2, 0)");
            assert.equal(s.metric.metrics.m1.metric.metricName, numerator);
            assert.equal(s.metric.metrics.m2.metric.metricName, denominator);
            assert.equal(s.threshold, threshold);
            const args = alarmMetricArgs(s);
            assert.equal(args.metricName, undefined, "metric math alarms set no top-level metric");
            const queries = args.metricQueries as any[];
            assert.deepEqual(queries.map((q) => [q.id, q.returnData]), [["m1", false], ["m2", false], ["e1", true]]);
        });
    }

    it("uses unique, stable ids and never alarms twice on the same thing", () => {
        assert.equal(new Set(specs.map((s) => s.id)).size, specs.length);
        assert.deepEqual(alarmInventory(inputs()).map((s) => s.id), specs.map((s) => s.id));
    });
    it("treats missing data per metric: HealthyHostCount / RunningTaskCount breaching, error counts not breaching", () => {
        assert.equal(ids.get("svc-api-healthy-hosts-critical")!.treatMissingData, "breaching");
        assert.equal(ids.get("svc-api-running-tasks-critical")!.treatMissingData, "breaching");
        assert.equal(ids.get("fn-ingest-errors-critical")!.treatMissingData, "notBreaching");
        assert.equal(ids.get("alb-target-5xx-critical")!.treatMissingData, "notBreaching");
    });
    it("uses Container Insights for RunningTaskCount and AWS/ECS for CPU", () => {
        const running = ids.get("svc-api-running-tasks-critical")!;
        const cpu = ids.get("svc-api-cpu-critical")!;
        assert.equal(running.metric.kind === "single" && running.metric.metric.namespace, "ECS/ContainerInsights");
        assert.equal(cpu.metric.kind === "single" && cpu.metric.metric.namespace, "AWS/ECS");
    });
    it("adds a service's alarms when a service is added to the compute config", () => {
        const before = alarmInventory(inputs());
        const compute = fakeCompute();
        const after = alarmInventory(inputs({ compute: { ...compute, services: { ...compute.services, search: fakeService("search") } } }));
        const added = after.filter((s) => !before.some((b) => b.id === s.id)).map((s) => s.id).sort();
        assert.deepEqual(added, [
            "svc-search-cpu-critical",
            "svc-search-cpu-warning",
            "svc-search-healthy-hosts-critical",
            "svc-search-memory-critical",
            "svc-search-memory-warning",
            "svc-search-running-tasks-critical",
        ]);
    });
    it("adds a function's alarms, with Duration levels from ITS timeout", () => {
        const compute = fakeCompute();
        const after = byId(alarmInventory(inputs({ compute: { ...compute, functions: { ...compute.functions, resize: fakeFunction("resize", 60) } } })));
        assert.equal(after.get("fn-resize-duration-warning")!.threshold, 50000);
        assert.equal(after.get("fn-resize-duration-critical")!.threshold, 56000);
        for (const k of ["errors-critical", "throttles-warning", "error-rate-critical"]) {
            assert.ok(after.has(`fn-resize-${k}`), k);
        }
    });
    it("skips RunningTaskCount for services that may scale to zero and everything for jobs", () => {
        const compute = fakeCompute({ services: { batch: fakeService("batch", { kind: "worker", minTasks: 0, targetGroupArnSuffix: undefined }), nightly: fakeService("nightly", { kind: "job" }) } });
        const s = alarmInventory(inputs({ compute })).map((x) => x.id);
        assert.ok(s.includes("svc-batch-cpu-critical"));
        assert.ok(!s.includes("svc-batch-running-tasks-critical"));
        assert.ok(!s.some((id) => id.startsWith("svc-nightly")));
    });
    it("has no replica-lag alarm for a single-instance cluster, and caps FreeLocalStorage by capacity", () => {
        const data = fakeData();
        const single = byId(alarmInventory(inputs({ data: { ...data, database: { ...data.database!, instanceIdentifiers: [o("db-1")] } } })));
        assert.ok(!single.has("db-replica-lag-critical"));
        assert.equal(single.get("db-free-local-storage-warning")!.threshold, Math.floor(4 * GiB * 0.25));
        assert.equal(single.get("db-free-local-storage-critical")!.threshold, Math.floor(4 * GiB * 0.1));
        const big = byId(alarmInventory(inputs({ data: { ...data, database: { ...data.database!, maxCapacity: 128 } } })));
        assert.equal(big.get("db-free-local-storage-warning")!.threshold, 10 * GiB, "the seed level once the instance is big enough");
    });
    it("watches Redis as the maximum over its member nodes", async () => {
        const s = ids.get("redis-engine-cpu-critical")!;
        assert.equal(s.metric.kind, "maxOver");
        const queries = (await awaitOutput(alarmMetricArgs(s).metricQueries as any)) as any[];
        assert.deepEqual(queries.map((q) => q.metric?.dimensions?.CacheClusterId ?? q.expression), ["redis-001", "redis-002", "MAX([m1, m2])"]);
        assert.deepEqual(queries.map((q) => q.returnData), [false, false, true]);
        const one = alarmInventory(inputs({ data: { ...fakeData(), cache: { ...fakeData().cache!, memberClusterIds: o(["redis-001"]) } } })).find((x) => x.id === "redis-memory-critical")!;
        const single = (await awaitOutput(alarmMetricArgs(one).metricQueries as any)) as any[];
        assert.deepEqual(single.map((q) => [q.id, q.returnData, q.expression]), [["m1", true, undefined]]);
    });
    it("with no upstream tier yet, has no alarm at all", () => {
        assert.deepEqual(alarmInventory({ namePrefix: "x", thresholds: DEFAULT_THRESHOLDS }), []);
    });
    it("follows the stack's threshold overrides", () => {
        const t = resolveThresholds({ "alb.targetResponseTime": { warning: 0.5, critical: null } });
        const s = byId(alarmInventory(inputs({ thresholds: t })));
        assert.equal(s.get("alb-response-time-warning")!.threshold, 0.5);
        assert.ok(!s.has("alb-response-time-critical"));
    });
});

describe("monitoring log metric filters", () => {
    it("counts ERROR lines of application logs and FATAL lines of database logs, nothing else", () => {
        const specs = logMetricSpecs("p-dev", [fakeLogGroup("api", "application"), fakeLogGroup("apiService", "application"), fakeLogGroup("api", "application"), fakeLogGroup("alb", "access"), fakeLogGroup("flow", "flow"), fakeLogGroup("aurora", "database")], '{ $.level = "ERROR" }');
        assert.deepEqual(
            specs.map((s) => [s.key, s.metricId, s.pattern, s.namespace, s.metricName]),
            [
                ["application-api", "logs.errorLines", '{ $.level = "ERROR" }', "p-dev/Logs", "ErrorLines-application-api"],
                ["application-api-service", "logs.errorLines", '{ $.level = "ERROR" }', "p-dev/Logs", "ErrorLines-application-api-service"],
                ["application-api-2", "logs.errorLines", '{ $.level = "ERROR" }', "p-dev/Logs", "ErrorLines-application-api-2"],
                ["database-aurora", "rds.connectionErrors", '"FATAL"', "p-dev/Logs", "DatabaseFatal-database-aurora"],
            ],
        );
    });
});

// ---------------------------------------------------------------------------------------------
describe("monitoring dashboards from the inventory", () => {
    const inv = inputs();
    const specs = alarmInventory(inv);
    const bodies = dashboardBodies(specs, inv, "ap-northeast-1", [o("arn:alarm:1")]);

    it("builds overview, ecs and rds dashboards", async () => {
        const resolved = (await awaitOutput(pulumi.jsonStringify(pulumi.output(bodies)))) as string;
        const parsed = JSON.parse(resolved);
        assert.deepEqual(Object.keys(parsed), ["overview", "ecs", "rds"]);
        const titles = (name: string) => parsed[name].widgets.map((w: any) => w.properties.title);
        const overview = titles("overview");
        for (const want of ["Critical alarms", "ALB requests (total)", "API latency (p95, avg)", "CloudFront requests", "Step Functions executions"]) {
            assert.ok(overview.includes(want), `overview lacks ${want}: ${overview.join(" | ")}`);
        }
        assert.ok(overview.some((t: string) => /Function query: Duration/.test(t)), "Lambda duration (seed 002 §3.1)");
        assert.ok(overview.some((t: string) => /DatabaseConnections/.test(t)), "DB connections (seed 002 §3.1)");
        assert.ok(overview.some((t: string) => /error rate/.test(t)), "error rate (seed 002 §3.1)");
        assert.ok(titles("ecs").some((t: string) => /network in\/out/.test(t)));
        assert.ok(titles("ecs").some((t: string) => /RunningTaskCount/.test(t)));
        assert.ok(titles("rds").some((t: string) => /read \/ write latency/.test(t)));
        assert.ok(titles("rds").some((t: string) => /Redis/.test(t)));
    });
    it("graphs CloudFront in us-east-1 and draws warning and critical lines", async () => {
        const parsed = JSON.parse((await awaitOutput(pulumi.jsonStringify(pulumi.output(bodies.overview)))) as string);
        const cdn = parsed.widgets.filter((w: any) => /CloudFront|5xxErrorRate/.test(w.properties.title ?? ""));
        assert.ok(cdn.length >= 2);
        assert.ok(cdn.every((w: any) => w.properties.region === "us-east-1"));
        const rt = parsed.widgets.find((w: any) => w.properties.title === "ALB TargetResponseTime");
        assert.ok(rt, "ALB response-time widget");
        assert.deepEqual(rt.properties.annotations.horizontal, [{ label: "warning", value: 1 }, { label: "critical", value: 3 }]);
        assert.deepEqual(rt.properties.metrics[0], ["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", "app/alb/123", { stat: "Average", label: "alb" }]);
    });
    it("adds a widget when a service is added", () => {
        const compute = fakeCompute();
        const more = inputs({ compute: { ...compute, services: { ...compute.services, search: fakeService("search") } } });
        const count = (b: ReturnType<typeof dashboardBodies>) => b.ecs.widgets.length;
        assert.ok(count(dashboardBodies(alarmInventory(more), more, "ap-northeast-1")) > count(bodies));
    });
    it("renders a placeholder instead of an empty dashboard", () => {
        const empty = dashboardBodies([], { namePrefix: "x", thresholds: DEFAULT_THRESHOLDS }, "ap-northeast-1");
        assert.equal(empty.ecs.widgets[0].type, "text");
        assert.equal(empty.overview.widgets[0].type, "text");
    });
});

// ---------------------------------------------------------------------------------------------
describe("monitoring policy builders", () => {
    const acct = { accountId: "123456789012", partition: "aws", region: "ap-northeast-1" };

    it("lets CloudWatch, Budgets and Cost Anomaly Detection use the topic key", () => {
        const s = notifyingServicesKeyStatement(["cloudwatch", "budgets", "costAnomaly"]);
        assert.deepEqual(s.Principal, { Service: ["cloudwatch.amazonaws.com", "budgets.amazonaws.com", "costalerts.amazonaws.com"] });
        assert.deepEqual(s.Action, ["kms:GenerateDataKey*", "kms:Decrypt"]);
    });
    // [service, principal, source ARN pattern]
    const TOPIC: Array<[string, string, string]> = [
        ["cloudwatch", "cloudwatch.amazonaws.com", "arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:*"],
        ["budgets", "budgets.amazonaws.com", "arn:aws:budgets::123456789012:*"],
        ["costAnomaly", "costalerts.amazonaws.com", "arn:aws:ce::123456789012:anomalysubscription/*"],
    ];
    const doc = alarmTopicPolicy("arn:aws:sns:ap-northeast-1:123456789012:t", acct, ["cloudwatch", "budgets", "costAnomaly"]);
    for (const [service, principal, source] of TOPIC) {
        it(`topic policy: ${service} may publish only for this account (${source})`, () => {
            const st = doc.Statement.find((x) => (x.Principal as any)?.Service === principal)!;
            assert.equal(st.Effect, "Allow");
            assert.equal(st.Action, "sns:Publish");
            assert.equal(st.Resource, "arn:aws:sns:ap-northeast-1:123456789012:t");
            assert.deepEqual(st.Condition, { StringEquals: { "aws:SourceAccount": "123456789012" }, ArnLike: { "aws:SourceArn": source } });
        });
    }
    it("topic policy denies publishing without TLS", () => {
        const deny = doc.Statement.find((x) => x.Effect === "Deny")!;
        assert.deepEqual(deny.Condition, { Bool: { "aws:SecureTransport": false } });
    });
    it("audit key: CloudTrail encrypts only for this trail, with a CloudTrail encryption context", () => {
        const [enc, describe_] = cloudTrailKeyStatements(acct, "p-prod-trail");
        assert.deepEqual(enc.Principal, { Service: "cloudtrail.amazonaws.com" });
        assert.equal(enc.Action, "kms:GenerateDataKey*");
        assert.deepEqual(enc.Condition, {
            StringEquals: { "aws:SourceArn": "arn:aws:cloudtrail:ap-northeast-1:123456789012:trail/p-prod-trail" },
            StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:123456789012:trail/*" },
        });
        assert.equal(describe_.Action, "kms:DescribeKey");
    });
    it("CloudTrail logs role writes only its log group's streams", () => {
        const p = cloudTrailLogsPolicy("arn:aws:logs:ap-northeast-1:123456789012:log-group:/aws/cloudtrail/x");
        assert.deepEqual(p.Statement, [{ Sid: "CloudTrailWritesItsLogGroup", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: "arn:aws:logs:ap-northeast-1:123456789012:log-group:/aws/cloudtrail/x:log-stream:*" }]);
    });
    it("Chatbot role reads only this stack's alarms, by ARN, in each region", () => {
        const p = chatbotReadOnlyPolicy(acct, "p-prod", ["ap-northeast-1", "us-east-1", "ap-northeast-1"]);
        assert.equal(p.Statement.length, 1);
        assert.deepEqual(p.Statement[0].Action, ["cloudwatch:DescribeAlarms", "cloudwatch:DescribeAlarmHistory"]);
        assert.deepEqual(p.Statement[0].Resource, ["arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:p-prod-*", "arn:aws:cloudwatch:us-east-1:123456789012:alarm:p-prod-*"]);
    });
    // [buckets, tables, dataEvents, selector names]
    const SELECTORS: Array<[string[], string[], boolean, string[]]> = [
        [["arn:aws:s3:::docs"], ["arn:t1"], true, ["Management events", "S3 data events of the data buckets", "DynamoDB data events of the tables"]],
        [["arn:aws:s3:::docs"], ["arn:t1"], false, ["Management events"]],
        [[], ["arn:t1"], true, ["Management events", "DynamoDB data events of the tables"]],
        [[], [], true, ["Management events"]],
    ];
    for (const [buckets, tables, dataEvents, names] of SELECTORS) {
        it(`trail selectors for ${buckets.length} bucket(s), ${tables.length} table(s), data events ${dataEvents}: ${names.length}`, () => {
            assert.deepEqual(trailEventSelectors(buckets, tables, dataEvents).map((s) => s.name), names);
        });
    }
    it("S3 data events select objects by bucket ARN prefix", () => {
        const s3 = trailEventSelectors(["arn:aws:s3:::docs", "arn:aws:s3:::tmp"], [], true)[1];
        assert.deepEqual(s3.fieldSelectors, [
            { field: "eventCategory", equals: ["Data"] },
            { field: "resources.type", equals: ["AWS::S3::Object"] },
            { field: "resources.ARN", startsWiths: ["arn:aws:s3:::docs/", "arn:aws:s3:::tmp/"] },
        ]);
    });
    it("budget notifications: actual at each level and a forecast, to the topic and the emails", () => {
        const n = budgetNotifications([100, 80, 80], 100, "arn:topic", ["a@example.com", "a@example.com"]);
        assert.deepEqual(n.map((x) => [x.notificationType, x.threshold]), [["ACTUAL", 80], ["ACTUAL", 100], ["FORECASTED", 100]]);
        assert.ok(n.every((x) => x.subscriberSnsTopicArns[0] === "arn:topic" && x.subscriberEmailAddresses?.length === 1 && x.thresholdType === "PERCENTAGE" && x.comparisonOperator === "GREATER_THAN"));
        assert.equal(budgetNotifications([80], 100, "arn:topic", [])[0].subscriberEmailAddresses, undefined);
    });
    it("budget filters on the user:Environment tag", () => assert.deepEqual(budgetCostFilters("prod"), [{ name: "TagKeyValue", values: ["user:Environment$prod"] }]));
    it("anomaly monitor watches the Environment tag", () => {
        assert.deepEqual(JSON.parse(anomalyMonitorSpecification("staging")).Tags, { Key: "Environment", MatchOptions: ["EQUALS"], Values: ["staging"] });
    });
    it("cost-allocation tags are the default tags that exist", () => {
        assert.deepEqual(costAllocationTagKeys({ Environment: "prod", Project: "p", Owner: "o", ManagedBy: "pulumi" }), ["Environment", "Project", "Owner"]);
        assert.deepEqual(costAllocationTagKeys({ Environment: "prod", Project: "p", Owner: "o", CostCenter: "c" }), ["Environment", "Project", "Owner", "CostCenter"]);
    });
    it("email keys are stable logical-name parts", () => assert.equal(emailKey("Ops.Team+alerts@Example.com"), "ops-team-alerts-example-com"));
});

describe("monitoring config schema", () => {
    it("defaults to the production values", () => {
        const c = schema.parse({});
        assert.equal(c.budget.monthlyUsd, 1500);
        assert.deepEqual(c.logRetentionDays, { application: 90, access: 90, audit: 90, flow: 30, database: 90, cache: 90, workflow: 90, waf: 90 });
        assert.deepEqual(c.audit, { enabled: true, dataEvents: true, cloudWatchLogs: true });
        assert.equal(c.notifications.warnings, true);
        assert.equal(c.costAllocationTags.enabled, false);
    });
    // [input, expected message fragment]
    const BAD: Array<[Record<string, unknown>, RegExp]> = [
        [{ thresholds: { "ecs.cpuu": { warning: 1 } } }, /ecs\.cpu/],
        [{ thresholds: { "ecs.cpu": { period: 45 } } }, /10, 30 or a multiple of 60/],
        [{ logRetentionDays: { application: 45 } }, /retention values/],
        [{ notifications: { emails: ["not-an-email"] } }, /email address/],
        [{ notifications: { slack: { workspaceId: "t1", channelId: "C07EZ1ABC23" } } }, /Slack workspace id/],
        [{ budget: { monthlyUsd: 0 } }, /too_small|>0|greater than 0/i],
    ];
    for (const [input, message] of BAD) {
        it(`rejects ${JSON.stringify(input)}`, () => {
            const r = schema.safeParse(input);
            assert.equal(r.success, false);
            assert.match(JSON.stringify(r.error!.issues), message);
        });
    }
});
