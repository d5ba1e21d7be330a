import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { ComputeContext } from "./context";
import * as naming from "./naming";
import { topicPolicy } from "./policies";

export interface MessagingArgs {
    c: ComputeContext;
    /** Topic keys with descriptions. */
    topics: Readonly<Record<string, { description: string }>>;
    /** Create the custom EventBridge bus. */
    eventBus: boolean;
    /** Rule keys that target each topic (topic -> rule keys), for the topic policies. */
    rulesByTopic: Readonly<Record<string, readonly string[]>>;
}

/**
 * Seed 001 MessagingStack, part 1: SNS topics encrypted with the messaging CMK (one topic policy
 * each: account use through IAM, EventBridge rules pinned by ARN, TLS only) and the stack's custom
 * EventBridge bus. The rules and their targets are EventRules (created after the queues).
 *
 * Costs: SNS $0.50 per million publishes; custom-bus events $1.00 per million.
 */
export class Messaging extends pulumi.ComponentResource {
    public readonly topics: Readonly<Record<string, { arn: pulumi.Output<string>; name: pulumi.Output<string> }>>;
    public readonly busName?: pulumi.Output<string>;
    public readonly busArn?: pulumi.Output<string>;

    constructor(name: string, args: MessagingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:compute:Messaging", name, {}, opts);
        const { c } = args;
        const prefix = c.ctx.namePrefix;
        const topics: Record<string, { arn: pulumi.Output<string>; name: pulumi.Output<string> }> = {};
        const keyArn = Object.keys(args.topics).length > 0 ? c.data.keys.messaging?.arn : undefined;
        if (Object.keys(args.topics).length > 0 && keyArn === undefined) {
            throw new Error("compute.topics: SNS topics are encrypted with DataOutputs.keys.messaging, which the data tier does not expose");
        }
        for (const [key, t] of Object.entries(args.topics)) {
            const topic = new aws.sns.Topic(
                `${name}-topic-${key}`,
                { name: naming.topicName(prefix, key), displayName: t.description || key, kmsMasterKeyId: keyArn },
                { parent: this },
            );
            const rules = args.rulesByTopic[key] ?? [];
            new aws.sns.TopicPolicy(
                `${name}-topic-${key}-policy`,
                {
                    arn: topic.arn,
                    policy: pulumi
                        .all([topic.arn, c.facts])
                        .apply(([arn, f]) =>
                            JSON.stringify(topicPolicy(arn, `arn:${f.partition}:iam::${f.accountId}:root`, rules.map((r) => naming.ruleArn(f, naming.busName(prefix), naming.ruleName(prefix, r))))),
                        ),
                },
                { parent: this },
            );
            topics[key] = { arn: topic.arn, name: topic.name };
        }
        if (args.eventBus) {
            const bus = new aws.cloudwatch.EventBus(`${name}-bus`, { name: naming.busName(prefix) }, { parent: this });
            this.busName = bus.name;
            this.busArn = bus.arn;
        }
        this.topics = topics;
        this.registerOutputs({ topics, busArn: this.busArn });
    }
}
