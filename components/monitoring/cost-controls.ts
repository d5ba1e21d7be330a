import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { anomalyMonitorSpecification, budgetCostFilters, budgetNotifications, costAllocationTagKeys } from "./policies";

export interface CostControlsArgs {
    namePrefix: string;
    environment: string;
    /** The stack's default tags (the cost-allocation tag keys come from them). */
    tags: Readonly<Record<string, string>>;
    /** Monthly budget, USD. */
    monthlyUsd: number;
    actualPercents: readonly number[];
    forecastPercent: number;
    /** Email recipients of the budget notifications (max 10). */
    emails: readonly string[];
    /** The alarm topic (its key and topic policy let Budgets and Cost Anomaly Detection publish). */
    topicArn: pulumi.Input<string>;
    anomaly: { enabled: boolean; thresholdUsd: number };
    /** Activate the cost-allocation tags (account-level: one stack per account). */
    costAllocationTags: boolean;
}

/**
 * Cost controls of one stack (seed 001 AC-COST-4, seed 002 §7.2): a monthly COST budget filtered
 * on the stack's Environment tag with actual and forecast notifications to the alarm topic and
 * emails; a Cost Anomaly Detection monitor over the same tag with an immediate SNS subscription;
 * optionally the account's cost-allocation tags.
 *
 * Creates: `aws.budgets.Budget` (`<name>-budget`), `aws.costexplorer.AnomalyMonitor`
 * (`<name>-anomaly-monitor`) + `aws.costexplorer.AnomalySubscription` (`<name>-anomaly-subscription`),
 * `aws.costexplorer.CostAllocationTag` per key (`<name>-tag-<key>`).
 * Costs: the first two action-free budgets per account are free, then $0.02/day each; anomaly
 * detection and cost-allocation tags are free.
 */
export class CostControls extends pulumi.ComponentResource {
    public readonly budgetName: pulumi.Output<string>;
    public readonly anomalyMonitorArn?: pulumi.Output<string>;

    constructor(name: string, args: CostControlsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:monitoring:CostControls", name, {}, opts);
        const tagResources: aws.costexplorer.CostAllocationTag[] = [];
        if (args.costAllocationTags) {
            for (const key of costAllocationTagKeys(args.tags)) {
                tagResources.push(new aws.costexplorer.CostAllocationTag(`${name}-tag-${key.toLowerCase()}`, { tagKey: key, status: "Active" }, { parent: this }));
            }
        }
        const budget = new aws.budgets.Budget(
            `${name}-budget`,
            {
                name: `${args.namePrefix}-monthly`,
                budgetType: "COST",
                timeUnit: "MONTHLY",
                limitAmount: args.monthlyUsd.toFixed(2),
                limitUnit: "USD",
                costFilters: budgetCostFilters(args.environment),
                notifications: pulumi.output(args.topicArn).apply((arn) => budgetNotifications(args.actualPercents, args.forecastPercent, arn, args.emails)),
                tags: { Name: `${args.namePrefix}-monthly` },
            },
            { parent: this, dependsOn: tagResources },
        );
        this.budgetName = budget.name;

        if (args.anomaly.enabled) {
            const monitor = new aws.costexplorer.AnomalyMonitor(
                `${name}-anomaly-monitor`,
                { name: `${args.namePrefix}-spend`, monitorType: "CUSTOM", monitorSpecification: anomalyMonitorSpecification(args.environment), tags: { Name: `${args.namePrefix}-spend` } },
                { parent: this },
            );
            new aws.costexplorer.AnomalySubscription(
                `${name}-anomaly-subscription`,
                {
                    name: `${args.namePrefix}-spend-anomalies`,
                    // SNS subscribers require IMMEDIATE; emails get it through the topic.
                    frequency: "IMMEDIATE",
                    monitorArnLists: [monitor.arn],
                    subscribers: [{ type: "SNS", address: args.topicArn }],
                    thresholdExpression: {
                        dimension: { key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE", matchOptions: ["GREATER_THAN_OR_EQUAL"], values: [String(args.anomaly.thresholdUsd)] },
                    },
                    tags: { Name: `${args.namePrefix}-spend-anomalies` },
                },
                { parent: this },
            );
            this.anomalyMonitorArn = monitor.arn;
        }
        this.registerOutputs({ budgetName: this.budgetName, anomalyMonitorArn: this.anomalyMonitorArn });
    }
}
