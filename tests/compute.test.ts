/**
 * The compute tier per stack file (config -> providers -> network -> Compute with fake DataOutputs):
 * placement, scaling bounds, secrets, the dev schedule, the ALB, each workload kind and its IAM.
 */
import { strict as assert } from "assert";
import { ALLOWED_MANAGED_POLICIES, UNSCOPABLE_ACTIONS } from "../policypack/allowlists";
import { SECRET_LIKE_ENV } from "../components/compute/schema";
import { TLS_POLICY } from "../components/compute/load-balancer";
import { SECRET_PLACEHOLDER } from "../tools/offline/run";
import { ofType, one, policyDoc, RecordedResource, StackRun } from "./harness";
import { bucketArn, computeRun, FAKE_CLUSTER, keyArn, LOGS_KEY_ARN, runCompute, secretArn, tableArn } from "./compute-fixtures";

/** A data-tier key referenced by alias (known at first preview): key/* restricted to `alias/<prefix>-<domain>`. */
const byAlias = (domain: string, ...services: string[]) => ({
    Resource: ["arn:aws:kms:ap-northeast-1:123456789012:key/*"],
    Condition: {
        StringEquals: { "kms:ViaService": services.map((x) => `${x}.ap-northeast-1.amazonaws.com`) },
        "ForAnyValue:StringEquals": { "kms:ResourceAliases": [`alias/ragplatform-dev-${domain}`] },
    },
});

/** A data-tier secret by name (known at first preview): `<name>-` and the six random ARN characters. */
const secretPattern = (name: string) => `arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:${name}-??????`;

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
/** Recorded inputs keep Pulumi's secret wrapper; tests read the plain value. */
function plain(v: any): any {
    if (Array.isArray(v)) return v.map(plain);
    if (v && typeof v === "object") {
        if (SECRET_SIG in v) return plain(v.value);
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
    }
    return v;
}
const T = (type: string) => `aws:${type}`;
const containers = (run: StackRun) => ofType(run, T("ecs/taskDefinition:TaskDefinition")).map((t) => ({ task: t, c: JSON.parse(t.inputs.containerDefinitions)[0] }));
const ids = (run: StackRun, prefix: string) => ofType(run, T("ec2/subnet:Subnet")).filter((s) => s.name.startsWith(prefix)).map((s) => s.state.id).sort();
const sgId = (run: StackRun, role: string) => one(run, T("ec2/securityGroup:SecurityGroup"), `network-sg-${role}`).state.id;
const statementsOf = (run: StackRun, policyName: string) => policyDoc(one(run, T("iam/rolePolicy:RolePolicy"), policyName).inputs.policy).Statement;
const roleArn = (run: StackRun, name: string) => one(run, T("iam/role:Role"), name).state.arn;

const STACKS = ["dev", "staging", "prod"] as const;
/** Scaling bounds per stack file: [min, max] for web, outbox, workers. */
const BOUNDS: Record<(typeof STACKS)[number], Record<string, [number, number]>> = {
    dev: { web: [1, 2], outbox: [1, 1], ingest: [0, 2], notification: [0, 2] },
    staging: { web: [2, 4], outbox: [1, 2], ingest: [1, 3], notification: [1, 3] },
    prod: { web: [2, 10], outbox: [2, 4], ingest: [1, 10], notification: [1, 10] },
};
const RETENTION = { dev: 7, staging: 30, prod: 90 };

describe("compute tier per stack", function () {
    this.timeout(300_000);

    for (const stack of STACKS) {
        describe(stack, () => {
            let run: StackRun;
            before(async () => {
                run = await computeRun(stack);
            });

            it("runs every ECS service in the private subnets (>= 2 AZs) with the ecs group and no public IP", () => {
                const services = ofType(run, T("ecs/service:Service"));
                assert.deepEqual(services.map((s) => s.inputs.name).sort(), ["ingest", "notification", "outbox", "web"]);
                const privateIds = ids(run, "network-private-");
                assert.ok(privateIds.length >= 2);
                for (const s of services) {
                    const n = s.inputs.networkConfiguration;
                    assert.equal(n.assignPublicIp, false, s.name);
                    assert.deepEqual([...n.subnets].sort(), privateIds, s.name);
                    assert.deepEqual(n.securityGroups, [sgId(run, "ecs")]);
                    assert.deepEqual(s.inputs.deploymentCircuitBreaker, { enable: true, rollback: true });
                    assert.equal(s.inputs.enableExecuteCommand, true);
                    assert.deepEqual(s.options.ignoreChanges, ["desiredCount"]);
                    assert.ok(s.options.dependsOn.includes(one(run, T("ecs/clusterCapacityProviders:ClusterCapacityProviders"), "compute-ecs-capacity").urn), `${s.name} waits for the capacity providers`);
                    assert.equal(s.inputs.capacityProviderStrategies[0].capacityProvider, stack === "dev" ? "FARGATE_SPOT" : "FARGATE");
                }
                for (const j of ofType(run, T("scheduler/schedule:Schedule")).filter((x) => x.inputs.target.ecsParameters)) {
                    const n = j.inputs.target.ecsParameters.networkConfiguration;
                    assert.equal(n.assignPublicIp, false);
                    assert.deepEqual([...n.subnets].sort(), privateIds);
                }
            });

            it("scales each service within the stack's bounds (prod web >= 2, AC-REL-2)", () => {
                for (const [svc, [min, max]] of Object.entries(BOUNDS[stack])) {
                    const target = ofType(run, T("appautoscaling/target:Target")).find((t) => t.inputs.resourceId === `service/ragplatform-${stack}/${svc}`);
                    assert.ok(target, `no scalable target for ${svc}`);
                    assert.deepEqual([target.inputs.minCapacity, target.inputs.maxCapacity], [min, max], svc);
                    assert.equal(one(run, T("ecs/service:Service"), `compute-${svc === "web" || svc === "outbox" ? "svc" : "worker"}-${svc}-service`).inputs.desiredCount, min);
                }
                if (stack === "prod") {
                    assert.ok(BOUNDS.prod.web[0] >= 2 && BOUNDS.prod.outbox[0] >= 2);
                }
            });

            it("web scaling: CPU, memory and ALBRequestCountPerTarget at 100 req/s over the floor (AC-PERF-2)", () => {
                const cfg = (n: string) => one(run, T("appautoscaling/policy:Policy"), `compute-svc-web-scale-${n}`).inputs.targetTrackingScalingPolicyConfiguration;
                assert.equal(cfg("cpu").predefinedMetricSpecification.predefinedMetricType, "ECSServiceAverageCPUUtilization");
                assert.equal(cfg("cpu").targetValue, 70);
                assert.equal(cfg("memory").predefinedMetricSpecification.predefinedMetricType, "ECSServiceAverageMemoryUtilization");
                const req = cfg("requests");
                assert.equal(req.predefinedMetricSpecification.predefinedMetricType, "ALBRequestCountPerTarget");
                assert.equal(req.targetValue, Math.ceil((100 * 60) / BOUNDS[stack].web[0]));
                const lb = one(run, T("lb/loadBalancer:LoadBalancer"), "compute-ingress-alb").state.arnSuffix;
                const tg = one(run, T("lb/targetGroup:TargetGroup"), "compute-svc-web-tg").state.arnSuffix;
                assert.equal(req.predefinedMetricSpecification.resourceLabel, `${lb}/${tg}`);
                // The internal outbox service has no request policy.
                assert.throws(() => one(run, T("appautoscaling/policy:Policy"), "compute-svc-outbox-scale-requests"));
            });

            it("never puts a secret value in a container or function environment", () => {
                const originSecret = one(run, "random:index/randomPassword:RandomPassword", "compute-ingress-origin-verify").state.result;
                const forbidden = [SECRET_PLACEHOLDER, originSecret];
                const envs: [string, Record<string, string>][] = [
                    ...containers(run).map(({ task, c }) => [task.name, Object.fromEntries(c.environment.map((e: any) => [e.name, e.value]))] as [string, Record<string, string>]),
                    ...ofType(run, T("lambda/function:Function")).map((f) => [f.name, f.inputs.environment.variables] as [string, Record<string, string>]),
                ];
                assert.equal(envs.length, 10);
                for (const [who, env] of envs) {
                    for (const [k, v] of Object.entries(env)) {
                        assert.ok(!SECRET_LIKE_ENV.test(k), `${who}: ${k} looks like a secret`);
                        assert.ok(!forbidden.includes(v), `${who}: ${k} holds a secret value`);
                    }
                }
                for (const { task, c } of containers(run)) {
                    for (const s of c.secrets) {
                        assert.match(s.valueFrom, /^arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:/, `${task.name} ${s.name}`);
                    }
                }
                const web = containers(run).find((x) => x.c.name === "web")!.c;
                assert.deepEqual(web.secrets, [
                    { name: "DATABASE_CREDENTIALS", valueFrom: secretArn("database") },
                    { name: "JWT_SIGNING_SECRET", valueFrom: secretArn("jwt") },
                ]);
            });

            it("hardens every container and logs it to a KMS log group with the stack's retention", () => {
                for (const { task, c } of containers(run)) {
                    assert.equal(c.readonlyRootFilesystem, true, task.name);
                    assert.equal(c.privileged, false, task.name);
                    assert.equal(c.logConfiguration.logDriver, "awslogs");
                    const lg = ofType(run, T("cloudwatch/logGroup:LogGroup")).find((l) => l.inputs.name === c.logConfiguration.options["awslogs-group"]);
                    assert.ok(lg, `${task.name}: no log group ${c.logConfiguration.options["awslogs-group"]}`);
                    assert.equal(lg.inputs.retentionInDays, RETENTION[stack]);
                    assert.equal(lg.inputs.kmsKeyId, LOGS_KEY_ARN);
                    assert.equal(task.inputs.networkMode, "awsvpc");
                    assert.deepEqual(task.inputs.requiresCompatibilities, ["FARGATE"]);
                    // ECS Exec is on in every stack: its agent paths are writable volumes.
                    assert.deepEqual(task.inputs.volumes.map((v: any) => v.name), ["tmp", "exec-var-lib-amazon", "exec-var-log-amazon"]);
                    assert.deepEqual(c.mountPoints.map((m: any) => m.sourceVolume), ["tmp", "exec-var-lib-amazon", "exec-var-log-amazon"]);
                }
                assert.equal(containers(run).find((x) => x.c.name === "web")!.c.user, "1000:1000");
            });

            it("scales to zero out of hours only in dev (AC-COST-1/2)", () => {
                const actions = ofType(run, T("appautoscaling/scheduledAction:ScheduledAction"));
                if (stack !== "dev") {
                    assert.equal(actions.length, 0);
                    return;
                }
                assert.equal(actions.length, 8);
                for (const svc of Object.keys(BOUNDS.dev)) {
                    const mine = actions.filter((a) => a.inputs.resourceId === `service/ragplatform-dev/${svc}`);
                    const stop = mine.find((a) => a.inputs.name.endsWith("-dev-stop"))!;
                    const start = mine.find((a) => a.inputs.name.endsWith("-dev-start"))!;
                    assert.deepEqual([stop.inputs.schedule, stop.inputs.timezone, stop.inputs.scalableTargetAction], ["cron(0 19 ? * MON-FRI *)", "Asia/Tokyo", { minCapacity: 0, maxCapacity: 0 }]);
                    const [min, max] = BOUNDS.dev[svc];
                    assert.deepEqual([start.inputs.schedule, start.inputs.timezone, start.inputs.scalableTargetAction], ["cron(0 9 ? * MON-FRI *)", "Asia/Tokyo", { minCapacity: min, maxCapacity: max }]);
                }
            });

            it("ALB: public subnets, alb group, invalid headers dropped, access logs to logs/alb, deletion protection in prod", () => {
                const lb = one(run, T("lb/loadBalancer:LoadBalancer"), "compute-ingress-alb");
                assert.equal(lb.inputs.internal, false);
                assert.deepEqual([...lb.inputs.subnets].sort(), ids(run, "network-public-"));
                assert.deepEqual(lb.inputs.securityGroups, [sgId(run, "alb")]);
                assert.equal(lb.inputs.dropInvalidHeaderFields, true);
                assert.deepEqual(lb.inputs.accessLogs, { bucket: "fake-logs", prefix: "alb", enabled: true });
                assert.equal(lb.inputs.enableDeletionProtection, stack === "prod");
                assert.equal(lb.options.protect, stack !== "dev");
            });

            it("ALB without a certificate: HTTP listener that answers 403 unless the origin-verify header matches", () => {
                const listeners = ofType(run, T("lb/listener:Listener"));
                assert.deepEqual(listeners.map((l) => [l.inputs.port, l.inputs.protocol]), [[80, "HTTP"]]);
                assert.deepEqual(listeners[0].inputs.defaultActions, [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", messageBody: "Forbidden", statusCode: "403" } }]);
                const secret = one(run, "random:index/randomPassword:RandomPassword", "compute-ingress-origin-verify");
                assert.deepEqual([secret.inputs.length, secret.inputs.special], [48, false]);
                const rule = one(run, T("lb/listenerRule:ListenerRule"), "compute-svc-web-rule");
                assert.deepEqual(plain(rule.inputs.conditions), [{ pathPattern: { values: ["/*"] } }, { httpHeader: { httpHeaderName: "X-Origin-Verify", values: [secret.state.result] } }]);
                assert.equal(rule.inputs.priority, 1000);
                assert.equal(plain(run.outputs.originVerify), secret.state.result);
                const tg = one(run, T("lb/targetGroup:TargetGroup"), "compute-svc-web-tg");
                assert.deepEqual([tg.inputs.targetType, tg.inputs.port, tg.inputs.protocol, tg.inputs.healthCheck.path, tg.inputs.healthCheck.matcher], ["ip", 8080, "HTTP", "/health", "200-399"]);
                assert.equal(one(run, T("ecs/service:Service"), "compute-svc-web-service").inputs.healthCheckGracePeriodSeconds, 60);
            });

            it("ECS cluster: Container Insights and ECS Exec with KMS and logging", () => {
                const cluster = one(run, T("ecs/cluster:Cluster"), "compute-ecs-cluster");
                assert.deepEqual(cluster.inputs.settings, [{ name: "containerInsights", value: stack === "dev" ? "enabled" : "enhanced" }]);
                const exec = cluster.inputs.configuration.executeCommandConfiguration;
                assert.equal(exec.logging, "OVERRIDE");
                assert.equal(exec.kmsKeyId, LOGS_KEY_ARN);
                assert.deepEqual(exec.logConfiguration, { cloudWatchEncryptionEnabled: true, cloudWatchLogGroupName: `/platform/ragplatform-${stack}/ecs-exec` });
            });

            it("workers: KMS queue + DLQ with redrive, raw SNS subscriptions pinned by aws:SourceArn, backlog scaling", () => {
                const q = one(run, T("sqs/queue:Queue"), "compute-worker-ingest-queue");
                const dlq = one(run, T("sqs/queue:Queue"), "compute-worker-ingest-dlq");
                assert.equal(q.inputs.kmsMasterKeyId, keyArn("messaging"));
                assert.equal(dlq.inputs.kmsMasterKeyId, keyArn("messaging"));
                assert.deepEqual(JSON.parse(q.inputs.redrivePolicy), { deadLetterTargetArn: dlq.state.arn, maxReceiveCount: 5 });
                assert.equal(q.inputs.visibilityTimeoutSeconds, 900);
                const topic = one(run, T("sns/topic:Topic"), "compute-messaging-topic-domain-events");
                assert.equal(topic.inputs.kmsMasterKeyId, keyArn("messaging"));
                const sub = one(run, T("sns/topicSubscription:TopicSubscription"), "compute-worker-ingest-sub-domain-events");
                assert.deepEqual([sub.inputs.topic, sub.inputs.protocol, sub.inputs.endpoint, sub.inputs.rawMessageDelivery], [topic.state.arn, "sqs", q.state.arn, true]);
                const policy = policyDoc(one(run, T("sqs/queuePolicy:QueuePolicy"), "compute-worker-ingest-policy").inputs.policy);
                const fromSns = policy.Statement.find((s: any) => s.Sid === "SubscribedTopicsSend");
                assert.deepEqual(fromSns.Condition, { ArnEquals: { "aws:SourceArn": [topic.state.arn] } });
                const fromRule = policy.Statement.find((s: any) => s.Sid === "EventRulesSend");
                assert.deepEqual(fromRule.Condition, { ArnEquals: { "aws:SourceArn": [one(run, T("cloudwatch/eventRule:EventRule"), "compute-rules-document-uploaded").state.arn] } });
                const backlog = one(run, T("appautoscaling/policy:Policy"), "compute-worker-ingest-scale-backlog").inputs.targetTrackingScalingPolicyConfiguration;
                assert.equal(backlog.targetValue, 50);
                assert.equal(backlog.customizedMetricSpecification.metrics[0].metricStat.metric.metricName, "ApproximateNumberOfMessagesVisible");
                assert.deepEqual(backlog.customizedMetricSpecification.metrics[0].metricStat.metric.dimensions, [{ name: "QueueName", value: "ragplatform-" + stack + "-ingest" }]);
                const env = Object.fromEntries(containers(run).find((x) => x.c.name === "ingest")!.c.environment.map((e: any) => [e.name, e.value]));
                assert.equal(env.QUEUE_URL, q.state.url);
            });

            it("jobs: EventBridge Scheduler RunTask in Asia/Tokyo with retries, DLQ and a role limited to that task", () => {
                const s = one(run, T("scheduler/schedule:Schedule"), "compute-job-daily-schedule");
                assert.deepEqual([s.inputs.scheduleExpression, s.inputs.scheduleExpressionTimezone, s.inputs.flexibleTimeWindow], ["cron(0 3 * * ? *)", "Asia/Tokyo", { mode: "OFF" }]);
                const task = one(run, T("ecs/taskDefinition:TaskDefinition"), "compute-job-daily-task");
                assert.equal(s.inputs.target.arn, one(run, T("ecs/cluster:Cluster"), "compute-ecs-cluster").state.arn);
                assert.equal(s.inputs.target.ecsParameters.taskDefinitionArn, task.state.arn);
                assert.deepEqual(s.inputs.target.retryPolicy, { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 });
                assert.equal(s.inputs.target.deadLetterConfig.arn, one(run, T("sqs/queue:Queue"), "compute-scheduler-dlq").state.arn);
                const st = statementsOf(run, "compute-job-daily-scheduler-policy");
                assert.deepEqual(st.find((x: any) => x.Sid === "RunJobTask").Resource, [`arn:aws:ecs:ap-northeast-1:123456789012:task-definition/ragplatform-${stack}-daily:*`]);
                assert.deepEqual(st.find((x: any) => x.Sid === "PassJobRoles"), {
                    Sid: "PassJobRoles",
                    Effect: "Allow",
                    Action: ["iam:PassRole"],
                    Resource: [roleArn(run, "compute-job-daily-execution-role"), roleArn(run, "compute-job-daily-task-role")].sort(),
                    Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
                });
                const env = Object.fromEntries(containers(run).find((x) => x.c.name === "daily")!.c.environment.map((e: any) => [e.name, e.value]));
                assert.equal(env.JOB_TIMEOUT_SECONDS, "3600");
            });

            it("functions: container images, X-Ray, VPC, DLQ, own KMS log group, concurrency only where configured", () => {
                const fns = ofType(run, T("lambda/function:Function"));
                assert.deepEqual(fns.map((f) => f.inputs.name).sort(), ["email-webhook", "rag-api", "rag-check", "rag-worker"].map((n) => `ragplatform-${stack}-${n}`));
                for (const f of fns) {
                    assert.equal(f.inputs.packageType, "Image");
                    assert.match(f.inputs.imageUri, /^123456789012\.dkr\.ecr\.ap-northeast-1\.amazonaws\.com\/ragplatform-[a-z]+\/(rag|functions):/);
                    assert.deepEqual(f.inputs.tracingConfig, { mode: "Active" });
                    assert.deepEqual([...f.inputs.vpcConfig.subnetIds].sort(), ids(run, "network-private-"));
                    assert.deepEqual(f.inputs.vpcConfig.securityGroupIds, [sgId(run, "lambda")]);
                    assert.match(f.inputs.deadLetterConfig.targetArn, /^arn:aws:sqs:ap-northeast-1:123456789012:ragplatform-[a-z]+-[a-z-]+-async-dlq$/);
                    const lg = ofType(run, T("cloudwatch/logGroup:LogGroup")).find((l) => l.inputs.name === `/aws/lambda/${f.inputs.name}`);
                    assert.ok(lg, `no log group for ${f.inputs.name}`);
                    assert.equal(lg.inputs.retentionInDays, RETENTION[stack]);
                    assert.ok(lg.inputs.kmsKeyId);
                    assert.equal(f.inputs.loggingConfig.logGroup, lg.inputs.name);
                }
                const worker = fns.find((f) => f.inputs.name.endsWith("rag-worker"))!;
                assert.deepEqual([worker.inputs.memorySize, worker.inputs.timeout], [3008, 900]);
                const api = fns.find((f) => f.inputs.name.endsWith("rag-api"))!;
                assert.deepEqual([api.inputs.memorySize, api.inputs.timeout], [512, 30]);
                assert.equal(api.inputs.reservedConcurrentExecutions, undefined);
                assert.equal(worker.inputs.reservedConcurrentExecutions, stack === "prod" ? 100 : undefined);
                assert.deepEqual(api.inputs.environment.variables, {
                    BUCKET_PROMPTS: "fake-prompts",
                    SECRET_PINECONE_ARN: secretArn("pinecone"),
                    TABLE_CHAT_SESSIONS: "fake-chatSessions",
                    TABLE_DOCUMENTS: "fake-documents",
                    TABLE_PROMPTS: "fake-prompts",
                    WORKFLOW_RAG_PROCESSING_ARN: `arn:aws:states:ap-northeast-1:123456789012:stateMachine:ragplatform-${stack}-rag-processing`,
                });
            });

            it("workflow: STANDARD, Lambda tasks with Retry/Catch/timeouts, KMS logs by environment, X-Ray, exact invoke rights", () => {
                const sm = one(run, T("sfn/stateMachine:StateMachine"), "compute-wf-rag-processing-state-machine");
                assert.equal(sm.inputs.type, "STANDARD");
                assert.deepEqual(sm.inputs.tracingConfiguration, { enabled: true });
                const lg = one(run, T("cloudwatch/logGroup:LogGroup"), "compute-wf-rag-processing-logs");
                assert.deepEqual(sm.inputs.loggingConfiguration, { level: stack === "prod" ? "ERROR" : "ALL", includeExecutionData: stack !== "prod", logDestination: `${lg.state.arn}:*` });
                assert.ok(lg.inputs.kmsKeyId);
                const def = JSON.parse(sm.inputs.definition);
                const fnArn = (n: string) => `arn:aws:lambda:ap-northeast-1:123456789012:function:ragplatform-${stack}-${n}`;
                assert.deepEqual(Object.keys(def.States), ["ProcessDocument", "CheckResult", "Failed"]);
                assert.equal(def.States.ProcessDocument.Parameters.FunctionName, fnArn("rag-worker"));
                assert.equal(def.States.ProcessDocument.TimeoutSeconds, 900);
                assert.equal(def.States.CheckResult.Parameters.FunctionName, fnArn("rag-check"));
                assert.deepEqual(statementsOf(run, "compute-wf-rag-processing-policy")[0].Resource, [fnArn("rag-check"), `${fnArn("rag-check")}:*`, fnArn("rag-worker"), `${fnArn("rag-worker")}:*`]);
                for (const f of ofType(run, T("lambda/function:Function")).filter((x) => /rag-(worker|check)$/.test(x.inputs.name))) {
                    assert.equal(f.state.arn, fnArn(f.inputs.name.replace(`ragplatform-${stack}-`, "")), "the derived ARN is the real ARN");
                }
            });

            it("ECR: immutable tags, scan on push, KMS, lifecycle; Lambda pull only on function repositories", () => {
                const repos = ofType(run, T("ecr/repository:Repository"));
                assert.deepEqual(repos.map((r) => r.inputs.name).sort(), ["functions", "outbox", "rag", "web", "workers"].map((r) => `ragplatform-${stack}/${r}`));
                for (const r of repos) {
                    assert.equal(r.inputs.imageTagMutability, "IMMUTABLE");
                    assert.deepEqual(r.inputs.imageScanningConfiguration, { scanOnPush: true });
                    assert.deepEqual(r.inputs.encryptionConfigurations, [{ encryptionType: "KMS" }]);
                }
                assert.equal(ofType(run, T("ecr/lifecyclePolicy:LifecyclePolicy")).length, 5);
                assert.deepEqual(ofType(run, T("ecr/repositoryPolicy:RepositoryPolicy")).map((p) => p.name).sort(), ["compute-repo-functions-lambda-pull", "compute-repo-rag-lambda-pull"]);
            });

            it("IAM: `*` only for allowlisted actions, managed policies only from the allowlist", () => {
                for (const p of ofType(run, T("iam/rolePolicy:RolePolicy"))) {
                    for (const s of policyDoc(p.inputs.policy).Statement) {
                        const resources = ([] as string[]).concat(s.Resource);
                        const actions = ([] as string[]).concat(s.Action);
                        assert.ok(actions.every((a) => !a.includes("*")), `${p.name}: wildcard action`);
                        if (resources.includes("*")) {
                            assert.deepEqual(actions.filter((a) => !UNSCOPABLE_ACTIONS.includes(a)), [], `${p.name} ${s.Sid}`);
                        }
                    }
                }
                for (const a of ofType(run, T("iam/rolePolicyAttachment:RolePolicyAttachment"))) {
                    assert.ok(ALLOWED_MANAGED_POLICIES.includes(a.inputs.policyArn), a.inputs.policyArn);
                }
            });
        });
    }

    describe("IAM of each workload (dev)", () => {
        let run: StackRun;
        before(async () => {
            run = await computeRun("dev");
        });
        const READ = ["dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:Query"];
        const RW = [...READ, "dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"].sort();
        const table = (t: string) => [tableArn(t), `${tableArn(t)}/index/*`];

        it("web task role: its tables, its bucket prefix, invoke rag-api, ECS Exec", () => {
            const fn = "arn:aws:lambda:ap-northeast-1:123456789012:function:ragplatform-dev-rag-api";
            assert.deepEqual(statementsOf(run, "compute-svc-web-task-policy"), [
                { Sid: "TableDocumentsRead", Effect: "Allow", Action: READ, Resource: table("documents") },
                { Sid: "TableChatSessionsReadWrite", Effect: "Allow", Action: RW, Resource: table("chatSessions") },
                { Sid: "TableUserSessionsReadWrite", Effect: "Allow", Action: RW, Resource: table("userSessions") },
                { Sid: "BucketDocumentsReadWrite", Effect: "Allow", Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"], Resource: [`${bucketArn("documents")}/uploads/*`] },
                { Sid: "BucketDocumentsList", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [bucketArn("documents")], Condition: { StringLike: { "s3:prefix": ["uploads/*"] } } },
                { Sid: "InvokeDeclaredFunctions", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [fn, `${fn}:*`] },
                { Sid: "KmsForDeclaredData1", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], ...byAlias("data", "dynamodb", "s3") },
                { Sid: "EcsExecChannels", Effect: "Allow", Action: ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"], Resource: ["*"] },
                // The logs key by alias and the exec log group by name: known at first preview.
                {
                    Sid: "EcsExecSessionKey",
                    Effect: "Allow",
                    Action: ["kms:Decrypt"],
                    Resource: ["arn:aws:kms:ap-northeast-1:123456789012:key/*"],
                    Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": ["alias/ragplatform-dev-logs"] } },
                },
                { Sid: "EcsExecDescribeLogGroups", Effect: "Allow", Action: ["logs:DescribeLogGroups"], Resource: ["*"] },
                { Sid: "EcsExecWriteSessionLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"], Resource: ["arn:aws:logs:ap-northeast-1:123456789012:log-group:/platform/ragplatform-dev/ecs-exec:*"] },
            ]);
            // Built from the name, it is the exec log group's real ARN.
            const execLogs = one(run, T("cloudwatch/logGroup:LogGroup"), "compute-ecs-exec-logs");
            assert.deepEqual(statementsOf(run, "compute-svc-web-task-policy").find((s: any) => s.Sid === "EcsExecWriteSessionLogs").Resource, [`${execLogs.state.arn}:*`]);
            // The session key is the one the cluster encrypts ECS Exec sessions with.
            assert.equal(one(run, T("ecs/cluster:Cluster"), "compute-ecs-cluster").inputs.configuration.executeCommandConfiguration.kmsKeyId, LOGS_KEY_ARN);
        });

        it("web execution role: the managed policy plus exactly the two injected secrets, built from names", () => {
            assert.equal(one(run, T("iam/rolePolicyAttachment:RolePolicyAttachment"), "compute-svc-web-execution-managed").inputs.policyArn, "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy");
            // jwt by its name (never its ARN, unknown at first preview); the RDS-managed database
            // secret on rds!cluster-* only where RDS tagged it with the cluster built from its identifier.
            assert.deepEqual(statementsOf(run, "compute-svc-web-execution-secrets"), [
                { Sid: "InjectDeclaredSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [secretPattern("fake-jwt")] },
                {
                    Sid: "InjectRdsManagedSecretDatabase",
                    Effect: "Allow",
                    Action: ["secretsmanager:GetSecretValue"],
                    Resource: ["arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:rds!cluster-*"],
                    Condition: { StringEquals: { "secretsmanager:ResourceTag/aws:rds:primaryDBClusterArn": `arn:aws:rds:ap-northeast-1:123456789012:cluster:${FAKE_CLUSTER}` } },
                },
                { Sid: "KmsForDeclaredData1", Effect: "Allow", Action: ["kms:Decrypt"], ...byAlias("secrets", "secretsmanager") },
            ]);
            // The worker injects no secret: no execution secrets policy at all.
            assert.throws(() => one(run, T("iam/rolePolicy:RolePolicy"), "compute-worker-notification-execution-secrets"));
        });

        it("outbox task role: publish to its two topics only", () => {
            const st = statementsOf(run, "compute-svc-outbox-task-policy");
            assert.deepEqual(st.slice(0, 2), [
                { Sid: "PublishDeclaredTopics", Effect: "Allow", Action: ["sns:Publish"], Resource: ["domain-events", "notifications"].map((t) => `arn:aws:sns:ap-northeast-1:123456789012:ragplatform-dev-${t}`) },
                { Sid: "KmsForDeclaredData1", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], ...byAlias("messaging", "sns") },
            ]);
            assert.deepEqual(ofType(run, T("sns/topic:Topic")).map((t) => t.state.arn).sort(), st[0].Resource);
        });

        it("notification worker: consume its own queue, read userSessions", () => {
            const q = one(run, T("sqs/queue:Queue"), "compute-worker-notification-queue").state.arn;
            const st = statementsOf(run, "compute-worker-notification-task-policy").filter((s: any) => !s.Sid.startsWith("EcsExec"));
            assert.deepEqual(st, [
                { Sid: "TableUserSessionsRead", Effect: "Allow", Action: READ, Resource: table("userSessions") },
                { Sid: "QueueNotificationConsume", Effect: "Allow", Action: ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ReceiveMessage"], Resource: [q] },
                { Sid: "KmsForDeclaredData1", Effect: "Allow", Action: ["kms:Decrypt"], ...byAlias("data", "dynamodb") },
                { Sid: "KmsForDeclaredData2", Effect: "Allow", Action: ["kms:Decrypt"], ...byAlias("messaging", "sqs") },
            ]);
        });

        it("rag-worker function role: its data, Bedrock model, X-Ray, its async DLQ", () => {
            const st = statementsOf(run, "compute-fn-rag-worker-policy");
            assert.deepEqual(
                st.map((s: any) => s.Sid),
                ["TableDocumentsReadWrite", "TableProcessingHistoryReadWrite", "BucketDocumentsRead", "BucketDocumentsList", "BucketTemporaryReadWrite", "BucketTemporaryList", "ReadDeclaredSecrets", "InvokeDeclaredBedrockModels", "KmsForDeclaredData1", "KmsForDeclaredData2", "WriteXRayTraces", "AsyncFailuresToDeadLetterQueue", "AsyncFailuresToDeadLetterQueueKey"],
            );
            // By name: the pattern matches the secret's ARN (six random characters after `<name>-`).
            assert.deepEqual(st.find((s: any) => s.Sid === "ReadDeclaredSecrets").Resource, [secretPattern("fake-pinecone")]);
            assert.equal(secretArn("pinecone").slice(0, -6) + "??????", secretPattern("fake-pinecone"));
            assert.deepEqual(st.find((s: any) => s.Sid === "KmsForDeclaredData2"), { Sid: "KmsForDeclaredData2", Effect: "Allow", Action: ["kms:Decrypt"], ...byAlias("secrets", "secretsmanager") });
            assert.deepEqual(st.find((s: any) => s.Sid === "InvokeDeclaredBedrockModels").Resource, ["arn:aws:bedrock:ap-northeast-1::foundation-model/amazon.titan-embed-text-v2:0"]);
            assert.deepEqual(st.find((s: any) => s.Sid === "AsyncFailuresToDeadLetterQueue").Resource, [one(run, T("sqs/queue:Queue"), "compute-fn-rag-worker-dlq").state.arn]);
            assert.equal(one(run, T("iam/rolePolicyAttachment:RolePolicyAttachment"), "compute-fn-rag-worker-vpc-access").inputs.policyArn, "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole");
        });

        it("email-webhook function role: publish notifications only (plus X-Ray and DLQ)", () => {
            const st = statementsOf(run, "compute-fn-email-webhook-policy");
            assert.deepEqual(st[0], { Sid: "PublishDeclaredTopics", Effect: "Allow", Action: ["sns:Publish"], Resource: ["arn:aws:sns:ap-northeast-1:123456789012:ragplatform-dev-notifications"] });
            assert.equal(st.length, 5);
        });
    });

    describe("variants", () => {
        it("with a certificate: HTTPS with TLS 1.3 policy answering 403 by default, HTTP redirecting to HTTPS", async () => {
            const cert = "arn:aws:acm:ap-northeast-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";
            const run = await runCompute("staging", { "platform:compute": { alb: { certificateArn: cert } } });
            const https = one(run, T("lb/listener:Listener"), "compute-ingress-https");
            assert.deepEqual([https.inputs.port, https.inputs.protocol, https.inputs.sslPolicy, https.inputs.certificateArn], [443, "HTTPS", TLS_POLICY, cert]);
            assert.equal(TLS_POLICY, "ELBSecurityPolicy-TLS13-1-2-2021-06");
            assert.equal(https.inputs.defaultActions[0].fixedResponse.statusCode, "403");
            const http = one(run, T("lb/listener:Listener"), "compute-ingress-http");
            assert.deepEqual(http.inputs.defaultActions, [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]);
            assert.equal(one(run, T("lb/listenerRule:ListenerRule"), "compute-svc-web-rule").inputs.listenerArn, https.state.arn);
        });

        it("a Docker build context builds and pushes with awsx.ecr.Image to the workload's repository", async () => {
            const run = await runCompute("dev", { "platform:compute": { services: { web: { image: { repository: "web", tag: null, context: "./apps/web", dockerfile: "Dockerfile.prod" } } } } });
            const image = one(run, "awsx:ecr:Image", "compute-repo-web-image-svc-web");
            assert.equal(image.custom, false, "a remote component");
            const repo = one(run, T("ecr/repository:Repository"), "compute-repo-web-repo");
            assert.deepEqual([image.inputs.repositoryUrl, image.inputs.context, image.inputs.dockerfile, image.inputs.platform], [repo.state.repositoryUrl, "./apps/web", "Dockerfile.prod", "linux/amd64"]);
            assert.equal(image.parent, one(run, "platform:compute:ImageRepository", "compute-repo-web").urn);
        });

        it("a zip function with queue and schedule triggers", async () => {
            const run = await runCompute("dev", {
                "platform:compute": {
                    functions: {
                        "rag-check": { image: null, zip: { path: "./dist/check", handler: "app.handler", runtime: "python3.12" }, triggers: { queue: { subscribe: ["notifications"], batchSize: 5 }, schedule: { expression: "rate(1 hour)" } } },
                    },
                },
            });
            const f = one(run, T("lambda/function:Function"), "compute-fn-rag-check-function");
            assert.deepEqual([f.inputs.packageType, f.inputs.handler, f.inputs.runtime], ["Zip", "app.handler", "python3.12"]);
            const q = one(run, T("sqs/queue:Queue"), "compute-fn-rag-check-trigger-queue");
            const mapping = one(run, T("lambda/eventSourceMapping:EventSourceMapping"), "compute-fn-rag-check-trigger-mapping");
            assert.deepEqual([mapping.inputs.eventSourceArn, mapping.inputs.batchSize, mapping.inputs.functionResponseTypes], [q.state.arn, 5, ["ReportBatchItemFailures"]]);
            assert.ok(statementsOf(run, "compute-fn-rag-check-policy").some((s: any) => s.Sid === "QueueRagCheckConsume" && s.Resource[0] === q.state.arn));
            const sched = one(run, T("scheduler/schedule:Schedule"), "compute-fn-rag-check-schedule");
            assert.deepEqual([sched.inputs.scheduleExpression, sched.inputs.scheduleExpressionTimezone, sched.inputs.target.arn], ["rate(1 hour)", "Asia/Tokyo", f.state.arn]);
            assert.deepEqual(statementsOf(run, "compute-fn-rag-check-scheduler-policy")[0].Resource, [f.state.arn, `${f.state.arn}:*`]);
        });
    });
});

// Keep the helper types referenced for readers.
export type { RecordedResource };
