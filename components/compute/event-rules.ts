import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { ComputeContext } from "./context";
import * as naming from "./naming";
import type { ComputeSection } from "./schema";

export interface EventRulesArgs {
    c: ComputeContext;
    busName: pulumi.Input<string>;
    rules: ComputeSection["eventBus"]["rules"];
    topicArns: Readonly<Record<string, pulumi.Input<string>>>;
    queueArns: Readonly<Record<string, pulumi.Input<string>>>;
}

/**
 * Seed 001 MessagingStack, part 2: the EventBridge rules on the stack's bus and their SNS / SQS
 * targets. The rules have explicit names so that the topic and queue policies can pin
 * aws:SourceArn to them before they exist.
 */
export class EventRules extends pulumi.ComponentResource {
    public readonly ruleArns: Readonly<Record<string, pulumi.Output<string>>>;

    constructor(name: string, args: EventRulesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:compute:EventRules", name, {}, opts);
        const { c } = args;
        const prefix = c.ctx.namePrefix;
        const arns: Record<string, pulumi.Output<string>> = {};
        for (const [key, r] of Object.entries(args.rules)) {
            const rule = new aws.cloudwatch.EventRule(
                `${name}-${key}`,
                { name: naming.ruleName(prefix, key), eventBusName: args.busName, description: r.description || key, eventPattern: JSON.stringify(r.pattern), state: "ENABLED" },
                { parent: this },
            );
            const targets = [...r.targets.topics.map((t) => ({ kind: "topic", key: t, arn: args.topicArns[t] })), ...r.targets.queues.map((q) => ({ kind: "queue", key: q, arn: args.queueArns[q] }))];
            for (const t of targets) {
                if (t.arn === undefined) {
                    throw new Error(`compute.eventBus.rules.${key}: no ${t.kind} named ${t.key}`);
                }
                new aws.cloudwatch.EventTarget(
                    `${name}-${key}-${t.kind}-${t.key}`,
                    { rule: rule.name, eventBusName: args.busName, arn: t.arn, targetId: `${t.kind}-${t.key}` },
                    { parent: this },
                );
            }
            arns[key] = rule.arn;
        }
        this.ruleArns = arns;
        this.registerOutputs({ ruleArns: arns });
    }
}
