/**
 * Pure helpers of the compute tier, table-driven: Fargate sizes, schedule expressions, scaling
 * arithmetic, names, container definitions, the state-machine definition and resource policies.
 */
import { strict as assert } from "assert";
import { checkFargateSize, FARGATE_SIZES } from "../components/compute/fargate";
import { checkScheduleExpression, devScheduledActions, DEV_SCHEDULE_DEFAULTS, isTimeZone } from "../components/compute/schedules";
import { albResourceLabel, ecsResourceId, requestsPerTargetPerMinute } from "../components/compute/scaling";
import { envKey } from "../components/compute/naming";
import * as naming from "../components/compute/naming";
import { containerDefinitions, taskVolumes } from "../components/compute/container";
import { RETRYABLE_ERRORS, workflowDefinition } from "../components/compute/asl";
import { lambdaPullPolicy, lifecyclePolicy, queuePolicy, topicPolicy } from "../components/compute/policies";

describe("compute helpers", () => {
    describe("Fargate cpu/memory table", () => {
        const cases: [number, number, boolean][] = [
            [256, 512, true],
            [256, 2048, true],
            [256, 3072, false],
            [512, 1024, true],
            [512, 4096, true],
            [512, 512, false],
            [1024, 2048, true],
            [1024, 8192, true],
            [1024, 1024, false],
            [2048, 16384, true],
            [2048, 4608, false],
            [4096, 30720, true],
            [4096, 32768, false],
            [8192, 16384, true],
            [8192, 20480, true],
            [8192, 17408, false],
            [16384, 122880, true],
            [16384, 40960, true],
            [16384, 36864, false],
            [300, 1024, false],
        ];
        for (const [cpu, memory, ok] of cases) {
            it(`${cpu} CPU / ${memory} MiB is ${ok ? "valid" : "rejected"}`, () => {
                assert.equal(checkFargateSize(cpu, memory) === undefined, ok, checkFargateSize(cpu, memory));
            });
        }
        it("says what the cpu accepts", () => {
            assert.equal(checkFargateSize(512, 512), "memory 512 MiB is not valid with cpu 512 on Fargate; expected 1024, 2048, 3072, 4096 MiB");
            assert.equal(checkFargateSize(1024, 1024), "memory 1024 MiB is not valid with cpu 1024 on Fargate; expected 2048-8192 in steps of 1024 MiB");
            assert.equal(checkFargateSize(256, 4096), "memory 4096 MiB is not valid with cpu 256 on Fargate; expected 512, 1024, 2048 MiB");
            assert.match(checkFargateSize(300, 1024)!, /^cpu 300 is not a Fargate size; expected one of 256, 512, 1024, 2048, 4096, 8192, 16384/);
        });
        it("has the documented number of sizes per cpu", () => {
            assert.deepEqual(
                Object.fromEntries(Object.entries(FARGATE_SIZES).map(([k, v]) => [k, v.length])),
                { 256: 3, 512: 4, 1024: 7, 2048: 13, 4096: 23, 8192: 12, 16384: 12 },
            );
        });
    });

    describe("schedule expressions", () => {
        const valid = ["cron(0 3 * * ? *)", "cron(30 4 * * ? *)", "cron(0 19 ? * MON-FRI *)", "cron(0/15 * * * ? *)", "rate(1 hour)", "rate(5 minutes)", "rate(1 day)", "at(2026-12-01T09:00:00)"];
        const invalid: [string, RegExp][] = [
            ["cron(0 3 * * *)", /needs 6 fields/],
            ["cron(0 3 * * * *)", /exactly one of day-of-month and day-of-week/],
            ["cron(0 3 ? * ? *)", /exactly one of day-of-month and day-of-week/],
            ["cron(61 3 * * ? *)", /minutes must be 0-59/],
            ["cron(0 25 * * ? *)", /hours 0-23/],
            ["cron(0 3 * * FUNDAY *)", /day-of-week/],
            ["rate(1 hours)", /singular/],
            ["rate(5 minute)", /plural/],
            ["rate(0 minutes)", /positive number/],
            ["rate(2 weeks)", /positive number and a unit/],
            ["every day at 3", /expected cron/],
            ["0 3 * * *", /expected cron/],
        ];
        for (const e of valid) {
            it(`accepts ${e}`, () => assert.equal(checkScheduleExpression(e), undefined));
        }
        for (const [e, re] of invalid) {
            it(`rejects ${e}`, () => assert.match(checkScheduleExpression(e) ?? "accepted", re));
        }
        it("knows IANA time zones", () => {
            assert.equal(isTimeZone("Asia/Tokyo"), true);
            assert.equal(isTimeZone("UTC"), true);
            assert.equal(isTimeZone("Tokyo"), false);
            assert.equal(isTimeZone(""), false);
        });
        it("dev schedule: stop to 0 at 19:00, back to the bounds at 09:00 on weekdays (AC-COST-1/2)", () => {
            assert.deepEqual(devScheduledActions(DEV_SCHEDULE_DEFAULTS, { min: 1, max: 2 }), [
                { role: "stop", schedule: "cron(0 19 ? * MON-FRI *)", timezone: "Asia/Tokyo", min: 0, max: 0 },
                { role: "start", schedule: "cron(0 9 ? * MON-FRI *)", timezone: "Asia/Tokyo", min: 1, max: 2 },
            ]);
        });
    });

    describe("scaling arithmetic", () => {
        const cases: [number, number, number][] = [
            [100, 2, 3000],
            [100, 3, 2000],
            [100, 1, 6000],
            [100, 0, 6000],
            [20, 2, 600],
            [7, 3, 140],
        ];
        for (const [rps, min, expected] of cases) {
            it(`${rps} req/s over ${min} tasks -> ${expected} requests per target per minute`, () => assert.equal(requestsPerTargetPerMinute(rps, min), expected));
        }
        it("rejects a non-positive rate", () => assert.throws(() => requestsPerTargetPerMinute(0, 2), /must be positive/));
        it("builds the autoscaling ids", () => {
            assert.equal(ecsResourceId("c", "web"), "service/c/web");
            assert.equal(albResourceLabel("app/lb/123", "targetgroup/tg/456"), "app/lb/123/targetgroup/tg/456");
        });
    });

    describe("names", () => {
        const keys: [string, string][] = [
            ["documents", "DOCUMENTS"],
            ["chatSessions", "CHAT_SESSIONS"],
            ["processingHistory", "PROCESSING_HISTORY"],
            ["email-webhook", "EMAIL_WEBHOOK"],
            ["rag-api", "RAG_API"],
            ["appData", "APP_DATA"],
        ];
        for (const [k, e] of keys) {
            it(`env key of ${k} is ${e}`, () => assert.equal(envKey(k), e));
        }
        it("derives ARNs from explicit names", () => {
            const f = { partition: "aws", region: "ap-northeast-1", accountId: "123456789012" };
            assert.equal(naming.functionArn(f, "p-fn"), "arn:aws:lambda:ap-northeast-1:123456789012:function:p-fn");
            assert.equal(naming.queueArn(f, "p-q"), "arn:aws:sqs:ap-northeast-1:123456789012:p-q");
            assert.equal(naming.queueUrl(f, "p-q"), "https://sqs.ap-northeast-1.amazonaws.com/123456789012/p-q");
            assert.equal(naming.topicArn(f, "p-t"), "arn:aws:sns:ap-northeast-1:123456789012:p-t");
            assert.equal(naming.stateMachineArn(f, "p-w"), "arn:aws:states:ap-northeast-1:123456789012:stateMachine:p-w");
            assert.equal(naming.ruleArn(f, "p-events", "p-r"), "arn:aws:events:ap-northeast-1:123456789012:rule/p-events/p-r");
        });
    });

    describe("container definition", () => {
        const spec = {
            name: "web",
            image: "repo/web:1.0.0",
            port: 8080,
            environment: { LOG_LEVEL: "info", TABLE_DOCUMENTS: "t-docs" },
            secrets: { JWT_SECRET: "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:jwt" },
            logGroupName: "/platform/p/ecs/web",
            region: "ap-northeast-1",
            readonlyRootFilesystem: true,
            user: "1000:1000",
        };
        it("injects secrets by ARN, never as environment values", () => {
            const [c] = containerDefinitions(spec) as any[];
            assert.deepEqual(c.secrets, [{ name: "JWT_SECRET", valueFrom: spec.secrets.JWT_SECRET }]);
            assert.deepEqual(c.environment, [
                { name: "LOG_LEVEL", value: "info" },
                { name: "TABLE_DOCUMENTS", value: "t-docs" },
            ]);
        });
        it("is read-only, non-privileged, non-root, logs with awslogs, has /tmp and an init process", () => {
            const [c] = containerDefinitions(spec) as any[];
            assert.equal(c.readonlyRootFilesystem, true);
            assert.equal(c.privileged, false);
            assert.equal(c.user, "1000:1000");
            assert.deepEqual(c.logConfiguration, { logDriver: "awslogs", options: { "awslogs-group": "/platform/p/ecs/web", "awslogs-region": "ap-northeast-1", "awslogs-stream-prefix": "web" } });
            assert.deepEqual(c.mountPoints, [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }]);
            assert.equal(c.linuxParameters.initProcessEnabled, true);
            assert.deepEqual(c.portMappings, [{ containerPort: 8080, protocol: "tcp", name: "http" }]);
        });
        it("gives ECS Exec writable SSM paths when the root filesystem is read-only", () => {
            const [withExec] = containerDefinitions({ ...spec, exec: true }) as any[];
            assert.deepEqual(withExec.mountPoints.map((m: any) => m.containerPath), ["/tmp", "/var/lib/amazon", "/var/log/amazon"]);
            const [writable] = containerDefinitions({ ...spec, exec: true, readonlyRootFilesystem: false }) as any[];
            assert.deepEqual(writable.mountPoints.map((m: any) => m.containerPath), ["/tmp"]);
            assert.deepEqual(taskVolumes(true, true), ["tmp", "exec-var-lib-amazon", "exec-var-log-amazon"]);
            assert.deepEqual(taskVolumes(false, true), ["tmp"]);
        });
        it("refuses a name that is both a plain value and a secret", () => {
            assert.throws(() => containerDefinitions({ ...spec, environment: { JWT_SECRET: "x" } }), /JWT_SECRET is both a plain environment value and a secret/);
        });
    });

    describe("workflow definition", () => {
        const def = workflowDefinition({
            comment: "rag",
            partition: "aws",
            timeoutSeconds: 3600,
            steps: [
                { name: "ProcessDocument", functionArn: "arn:aws:lambda:r:1:function:w", timeoutSeconds: 900, retry: { maxAttempts: 3, intervalSeconds: 2, backoffRate: 2 } },
                { name: "CheckResult", functionArn: "arn:aws:lambda:r:1:function:c", timeoutSeconds: 300, retry: { maxAttempts: 1, intervalSeconds: 5, backoffRate: 1.5 } },
            ],
        }) as any;
        it("chains Lambda invoke tasks with timeouts, Retry and Catch", () => {
            assert.equal(def.StartAt, "ProcessDocument");
            assert.equal(def.TimeoutSeconds, 3600);
            const p = def.States.ProcessDocument;
            assert.equal(p.Type, "Task");
            assert.equal(p.Resource, "arn:aws:states:::lambda:invoke");
            assert.equal(p.Parameters.FunctionName, "arn:aws:lambda:r:1:function:w");
            assert.equal(p.TimeoutSeconds, 900);
            assert.equal(p.Next, "CheckResult");
            assert.deepEqual(p.Retry, [{ ErrorEquals: RETRYABLE_ERRORS, IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }]);
            assert.deepEqual(p.Catch, [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Failed" }]);
            assert.equal(def.States.CheckResult.End, true);
            assert.equal(def.States.CheckResult.Retry[0].MaxAttempts, 1);
            assert.equal(def.States.Failed.Type, "Fail");
        });
    });

    describe("resource policies", () => {
        it("ECR lifecycle: untagged expire first, then keep the last N", () => {
            assert.deepEqual(lifecyclePolicy(30, 7), {
                rules: [
                    { rulePriority: 1, description: "Expire untagged images after 7 days", selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 }, action: { type: "expire" } },
                    { rulePriority: 2, description: "Keep the last 30 images", selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 30 }, action: { type: "expire" } },
                ],
            });
        });
        it("Lambda pulls only for the stack's functions", () => {
            const p = lambdaPullPolicy("arn:aws:lambda:r:1:function:p-*") as any;
            assert.deepEqual(p.Statement[0].Condition, { StringLike: { "aws:sourceArn": "arn:aws:lambda:r:1:function:p-*" } });
            assert.deepEqual(p.Statement[0].Action, ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]);
        });
        it("queue policy pins SNS and EventBridge to their source ARNs and denies plain HTTP", () => {
            const p = queuePolicy("arn:q", ["arn:t2", "arn:t1"], ["arn:r"]) as any;
            assert.deepEqual(p.Statement[0], {
                Sid: "SubscribedTopicsSend",
                Effect: "Allow",
                Principal: { Service: "sns.amazonaws.com" },
                Action: "sqs:SendMessage",
                Resource: "arn:q",
                Condition: { ArnEquals: { "aws:SourceArn": ["arn:t1", "arn:t2"] } },
            });
            assert.equal(p.Statement[1].Principal.Service, "events.amazonaws.com");
            assert.deepEqual(p.Statement[1].Condition, { ArnEquals: { "aws:SourceArn": ["arn:r"] } });
            assert.deepEqual(p.Statement[2].Condition, { Bool: { "aws:SecureTransport": "false" } });
            assert.equal((queuePolicy("arn:q", [], []) as any).Statement.length, 1);
        });
        it("topic policy lets only the named rules publish", () => {
            const p = topicPolicy("arn:t", "arn:aws:iam::1:root", ["arn:r1"]) as any;
            assert.deepEqual(p.Statement.map((s: any) => s.Sid), ["AccountUsesTopicThroughIam", "EventRulesPublish", "DenyInsecureTransport"]);
            assert.deepEqual(p.Statement[1].Condition, { ArnEquals: { "aws:SourceArn": ["arn:r1"] } });
        });
    });
});
