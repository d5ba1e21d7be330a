import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { KmsKey } from "../security/kms-key";
import { keyPolicy, rootStatement } from "../security/key-policy";
import { alarmTopicPolicy, NotifyingService, notifyingServicesKeyStatement } from "./policies";

export interface AlarmTopicArgs {
    /** Physical topic name, e.g. `shop-prod-alarms`. */
    topicName: string;
    /** Region of the provider this component is created with (alarm ARNs in the topic policy). */
    region: string;
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    /** Services allowed to publish (CloudWatch always; Budgets and Cost Anomaly Detection for the main topic). */
    services: readonly NotifyingService[];
    /** Email recipients (each confirms by email once). */
    emails: readonly string[];
    /** Protect the key (prod). */
    protect: boolean;
}

/**
 * An SNS topic for alarm notifications, encrypted with its own customer-managed key whose policy
 * lets the publishing services use it, a topic policy pinning each service to this account
 * (aws:SourceAccount / aws:SourceArn) and denying non-TLS publishing, and email subscriptions.
 *
 * Creates: KmsKey (`<name>-key`), `aws.sns.Topic` (`<name>-topic`), `aws.sns.TopicPolicy`
 * (`<name>-policy`), one `aws.sns.TopicSubscription` per email (`<name>-email-<address>`).
 * Costs: $1/month for the key; SNS email deliveries $2 per 100,000 after the free tier.
 */
export class AlarmTopic extends pulumi.ComponentResource {
    public readonly topicArn: pulumi.Output<string>;
    public readonly topicName: pulumi.Output<string>;
    public readonly keyArn: pulumi.Output<string>;

    constructor(name: string, args: AlarmTopicArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:monitoring:AlarmTopic", name, {}, opts);
        const account = pulumi.all([args.accountId, args.partition]).apply(([accountId, partition]) => ({ accountId, partition, region: args.region }));
        const key = new KmsKey(
            `${name}-key`,
            {
                description: `${args.topicName}: alarm notifications (SNS)`,
                alias: args.topicName,
                policy: account.apply((a) => JSON.stringify(keyPolicy([rootStatement(a), notifyingServicesKeyStatement(args.services)]))),
                protect: args.protect,
            },
            { parent: this },
        );
        const topic = new aws.sns.Topic(
            `${name}-topic`,
            { name: args.topicName, displayName: args.topicName, kmsMasterKeyId: key.arn, tags: { Name: args.topicName } },
            { parent: this },
        );
        new aws.sns.TopicPolicy(
            `${name}-policy`,
            { arn: topic.arn, policy: pulumi.all([topic.arn, account]).apply(([arn, a]) => JSON.stringify(alarmTopicPolicy(arn, a, args.services))) },
            { parent: this },
        );
        // Keyed by address, so adding or removing a recipient never touches the others.
        for (const email of [...new Set(args.emails)]) {
            new aws.sns.TopicSubscription(`${name}-email-${emailKey(email)}`, { topic: topic.arn, protocol: "email", endpoint: email }, { parent: this });
        }
        this.topicArn = topic.arn;
        this.topicName = topic.name;
        this.keyArn = key.arn;
        this.registerOutputs({ topicArn: this.topicArn, keyArn: this.keyArn });
    }
}

/** A logical-name-safe form of an email address. */
export function emailKey(email: string): string {
    return email.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}
