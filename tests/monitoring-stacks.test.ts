/**
 * Monitoring over each real stack file (the whole program under mocks): every alarm the inventory
 * derives from the resources the other tiers created, log groups, tracing, the trail, budgets.
 * Checks written per resource ("every Lambda function has ...") hold for whatever the tiers
 * create: they grow with the tiers as they land on main.
 */
import { strict as assert } from "assert";
import { LOG_RETENTION_DAYS } from "../components/validation";
import { durationThresholdMs } from "../components/monitoring/thresholds";
import { awsResources, ofType, one, policyDoc, RecordedResource, runStack, stackRun, STACKS, StackRun } from "./harness";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

/** Per-stack expectations from the stack files (seed 001 / 002 numbers). */
const EXPECTED: Record<string, { budget: string; emails: number; auditDays: number; sampling: number; dataEvents: boolean; costTags: boolean; warningsNotify: boolean }> = {
    dev: { budget: "100.00", emails: 0, auditDays: 7, sampling: 1, dataEvents: false, costTags: false, warningsNotify: false },
    staging: { budget: "750.00", emails: 1, auditDays: 30, sampling: 0.1, dataEvents: false, costTags: false, warningsNotify: false },
    prod: { budget: "1500.00", emails: 1, auditDays: 90, sampling: 0.05, dataEvents: true, costTags: true, warningsNotify: true },
};

/** Alarms whose single-metric dimensions include `dim = value`. */
function alarmsOn(run: StackRun, namespace: string, metricName: string, dim: string, value: unknown): RecordedResource[] {
    return ofType(run, ALARM).filter((a) => {
        if (a.inputs.namespace === namespace && a.inputs.metricName === metricName) {
            return a.inputs.dimensions?.[dim] === value;
        }
        return (a.inputs.metricQueries ?? []).some((q: any) => q.metric?.namespace === namespace && q.metric?.metricName === metricName && q.metric?.dimensions?.[dim] === value);
    });
}
function thresholds(alarms: RecordedResource[]): Record<string, number> {
    return Object.fromEntries(alarms.map((a) => [a.inputs.tags.Severity, a.inputs.threshold]));
}

for (const stack of STACKS) {
    describe(`monitoring end to end: ${stack}`, () => {
        let run: StackRun;
        before(async () => {
            run = await stackRun(stack);
        });
        const want = EXPECTED[stack];

        it("gives every log group of the stack a retention and a KMS key", () => {
            const groups = ofType(run, LOG_GROUP);
            assert.ok(stack === "dev" || groups.length > 0, "staging and prod have log groups (at least the VPC flow logs)");
            for (const g of groups) {
                assert.ok((LOG_RETENTION_DAYS as readonly number[]).includes(g.inputs.retentionInDays), `${g.name}: retentionInDays ${g.inputs.retentionInDays}`);
                assert.match(String(g.inputs.kmsKeyId ?? ""), /^arn:aws:kms:/, `${g.name}: kmsKeyId`);
            }
        });

        it("encrypts the alarm topic with a customer-managed key and subscribes the configured emails", () => {
            const topic = one(run, "aws:sns/topic:Topic", "monitoring-alarms-topic");
            assert.equal(topic.inputs.name, `ragplatform-${stack}-alarms`);
            const key = ofType(run, "aws:kms/key:Key").find((k) => k.state.arn === topic.inputs.kmsMasterKeyId);
            assert.ok(key, "the topic key is one of the stack's keys");
            const subs = ofType(run, "aws:sns/topicSubscription:TopicSubscription").filter((s) => s.inputs.topic === topic.state.arn);
            assert.equal(subs.length, want.emails);
        });

        it("sends every alarm to a topic of its own region; criticals on OK too", () => {
            const topics = ofType(run, "aws:sns/topic:Topic");
            for (const a of ofType(run, ALARM)) {
                const actions: string[] = [...(a.inputs.alarmActions ?? []), ...(a.inputs.okActions ?? [])];
                for (const arn of actions) {
                    const t = topics.find((x) => x.state.arn === arn);
                    assert.ok(t && t.region === a.region, `${a.name}: action ${arn} is a topic in ${a.region}`);
                }
                if (a.inputs.tags.Severity === "critical") {
                    assert.equal(a.inputs.alarmActions.length, 1, a.name);
                    assert.equal(a.inputs.okActions.length, 1, a.name);
                } else {
                    assert.equal((a.inputs.alarmActions ?? []).length, want.warningsNotify ? 1 : 0, a.name);
                }
            }
        });

        it("alarms on every Lambda function: Errors, Throttles, error rate and Duration against its own timeout", () => {
            for (const fn of ofType(run, "aws:lambda/function:Function")) {
                const name = fn.state.name;
                const timeout = fn.inputs.timeout ?? 3;
                assert.deepEqual(thresholds(alarmsOn(run, "AWS/Lambda", "Duration", "FunctionName", name)), { warning: durationThresholdMs(25 / 30, timeout), critical: durationThresholdMs(28 / 30, timeout) }, `${fn.name} Duration`);
                assert.deepEqual(thresholds(alarmsOn(run, "AWS/Lambda", "Errors", "FunctionName", name).filter((a) => a.inputs.metricName)), { critical: 10 }, `${fn.name} Errors`);
                assert.deepEqual(thresholds(alarmsOn(run, "AWS/Lambda", "Throttles", "FunctionName", name)), { warning: 5 }, `${fn.name} Throttles`);
                assert.deepEqual(thresholds(alarmsOn(run, "AWS/Lambda", "Invocations", "FunctionName", name)), { critical: 5 }, `${fn.name} error rate`);
            }
        });

        it("alarms on every ECS service: CPU, memory (and running tasks when it keeps tasks)", () => {
            for (const svc of ofType(run, "aws:ecs/service:Service")) {
                const name = svc.state.name;
                assert.deepEqual(thresholds(alarmsOn(run, "AWS/ECS", "CPUUtilization", "ServiceName", name)), { warning: 70, critical: 90 }, `${svc.name} CPU`);
                assert.deepEqual(thresholds(alarmsOn(run, "AWS/ECS", "MemoryUtilization", "ServiceName", name)), { warning: 70, critical: 90 }, `${svc.name} memory`);
                if ((svc.inputs.desiredCount ?? 1) > 0) {
                    assert.deepEqual(thresholds(alarmsOn(run, "ECS/ContainerInsights", "RunningTaskCount", "ServiceName", name)), { critical: 1 }, `${svc.name} running tasks`);
                }
            }
        });

        it("alarms on every target group's healthy hosts and on the load balancer", () => {
            for (const tg of ofType(run, "aws:lb/targetGroup:TargetGroup")) {
                assert.equal(alarmsOn(run, "AWS/ApplicationELB", "HealthyHostCount", "TargetGroup", tg.state.arnSuffix).length, 1, tg.name);
            }
            for (const lb of ofType(run, "aws:lb/loadBalancer:LoadBalancer")) {
                assert.deepEqual(thresholds(alarmsOn(run, "AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", lb.state.arnSuffix)), { warning: 1, critical: 3 });
                assert.deepEqual(thresholds(alarmsOn(run, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", lb.state.arnSuffix)), { critical: 10 });
            }
        });

        it("alarms on every dead-letter queue, state machine, Aurora cluster and CloudFront distribution", () => {
            const queues = ofType(run, "aws:sqs/queue:Queue");
            const dlqArns = new Set(queues.map((q) => (q.inputs.redrivePolicy ? JSON.parse(q.inputs.redrivePolicy).deadLetterTargetArn : undefined)).filter(Boolean));
            for (const q of queues.filter((x) => dlqArns.has(x.state.arn))) {
                assert.deepEqual(thresholds(alarmsOn(run, "AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", q.state.name)), { critical: 0 }, q.name);
            }
            for (const sm of ofType(run, "aws:sfn/stateMachine:StateMachine")) {
                assert.deepEqual(thresholds(alarmsOn(run, "AWS/States", "ExecutionsFailed", "StateMachineArn", sm.state.arn)), { critical: 10 }, sm.name);
            }
            for (const db of ofType(run, "aws:rds/cluster:Cluster").filter((c) => c.region === run.config["aws:region"])) {
                assert.deepEqual(thresholds(alarmsOn(run, "AWS/RDS", "CPUUtilization", "DBClusterIdentifier", db.state.clusterIdentifier)), { warning: 70, critical: 90 }, db.name);
                assert.equal(alarmsOn(run, "AWS/RDS", "DatabaseConnections", "DBClusterIdentifier", db.state.clusterIdentifier).length, 2, db.name);
            }
            for (const rg of ofType(run, "aws:elasticache/replicationGroup:ReplicationGroup").filter((g) => g.region === run.config["aws:region"])) {
                const redis = ofType(run, ALARM).filter((a) => (a.inputs.metricQueries ?? []).some((q: any) => q.metric?.namespace === "AWS/ElastiCache"));
                assert.equal(redis.length, 6, "EngineCPU, memory and connections, warning and critical");
                for (const a of redis) {
                    const nodes = a.inputs.metricQueries.filter((q: any) => q.metric).map((q: any) => q.metric.dimensions.CacheClusterId);
                    assert.deepEqual(nodes, rg.state.memberClusters, `${a.name} watches every node of ${rg.name}`);
                }
            }
            for (const d of ofType(run, "aws:cloudfront/distribution:Distribution")) {
                const a = alarmsOn(run, "AWS/CloudFront", "5xxErrorRate", "DistributionId", d.state.id);
                assert.equal(a.length, 2, d.name);
                assert.ok(a.every((x) => x.region === "us-east-1"));
            }
        });

        it("has tracing on for every Lambda function, API stage and state machine, and a sampling rule and group", () => {
            for (const fn of ofType(run, "aws:lambda/function:Function")) {
                assert.equal(fn.inputs.tracingConfig?.mode, "Active", fn.name);
            }
            for (const st of ofType(run, "aws:apigateway/stage:Stage")) {
                assert.equal(st.inputs.xrayTracingEnabled, true, st.name);
            }
            for (const sm of ofType(run, "aws:sfn/stateMachine:StateMachine")) {
                assert.equal(sm.inputs.tracingConfiguration?.enabled, true, sm.name);
            }
            const rule = one(run, "aws:xray/samplingRule:SamplingRule", "monitoring-sampling");
            assert.equal(rule.inputs.fixedRate, want.sampling);
            assert.equal(rule.inputs.serviceName, `ragplatform-${stack}*`);
            assert.equal(one(run, "aws:xray/group:Group", "monitoring-xray-group").inputs.groupName, `ragplatform-${stack}`);
        });

        it("records the stack's trail once the data tier's logs bucket exists", () => {
            const trails = ofType(run, "aws:cloudtrail/trail:Trail");
            const logsBucket = ofType(run, "aws:s3/bucket:Bucket").find((b) => b.name.endsWith("-logs") || b.inputs.tags?.Name?.endsWith("-logs"));
            if (!logsBucket) {
                assert.equal(trails.length, 0, "no trail without the data tier's logs bucket");
                return;
            }
            assert.equal(trails.length, 1);
            const t = trails[0].inputs;
            assert.deepEqual([t.name, t.s3KeyPrefix, t.isMultiRegionTrail, t.includeGlobalServiceEvents, t.enableLogFileValidation], [`ragplatform-${stack}-trail`, "cloudtrail", true, true, true]);
            assert.match(t.kmsKeyId, /^arn:aws:kms:/);
            assert.equal(t.advancedEventSelectors.length > 1, want.dataEvents);
            const group = ofType(run, LOG_GROUP).find((g) => g.state.arn && t.cloudWatchLogsGroupArn === `${g.state.arn}:*`);
            if (stack === "prod") {
                assert.ok(group, "prod also delivers the trail to CloudWatch Logs");
                assert.equal(group.inputs.retentionInDays, want.auditDays);
            } else {
                assert.equal(group, undefined, `${stack} keeps a light trail (S3 only)`);
            }
        });

        it(`sets the monthly budget to $${want.budget} on the Environment tag, with actual and forecast notifications`, () => {
            const b = one(run, "aws:budgets/budget:Budget", "monitoring-costs-budget").inputs;
            assert.equal(b.limitAmount, want.budget);
            assert.equal(b.limitUnit, "USD");
            assert.equal(b.timeUnit, "MONTHLY");
            assert.deepEqual(b.costFilters, [{ name: "TagKeyValue", values: [`user:Environment$${stack}`] }]);
            assert.deepEqual(b.notifications.map((n: any) => n.notificationType), ["ACTUAL", "ACTUAL", "FORECASTED"]);
            const topic = one(run, "aws:sns/topic:Topic", "monitoring-alarms-topic");
            const policy = policyDoc(one(run, "aws:sns/topicPolicy:TopicPolicy", "monitoring-alarms-policy").inputs.policy);
            assert.ok(b.notifications.every((n: any) => n.subscriberSnsTopicArns[0] === topic.state.arn));
            assert.ok(policy.Statement.some((s: any) => s.Principal?.Service === "budgets.amazonaws.com"));
        });

        it(`activates cost-allocation tags ${want.costTags ? "(prod owns them)" : "only in prod"}`, () => {
            const tags = ofType(run, "aws:costexplorer/costAllocationTag:CostAllocationTag").map((t) => t.inputs.tagKey);
            assert.deepEqual(tags, want.costTags ? ["Environment", "Project", "Owner", "CostCenter"] : []);
        });

        it("creates the three dashboards", () => {
            assert.deepEqual(ofType(run, "aws:cloudwatch/dashboard:Dashboard").map((d) => d.inputs.dashboardName).sort(), ["overview", "ecs", "rds"].map((n) => `ragplatform-${stack}-${n}`).sort());
        });
    });
}

describe("monitoring: bad stack configuration registers no resource", () => {
    const CASES: Array<[string, string, Record<string, unknown>, RegExp]> = [
        ["prod without CloudTrail", "prod", { audit: { enabled: false } }, /monitoring\.audit\.enabled: prod must record every API call in CloudTrail \(seed 001 AC-SEC-7\)/],
        ["an unknown threshold metric", "dev", { thresholds: { "ecs.cpuu": { warning: 50 } } }, /monitoring\.thresholds/],
        ["a retention CloudWatch Logs does not accept", "dev", { logRetentionDays: { application: 45 } }, /monitoring\.logRetentionDays\.application: expected one of the CloudWatch Logs retention values .*got 45/],
    ];
    for (const [what, stack, section, message] of CASES) {
        it(what, async () => {
            const err = await runStack(stack, { configOverrides: { "platform:monitoring": section } }).then(
                (r) => assert.fail(`expected the run to fail, it created ${awsResources(r).length} AWS resources`),
                (e: Error) => e,
            );
            assert.match(err.message, message);
            const recorded: Array<{ type: string }> = (err as any).recordedResources ?? [];
            assert.deepEqual(recorded.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => r.type), []);
        });
    }
});

describe("monitoring follows the compute config of a real stack", () => {
    it("adding a service to platform:compute adds its alarms, log filter and dashboard widgets", async () => {
        const base = await stackRun("dev");
        const more = await runStack("dev", {
            configOverrides: {
                "platform:compute": {
                    services: { search: { image: { repository: "web", tag: "0.1.0" }, cpu: 256, memory: 512, minTasks: 1, maxTasks: 1, user: "1000:1000" } },
                },
            },
        });
        const alarmNames = (r: StackRun) => new Set(ofType(r, ALARM).map((a) => a.inputs.name as string));
        const added = [...alarmNames(more)].filter((n) => !alarmNames(base).has(n)).sort();
        assert.deepEqual(added, [
            "ragplatform-dev-log-application-search-critical",
            "ragplatform-dev-log-application-search-warning",
            "ragplatform-dev-svc-search-cpu-critical",
            "ragplatform-dev-svc-search-cpu-warning",
            "ragplatform-dev-svc-search-memory-critical",
            "ragplatform-dev-svc-search-memory-warning",
            "ragplatform-dev-svc-search-running-tasks-critical",
        ]);
        const svc = ofType(more, "aws:ecs/service:Service").find((s) => !ofType(base, "aws:ecs/service:Service").some((b) => b.name === s.name))!;
        const cpu = ofType(more, ALARM).find((a) => a.inputs.name === "ragplatform-dev-svc-search-cpu-critical")!;
        assert.equal(cpu.inputs.dimensions.ServiceName, svc.state.name);
        const filters = ofType(more, "aws:cloudwatch/logMetricFilter:LogMetricFilter").length - ofType(base, "aws:cloudwatch/logMetricFilter:LogMetricFilter").length;
        assert.equal(filters, 1);
        const ecs = (r: StackRun) => one(r, "aws:cloudwatch/dashboard:Dashboard", "monitoring-dashboard-ecs").inputs.dashboardBody as string;
        assert.ok(!ecs(base).includes(svc.state.name) && ecs(more).includes(svc.state.name));
    });
});
