import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { accessEnvironment, resolveAccess } from "./access";
import { managedPolicyArn, type ComputeContext } from "./context";
import { accessStatements, kmsAliasArn, policyDocument, schedulerInvokeStatements, sendToQueueStatements, trustPolicy, xrayStatement } from "./iam";
import * as naming from "./naming";
import type { AccessView, ComputeSection } from "./schema";
import { WorkQueue } from "./work-queue";

type FunctionView = ComputeSection["functions"][string];

export interface LambdaFunctionArgs {
    c: ComputeContext;
    /** Function key in config; the physical name is `<prefix>-<key>`. */
    key: string;
    spec: FunctionView;
    /** Resolved image URI for container functions. */
    imageUri?: pulumi.Input<string>;
    /** Topic key -> ARN, for a queue trigger's subscriptions. */
    topicArns: Readonly<Record<string, pulumi.Input<string>>>;
    /** EventBridge rule keys that target this function's queue. */
    sourceRules: readonly string[];
    /** The scheduler dead-letter queue, for a schedule trigger. */
    schedulerDlqArn?: pulumi.Input<string>;
}

/**
 * A Lambda function (seed 000 INFRA-005, seed 002 §1.2): container image from ECR (or a zip),
 * memory and timeout from config, X-Ray active tracing, in the private subnets with the lambda
 * security group, an SQS dead-letter queue for failed async invocations, its own log group
 * `/aws/lambda/<name>` (logs CMK, retention) in JSON format, no reserved concurrency unless
 * configured, and an environment of resource names only. Triggers: a queue with DLQ (optionally
 * subscribed to topics; partial batch failures reported) and an EventBridge Scheduler schedule.
 * API triggers are wired by the edge tier's API Gateway from `triggers.api`.
 *
 * Costs: $0.0000166667 per GB-second + $0.20 per million requests; X-Ray $5 per million traces
 * recorded beyond the free tier.
 */
export class LambdaFunction extends pulumi.ComponentResource {
    public readonly functionName: pulumi.Output<string>;
    public readonly arn: pulumi.Output<string>;
    public readonly invokeArn: pulumi.Output<string>;
    public readonly roleArn: pulumi.Output<string>;
    public readonly logGroupName: pulumi.Output<string>;
    public readonly logGroupArn: pulumi.Output<string>;
    public readonly policy: pulumi.Output<string>;
    public readonly queue?: WorkQueue;

    constructor(name: string, args: LambdaFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:compute:LambdaFunction", name, {}, opts);
        const { c, spec, key } = args;
        const child = { parent: this };
        const prefix = c.ctx.namePrefix;
        const fnName = naming.functionName(prefix, key);
        const where = `compute.functions.${key}`;
        const messagingKey = c.data.keys.messaging;
        if (messagingKey === undefined) {
            throw new Error(`${where}: the function's dead-letter queue is encrypted with DataOutputs.keys.messaging, which the data tier does not expose`);
        }

        const asyncDlqName = `${prefix}-${key}-async-dlq`;
        const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { name: `/aws/lambda/${fnName}`, retentionInDays: c.logRetentionDays, kmsKeyId: c.ctx.logsKeyArn }, child);
        const dlq = new aws.sqs.Queue(
            `${name}-dlq`,
            { name: asyncDlqName, kmsMasterKeyId: messagingKey.arn, kmsDataKeyReusePeriodSeconds: 300, messageRetentionSeconds: 14 * 86400 },
            child,
        );

        const q = spec.triggers.queue;
        if (q) {
            this.queue = new WorkQueue(
                `${name}-trigger`,
                {
                    c,
                    owner: key,
                    visibilityTimeoutSeconds: q.visibilityTimeoutSeconds,
                    maxReceiveCount: q.maxReceiveCount,
                    retentionDays: q.retentionDays,
                    subscriptions: Object.fromEntries(q.subscribe.map((t) => [t, args.topicArns[t]])),
                    sourceRules: args.sourceRules,
                },
                child,
            );
        }
        const access: AccessView = q ? { ...spec.access, queues: { ...spec.access.queues, [key]: "consume" } } : spec.access;

        const role = new aws.iam.Role(
            `${name}-role`,
            { description: `Execution role of Lambda ${fnName}`, assumeRolePolicy: JSON.stringify(trustPolicy("lambda.amazonaws.com")) },
            child,
        );
        const vpcAccess = new aws.iam.RolePolicyAttachment(
            `${name}-vpc-access`,
            { role: role.name, policyArn: c.ctx.partition.apply((p) => managedPolicyArn(p, "AWSLambdaVPCAccessExecutionRole")) },
            child,
        );
        const resolved = resolveAccess(where, access, { prefix, data: c.data, facts: c.facts });
        this.policy = pulumi
            .all([resolved, c.facts])
            .apply(([r, f]) =>
                JSON.stringify(
                    policyDocument([
                        ...accessStatements(r, f),
                        xrayStatement(),
                        // From names (DLQ, messaging key alias): known at first preview.
                        ...sendToQueueStatements("AsyncFailuresToDeadLetterQueue", naming.queueArn(f, asyncDlqName), kmsAliasArn(f, naming.dataKeyAlias(prefix, "messaging")), f),
                    ]),
                ),
            );
        const policy = new aws.iam.RolePolicy(`${name}-policy`, { role: role.id, policy: this.policy }, child);

        const env = accessEnvironment(access, { prefix, data: c.data, facts: c.facts }).apply((fromAccess) => ({ ...spec.environment, ...fromAccess }));
        const code = spec.image
            ? { packageType: "Image", imageUri: args.imageUri }
            : { packageType: "Zip", code: new pulumi.asset.FileArchive(spec.zip!.path), handler: spec.zip!.handler, runtime: spec.zip!.runtime };
        if (spec.image && args.imageUri === undefined) {
            throw new Error(`${where}: a container function needs its resolved image URI`);
        }
        const fn = new aws.lambda.Function(
            `${name}-function`,
            {
                name: fnName,
                role: role.arn,
                ...code,
                memorySize: spec.memoryMb,
                timeout: spec.timeoutSeconds,
                architectures: [spec.architecture],
                tracingConfig: { mode: "Active" },
                vpcConfig: { subnetIds: c.network.privateSubnetIds, securityGroupIds: [c.network.securityGroupIds.lambda] },
                deadLetterConfig: { targetArn: dlq.arn },
                environment: { variables: env },
                loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
                ...(spec.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: spec.reservedConcurrency } : {}),
            },
            { parent: this, dependsOn: [logGroup, policy, vpcAccess] },
        );

        if (this.queue && q) {
            new aws.lambda.EventSourceMapping(
                `${name}-trigger-mapping`,
                { eventSourceArn: this.queue.arn, functionName: fn.arn, batchSize: q.batchSize, functionResponseTypes: ["ReportBatchItemFailures"], enabled: true },
                child,
            );
        }
        const sched = spec.triggers.schedule;
        if (sched) {
            if (args.schedulerDlqArn === undefined) {
                throw new Error(`${where}.triggers.schedule: needs the scheduler dead-letter queue`);
            }
            const schedulerRole = new aws.iam.Role(
                `${name}-scheduler-role`,
                { description: `EventBridge Scheduler role invoking ${fnName}`, assumeRolePolicy: c.ctx.accountId.apply((id) => JSON.stringify(trustPolicy("scheduler.amazonaws.com", id))) },
                child,
            );
            const schedulerPolicy = new aws.iam.RolePolicy(
                `${name}-scheduler-policy`,
                {
                    role: schedulerRole.id,
                    policy: pulumi
                        .all([fn.arn, args.schedulerDlqArn, messagingKey.arn, c.facts])
                        .apply(([fnArn, dlqArn, keyArn, f]) => JSON.stringify(policyDocument(schedulerInvokeStatements(fnArn, dlqArn, keyArn, f)))),
                },
                child,
            );
            new aws.scheduler.Schedule(
                `${name}-schedule`,
                {
                    name: `${prefix}-${key}`,
                    scheduleExpression: sched.expression,
                    scheduleExpressionTimezone: sched.timezone,
                    flexibleTimeWindow: { mode: "OFF" },
                    target: { arn: fn.arn, roleArn: schedulerRole.arn, retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 }, deadLetterConfig: { arn: args.schedulerDlqArn } },
                },
                { parent: this, dependsOn: [schedulerPolicy] },
            );
        }

        this.functionName = fn.name;
        this.arn = fn.arn;
        this.invokeArn = fn.invokeArn;
        this.roleArn = role.arn;
        this.logGroupName = logGroup.name;
        this.logGroupArn = logGroup.arn;
        this.registerOutputs({ functionName: this.functionName, arn: this.arn });
    }
}
