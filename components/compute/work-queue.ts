import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { ComputeContext } from "./context";
import * as naming from "./naming";
import { queuePolicy } from "./policies";

export interface WorkQueueArgs {
    c: ComputeContext;
    /** The worker or function that consumes it (physical name `<prefix>-<owner>`). */
    owner: string;
    visibilityTimeoutSeconds: number;
    maxReceiveCount: number;
    retentionDays: number;
    /** Topic key -> topic ARN it subscribes to (raw message delivery). The queue policy derives the
     *  topic ARNs from the keys (naming.topicName), so the topics must be this tier's named topics. */
    subscriptions: Readonly<Record<string, pulumi.Input<string>>>;
    /** EventBridge rule keys that target it (their ARNs are derived from the explicit rule names). */
    sourceRules: readonly string[];
}

/**
 * A work queue with its dead-letter queue: both SQS queues encrypted with the messaging CMK,
 * redrive after `maxReceiveCount` receives, the DLQ accepting redrives from this queue only,
 * long polling, SNS->SQS subscriptions with raw delivery, and a queue policy that lets exactly the
 * subscribed topics and targeting rules send (aws:SourceArn) and denies plain HTTP.
 *
 * Costs: $0.40 per million requests (KMS data keys are reused for 5 minutes).
 */
export class WorkQueue extends pulumi.ComponentResource {
    public readonly name: pulumi.Output<string>;
    public readonly arn: pulumi.Output<string>;
    public readonly url: pulumi.Output<string>;
    public readonly dlqName: pulumi.Output<string>;
    public readonly dlqArn: pulumi.Output<string>;

    constructor(name: string, args: WorkQueueArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:compute:WorkQueue", name, {}, opts);
        const { c } = args;
        const prefix = c.ctx.namePrefix;
        const key = c.data.keys.messaging;
        if (key === undefined) {
            throw new Error(`compute: the queue of ${args.owner} is encrypted with DataOutputs.keys.messaging, which the data tier does not expose`);
        }
        const encryption = { kmsMasterKeyId: key.arn, kmsDataKeyReusePeriodSeconds: 300 };
        const dlq = new aws.sqs.Queue(
            `${name}-dlq`,
            { name: naming.dlqName(prefix, args.owner), ...encryption, messageRetentionSeconds: 14 * 86400 },
            { parent: this },
        );
        const queue = new aws.sqs.Queue(
            `${name}-queue`,
            {
                name: naming.queueName(prefix, args.owner),
                ...encryption,
                visibilityTimeoutSeconds: args.visibilityTimeoutSeconds,
                messageRetentionSeconds: args.retentionDays * 86400,
                receiveWaitTimeSeconds: 20,
                redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: args.maxReceiveCount }),
            },
            { parent: this },
        );
        new aws.sqs.RedriveAllowPolicy(
            `${name}-dlq-redrive-allow`,
            { queueUrl: dlq.url, redriveAllowPolicy: pulumi.jsonStringify({ redrivePermission: "byQueue", sourceQueueArns: [queue.arn] }) },
            { parent: this },
        );
        // The policy document is built from the explicit names (queue, topics, rules), not from the
        // created resources' `arn` outputs: it is then known in the first preview of a fresh stack,
        // where the policy pack fails closed on unknown values.
        const topicKeys = Object.keys(args.subscriptions);
        const policy = new aws.sqs.QueuePolicy(
            `${name}-policy`,
            {
                queueUrl: queue.url,
                policy: c.facts.apply((f) =>
                    JSON.stringify(
                        queuePolicy(
                            naming.queueArn(f, naming.queueName(prefix, args.owner)),
                            topicKeys.map((t) => naming.topicArn(f, naming.topicName(prefix, t))),
                            args.sourceRules.map((r) => naming.ruleArn(f, naming.busName(prefix), naming.ruleName(prefix, r))),
                        ),
                    ),
                ),
            },
            { parent: this },
        );
        for (const [topic, topicArn] of Object.entries(args.subscriptions)) {
            new aws.sns.TopicSubscription(
                `${name}-sub-${topic}`,
                { topic: topicArn, protocol: "sqs", endpoint: queue.arn, rawMessageDelivery: true },
                { parent: this, dependsOn: [policy] },
            );
        }
        this.name = queue.name;
        this.arn = queue.arn;
        this.url = queue.url;
        this.dlqName = dlq.name;
        this.dlqArn = dlq.arn;
        this.registerOutputs({ arn: this.arn, url: this.url, dlqArn: this.dlqArn });
    }
}
