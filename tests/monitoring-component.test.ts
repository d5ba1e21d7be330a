/**
 * The Monitoring component run under the recording mocks with fake upstream outputs (the data,
 * compute and edge tiers are built in parallel): what it creates from what the tiers expose.
 */
import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Monitoring } from "../components/monitoring/monitoring";
import { schema } from "../components/monitoring/schema";
import type { ComputeOutputs, DataOutputs, EdgeOutputs, NetworkOutputs } from "../components/contracts";
import { fakeContext, ofType, one, policyDoc, runProgram, RecordedResource, StackRun } from "./harness";
import { fakeCompute, fakeData, fakeEdge, fakeService } from "./monitoring-fakes";
import { analyze } from "../policypack/offline/analyze";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC = "aws:sns/topic:Topic";
const KEY = "aws:kms/key:Key";
const o = <T>(v: T) => pulumi.output(v);
const TAGS = { Environment: "dev", Project: "test", Owner: "team", ManagedBy: "pulumi" };

function fakeNetwork(): NetworkOutputs {
    return {
        vpcId: o("vpc-1"),
        vpcCidr: "10.0.0.0/16",
        azs: ["ap-northeast-1a", "ap-northeast-1c"],
        publicSubnetIds: [o("s1")],
        privateSubnetIds: [o("s2")],
        dataSubnetIds: [o("s3")],
        securityGroupIds: { alb: o("sg-a"), ecs: o("sg-e"), lambda: o("sg-l"), rds: o("sg-r"), cache: o("sg-c"), endpoints: o("sg-x") },
    };
}

function dataWithBuckets(): Partial<DataOutputs> {
    const bucket = (n: string) => ({ name: o(`test-dev-${n}`), arn: o(`arn:aws:s3:::test-dev-${n}`), regionalDomainName: o(`${n}.s3`) });
    return {
        ...fakeData(),
        buckets: { documents: bucket("documents"), logs: bucket("logs"), temporary: bucket("temporary") },
        tables: { documents: { name: o("documents"), arn: o("arn:aws:dynamodb:ap-northeast-1:123456789012:table/documents"), indexNames: [] } },
        keys: {},
        secrets: {},
    };
}

const PROD_LIKE = {
    notifications: { emails: ["ops@example.com", "oncall@example.com"], slack: { workspaceId: "T07EA123LEP", channelId: "C07EZ1ABC23" } },
    costAllocationTags: { enabled: true },
};
const DEV_LIKE = {
    notifications: { warnings: false },
    logRetentionDays: { audit: 7 },
    audit: { dataEvents: false, cloudWatchLogs: false },
    budget: { monthlyUsd: 100 },
};

interface Fakes {
    data?: Partial<DataOutputs>;
    compute?: Partial<ComputeOutputs>;
    edge?: Partial<EdgeOutputs>;
}

async function runMonitoring(config: Record<string, unknown>, fakes: Fakes, holder: { m?: Monitoring } = {}): Promise<StackRun> {
    return runProgram({
        stack: "dev",
        config: { "aws:region": "ap-northeast-1" },
        program: () => {
            const main = new aws.Provider("aws-main", { region: "ap-northeast-1", defaultTags: { tags: TAGS } });
            const usEast1 = new aws.Provider("aws-us-east-1", { region: "us-east-1", defaultTags: { tags: TAGS } });
            holder.m = new Monitoring(
                "monitoring",
                {
                    config: schema.parse(config),
                    ctx: fakeContext(),
                    environment: "dev",
                    tags: TAGS,
                    protect: false,
                    usEast1,
                    network: fakeNetwork(),
                    ...fakes,
                },
                { providers: [main] },
            );
            return {};
        },
    });
}

const byName = (run: StackRun, type: string) => new Map(ofType(run, type).map((r) => [r.name, r]));

describe("monitoring component with fake tiers (production-like config)", () => {
    let run: StackRun;
    let m: Monitoring;
    before(async () => {
        const holder: { m?: Monitoring } = {};
        run = await runMonitoring(PROD_LIKE, { data: dataWithBuckets(), compute: fakeCompute(), edge: fakeEdge() }, holder);
        m = holder.m!;
    });

    it("creates one MetricAlarm per inventory entry, named after it", () => {
        const alarms = ofType(run, ALARM);
        assert.equal(alarms.length, m.inventory.length);
        assert.ok(alarms.length > 40, `expected the full inventory, got ${alarms.length}`);
        assert.deepEqual(alarms.map((a) => a.inputs.name).sort(), m.inventory.map((s) => `test-dev-${s.id}`).sort());
    });

    it("sets threshold, periods, statistic and missing-data policy from the spec", () => {
        const a = byName(run, ALARM).get("monitoring-alarm-fn-query-duration-critical")!;
        assert.equal(a.inputs.threshold, 28000);
        assert.equal(a.inputs.evaluationPeriods, 2);
        assert.equal(a.inputs.period, 300);
        assert.equal(a.inputs.statistic, "Average");
        assert.equal(a.inputs.namespace, "AWS/Lambda");
        assert.deepEqual(a.inputs.dimensions, { FunctionName: "fn-query" });
        assert.equal(a.inputs.comparisonOperator, "GreaterThanThreshold");
        assert.equal(a.inputs.treatMissingData, "notBreaching");
        const h = byName(run, ALARM).get("monitoring-alarm-svc-api-healthy-hosts-critical")!;
        assert.deepEqual([h.inputs.period, h.inputs.statistic, h.inputs.comparisonOperator, h.inputs.threshold, h.inputs.treatMissingData], [60, "Minimum", "LessThanThreshold", 1, "breaching"]);
        assert.deepEqual(h.inputs.dimensions, { TargetGroup: "targetgroup/api/abc", LoadBalancer: "app/alb/123" });
    });

    it("builds the rate alarms with metric math and no top-level metric", () => {
        const a = byName(run, ALARM).get("monitoring-alarm-api-5xx-rate-critical")!;
        assert.equal(a.inputs.metricName, undefined);
        assert.deepEqual(
            a.inputs.metricQueries.map((q: any) => q.expression ?? `${q.metric.namespace}/${q.metric.metricName}/${q.metric.stat}/${q.metric.period}`),
            ["AWS/ApiGateway/5XXError/Sum/300", "AWS/ApiGateway/Count/Sum/300", "IF(m2 > 0, 100 * m1 / m2, 0)"],
        );
        assert.deepEqual(a.inputs.metricQueries[0].metric.dimensions, { ApiName: "test-api", Stage: "v1" });
        const redis = byName(run, ALARM).get("monitoring-alarm-redis-memory-critical")!;
        assert.equal(redis.inputs.metricQueries.at(-1).expression, "MAX([m1, m2])");
    });

    it("critical alarms notify on ALARM and OK; warnings on ALARM only", () => {
        const topicArn = one(run, TOPIC, "monitoring-alarms-topic").state.arn;
        for (const a of ofType(run, ALARM).filter((x) => x.region === "ap-northeast-1")) {
            const critical = a.inputs.tags.Severity === "critical";
            assert.deepEqual(a.inputs.alarmActions, [topicArn], a.name);
            assert.deepEqual(a.inputs.okActions ?? [], critical ? [topicArn] : [], a.name);
        }
    });

    it("puts the CloudFront alarms in us-east-1, notifying a us-east-1 topic", () => {
        const cdn = ofType(run, ALARM).filter((a) => a.inputs.namespace === "AWS/CloudFront");
        assert.equal(cdn.length, 2);
        const topic = one(run, TOPIC, "monitoring-alarms-us-east-1-topic");
        assert.equal(topic.region, "us-east-1");
        for (const a of cdn) {
            assert.equal(a.region, "us-east-1", a.name);
            assert.deepEqual(a.inputs.alarmActions, [topic.state.arn]);
            assert.deepEqual(a.inputs.dimensions, { DistributionId: "E123", Region: "Global" });
        }
        assert.ok(ofType(run, ALARM).filter((a) => a.inputs.namespace !== "AWS/CloudFront").every((a) => a.region === "ap-northeast-1"));
    });

    it("encrypts each topic with a key of its own region whose policy lets the publishing services in", () => {
        for (const [topicName, region, services] of [
            ["monitoring-alarms-topic", "ap-northeast-1", ["cloudwatch.amazonaws.com", "budgets.amazonaws.com", "costalerts.amazonaws.com"]],
            ["monitoring-alarms-us-east-1-topic", "us-east-1", ["cloudwatch.amazonaws.com"]],
        ] as const) {
            const topic = one(run, TOPIC, topicName);
            const key = ofType(run, KEY).find((k) => k.state.arn === topic.inputs.kmsMasterKeyId);
            assert.ok(key, `${topicName} is encrypted with a customer-managed key of the stack`);
            assert.equal(key.region, region);
            assert.equal(key.inputs.enableKeyRotation, true);
            const st = policyDoc(key.inputs.policy).Statement.find((s: any) => s.Sid === "NotifyingServicesUseKey");
            assert.deepEqual(st.Principal.Service, services);
        }
    });

    it("allows the services to publish with aws:SourceAccount / aws:SourceArn conditions", () => {
        const p = policyDoc(one(run, "aws:sns/topicPolicy:TopicPolicy", "monitoring-alarms-policy").inputs.policy);
        const allow = p.Statement.filter((s: any) => s.Effect === "Allow");
        assert.deepEqual(allow.map((s: any) => s.Principal.Service), ["cloudwatch.amazonaws.com", "budgets.amazonaws.com", "costalerts.amazonaws.com"]);
        assert.ok(allow.every((s: any) => s.Condition.StringEquals["aws:SourceAccount"] === "123456789012" && s.Condition.ArnLike["aws:SourceArn"]));
    });

    it("subscribes every email to both topics", () => {
        const subs = ofType(run, "aws:sns/topicSubscription:TopicSubscription");
        assert.deepEqual(subs.map((s) => [s.region, s.inputs.protocol, s.inputs.endpoint]).sort(), [
            ["ap-northeast-1", "email", "oncall@example.com"],
            ["ap-northeast-1", "email", "ops@example.com"],
            ["us-east-1", "email", "oncall@example.com"],
            ["us-east-1", "email", "ops@example.com"],
        ]);
    });

    it("sends both topics to Slack through AWS Chatbot with a read-only role and guardrail", () => {
        const slack = one(run, "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration", "monitoring-slack");
        assert.equal(slack.inputs.slackTeamId, "T07EA123LEP");
        assert.equal(slack.inputs.slackChannelId, "C07EZ1ABC23");
        assert.equal(slack.inputs.region, "us-west-2");
        assert.equal(slack.inputs.snsTopicArns.length, 2);
        const guardrail = one(run, "aws:iam/policy:Policy", "monitoring-chatbot-guardrail");
        assert.deepEqual(slack.inputs.guardrailPolicyArns, [guardrail.state.arn]);
        const role = one(run, "aws:iam/role:Role", "monitoring-chatbot-role");
        assert.equal(slack.inputs.iamRoleArn, role.state.arn);
        assert.deepEqual(policyDoc(role.inputs.assumeRolePolicy).Statement[0].Principal, { Service: "chatbot.amazonaws.com" });
        const actions = policyDoc(one(run, "aws:iam/rolePolicy:RolePolicy", "monitoring-chatbot-policy").inputs.policy).Statement.flatMap((s: any) => s.Action);
        assert.ok(actions.every((a: string) => /^cloudwatch:Describe/.test(a)), actions.join(", "));
    });

    it("counts ERROR lines of the application log groups with metric filters", () => {
        const filters = ofType(run, "aws:cloudwatch/logMetricFilter:LogMetricFilter");
        const app = filters.filter((f) => f.inputs.pattern === '{ $.level = "ERROR" }');
        assert.deepEqual(app.map((f) => f.inputs.logGroupName).sort(), ["/platform/application/api", "/platform/application/query"]);
        assert.ok(filters.some((f) => f.inputs.logGroupName === "/platform/database/aurora" && f.inputs.pattern === '"FATAL"'));
        assert.ok(!filters.some((f) => f.inputs.logGroupName === "/platform/access/alb"));
        for (const f of app) {
            const alarm = ofType(run, ALARM).find((a) => a.inputs.metricName === f.inputs.metricTransformation.name && a.inputs.tags.Severity === "critical");
            assert.ok(alarm, `an alarm on ${f.inputs.metricTransformation.name}`);
            assert.equal(alarm.inputs.namespace, f.inputs.metricTransformation.namespace);
        }
    });

    it("creates the overview, ecs and rds dashboards from the inventory", () => {
        const dashboards = ofType(run, "aws:cloudwatch/dashboard:Dashboard");
        assert.deepEqual(dashboards.map((d) => d.inputs.dashboardName).sort(), ["test-dev-ecs", "test-dev-overview", "test-dev-rds"]);
        const overview = JSON.parse(one(run, "aws:cloudwatch/dashboard:Dashboard", "monitoring-dashboard-overview").inputs.dashboardBody);
        const status = overview.widgets.find((w: any) => w.type === "alarm");
        const criticalMain = ofType(run, ALARM).filter((a) => a.inputs.tags.Severity === "critical" && a.region === "ap-northeast-1");
        assert.deepEqual([...status.properties.alarms].sort(), criticalMain.map((a) => a.state.arn).sort());
        assert.ok(overview.widgets.some((w: any) => w.properties.region === "us-east-1"));
    });

    it("adds an X-Ray sampling rule and a group for the stack's services", () => {
        const rule = one(run, "aws:xray/samplingRule:SamplingRule", "monitoring-sampling");
        assert.deepEqual([rule.inputs.ruleName, rule.inputs.fixedRate, rule.inputs.reservoirSize, rule.inputs.serviceName], ["test-dev", 0.05, 1, "test-dev*"]);
        const group = one(run, "aws:xray/group:Group", "monitoring-xray-group");
        assert.equal(group.inputs.filterExpression, 'service("fn-ingest") OR service("fn-query") OR service("pipeline") OR service("test-api/v1")');
    });

    it("records the trail as seed 002 §4.2 asks, into the logs bucket under cloudtrail/", () => {
        const trail = one(run, "aws:cloudtrail/trail:Trail", "monitoring-audit-trail");
        const i = trail.inputs;
        assert.deepEqual(
            [i.name, i.s3BucketName, i.s3KeyPrefix, i.isMultiRegionTrail, i.includeGlobalServiceEvents, i.enableLogFileValidation, i.enableLogging],
            ["test-dev-trail", "test-dev-logs", "cloudtrail", true, true, true, true],
        );
        const key = ofType(run, KEY).find((k) => k.state.arn === i.kmsKeyId)!;
        assert.ok(key, "the trail is encrypted with the audit key");
        const st = policyDoc(key.inputs.policy).Statement.find((s: any) => s.Sid === "CloudTrailEncryptLogs");
        assert.equal(st.Condition.StringEquals["aws:SourceArn"], "arn:aws:cloudtrail:ap-northeast-1:123456789012:trail/test-dev-trail");
        const sel = i.advancedEventSelectors as any[];
        assert.deepEqual(sel.map((s) => s.name), ["Management events", "S3 data events of the data buckets", "DynamoDB data events of the tables"]);
        assert.deepEqual(sel[1].fieldSelectors[2].startsWiths, ["arn:aws:s3:::test-dev-documents/", "arn:aws:s3:::test-dev-temporary/"], "data buckets, not the logs bucket");
        assert.deepEqual(sel[2].fieldSelectors[2].startsWiths, ["arn:aws:dynamodb:ap-northeast-1:123456789012:table/documents"]);
    });

    it("delivers the trail to a KMS-encrypted log group through a role limited to it", () => {
        const trail = one(run, "aws:cloudtrail/trail:Trail", "monitoring-audit-trail");
        const group = one(run, "aws:cloudwatch/logGroup:LogGroup", "monitoring-audit-log-group");
        assert.equal(trail.inputs.cloudWatchLogsGroupArn, `${group.state.arn}:*`);
        assert.equal(group.inputs.retentionInDays, 90);
        assert.match(group.inputs.kmsKeyId, /^arn:aws:kms:ap-northeast-1:/);
        const role = one(run, "aws:iam/role:Role", "monitoring-audit-logs-role");
        assert.equal(trail.inputs.cloudWatchLogsRoleArn, role.state.arn);
        const trust = policyDoc(role.inputs.assumeRolePolicy).Statement[0];
        assert.deepEqual(trust.Principal, { Service: "cloudtrail.amazonaws.com" });
        const p = policyDoc(one(run, "aws:iam/rolePolicy:RolePolicy", "monitoring-audit-logs-policy").inputs.policy).Statement[0];
        assert.deepEqual(p.Action, ["logs:CreateLogStream", "logs:PutLogEvents"]);
        assert.equal(p.Resource, `${group.state.arn}:log-stream:*`);
    });

    it("sets the budget, its notifications, anomaly detection and the cost-allocation tags", () => {
        const b = one(run, "aws:budgets/budget:Budget", "monitoring-costs-budget").inputs;
        assert.deepEqual([b.budgetType, b.timeUnit, b.limitAmount, b.limitUnit], ["COST", "MONTHLY", "1500.00", "USD"]);
        assert.deepEqual(b.costFilters, [{ name: "TagKeyValue", values: ["user:Environment$dev"] }]);
        const topicArn = one(run, TOPIC, "monitoring-alarms-topic").state.arn;
        assert.deepEqual(b.notifications.map((n: any) => [n.notificationType, n.threshold, n.subscriberSnsTopicArns[0] === topicArn, n.subscriberEmailAddresses.length]), [
            ["ACTUAL", 80, true, 2],
            ["ACTUAL", 100, true, 2],
            ["FORECASTED", 100, true, 2],
        ]);
        const mon = one(run, "aws:costexplorer/anomalyMonitor:AnomalyMonitor", "monitoring-costs-anomaly-monitor").inputs;
        assert.equal(mon.monitorType, "CUSTOM");
        const sub = one(run, "aws:costexplorer/anomalySubscription:AnomalySubscription", "monitoring-costs-anomaly-subscription").inputs;
        assert.equal(sub.frequency, "IMMEDIATE");
        assert.deepEqual(sub.subscribers, [{ type: "SNS", address: topicArn }]);
        assert.deepEqual(sub.thresholdExpression.dimension, { key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE", matchOptions: ["GREATER_THAN_OR_EQUAL"], values: ["100"] });
        assert.deepEqual(ofType(run, "aws:costexplorer/costAllocationTag:CostAllocationTag").map((t) => [t.inputs.tagKey, t.inputs.status]), [
            ["Environment", "Active"],
            ["Project", "Active"],
            ["Owner", "Active"],
        ]);
    });

    it("passes the policy pack (every policy at its default level), advisories included", async () => {
        const report = await analyze(run.resources, { stack: run.stack, project: run.project });
        assert.deepEqual(report.diagnostics.map((d) => `${d.policyName} ${d.resourceName}: ${d.message}`), []);
        assert.ok(report.resourcesAnalyzed > 80, `analysed ${report.resourcesAnalyzed}`);
    });

    it("creates every AWS resource through an explicit provider", () => {
        const aws_ = run.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
        assert.ok(aws_.every((r) => r.provider && /::aws-(main|us-east-1)$/.test(r.provider)), aws_.filter((r) => !r.provider).map((r) => r.name).join(", "));
    });
});

describe("monitoring component with fake tiers (dev-like config)", () => {
    let run: StackRun;
    before(async () => {
        run = await runMonitoring(DEV_LIKE, { data: dataWithBuckets(), compute: fakeCompute(), edge: fakeEdge() });
    });
    it("warnings do not notify when notifications.warnings is false; criticals still do", () => {
        const alarms = ofType(run, ALARM);
        assert.ok(alarms.filter((a) => a.inputs.tags.Severity === "warning").every((a) => (a.inputs.alarmActions ?? []).length === 0));
        assert.ok(alarms.filter((a) => a.inputs.tags.Severity === "critical").every((a) => a.inputs.alarmActions.length === 1 && a.inputs.okActions.length === 1));
    });
    it("keeps a light trail: management events only, S3 delivery only", () => {
        const trail = one(run, "aws:cloudtrail/trail:Trail", "monitoring-audit-trail");
        assert.deepEqual(trail.inputs.advancedEventSelectors.map((s: any) => s.name), ["Management events"]);
        assert.equal(trail.inputs.cloudWatchLogsGroupArn, undefined);
        assert.equal(ofType(run, "aws:cloudwatch/logGroup:LogGroup").length, 0);
    });
    it("has no Slack, no subscriptions and no cost-allocation tags", () => {
        assert.equal(ofType(run, "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration").length, 0);
        assert.equal(ofType(run, "aws:sns/topicSubscription:TopicSubscription").length, 0);
        assert.equal(ofType(run, "aws:costexplorer/costAllocationTag:CostAllocationTag").length, 0);
        assert.equal(one(run, "aws:budgets/budget:Budget", "monitoring-costs-budget").inputs.limitAmount, "100.00");
    });
});

describe("monitoring component follows the tiers' config", () => {
    it("adding a service in the compute config adds its alarms and widgets", async () => {
        const base = await runMonitoring({}, { compute: fakeCompute() });
        const compute = fakeCompute();
        const more = await runMonitoring({}, { compute: { ...compute, services: { ...compute.services, search: fakeService("search") } } });
        const names = (r: StackRun) => new Set(ofType(r, ALARM).map((a) => a.name));
        const added = [...names(more)].filter((n) => !names(base).has(n)).sort();
        assert.deepEqual(added, [
            "monitoring-alarm-svc-search-cpu-critical",
            "monitoring-alarm-svc-search-cpu-warning",
            "monitoring-alarm-svc-search-healthy-hosts-critical",
            "monitoring-alarm-svc-search-memory-critical",
            "monitoring-alarm-svc-search-memory-warning",
            "monitoring-alarm-svc-search-running-tasks-critical",
        ]);
        const ecsBody = (r: StackRun) => one(r, "aws:cloudwatch/dashboard:Dashboard", "monitoring-dashboard-ecs").inputs.dashboardBody as string;
        assert.ok(!ecsBody(base).includes("svc-search"));
        assert.ok(ecsBody(more).includes("svc-search"));
    });

    it("with only the network, creates the topic, budget and dashboards but no alarm, trail or us-east-1 topic", async () => {
        const run = await runMonitoring({}, {});
        const types = (t: string) => ofType(run, t).length;
        assert.equal(types(ALARM), 0);
        assert.equal(types("aws:cloudtrail/trail:Trail"), 0);
        assert.equal(types(TOPIC), 1);
        assert.equal(types("aws:budgets/budget:Budget"), 1);
        assert.equal(types("aws:cloudwatch/dashboard:Dashboard"), 3);
        const aws_: RecordedResource[] = run.resources.filter((r) => r.custom && r.type.startsWith("aws:") && r.region === "us-east-1");
        assert.deepEqual(aws_.map((r) => r.type), []);
    });
});
