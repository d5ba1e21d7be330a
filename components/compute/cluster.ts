import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { ComputeContext } from "./context";
import { kmsAliasArn } from "./iam";
import * as naming from "./naming";

export interface EcsClusterArgs {
    c: ComputeContext;
    /** Container Insights mode. @default enhanced */
    containerInsights: "enhanced" | "enabled" | "disabled";
    /** ECS Exec with KMS-encrypted sessions logged to CloudWatch. @default true */
    executeCommand: boolean;
    /** Default capacity provider FARGATE_SPOT instead of FARGATE (dev). */
    spot: boolean;
}

/**
 * The ECS cluster of the stack: Container Insights, ECS Exec configuration (sessions encrypted with
 * the logs CMK and logged to a KMS-encrypted log group), FARGATE and FARGATE_SPOT capacity providers.
 *
 * Costs: the cluster is free; Container Insights enhanced is billed per metric and log volume
 * (roughly $2-4 per task per month).
 */
export class EcsCluster extends pulumi.ComponentResource {
    public readonly name: pulumi.Output<string>;
    public readonly arn: pulumi.Output<string>;
    public readonly execLogGroupArn?: pulumi.Output<string>;
    /**
     * What a task role needs for ECS Exec, as IAM names it before anything exists (first preview):
     * the logs CMK by alias ARN (iam.ts turns it into `key/*` + `kms:ResourceAliases`) and the exec
     * log group's ARN built from its name.
     */
    public readonly exec?: { keyArn: pulumi.Output<string>; logGroupArn: pulumi.Output<string> };
    /** Services that name a capacity provider must be created after this association. */
    public readonly capacityProviders: aws.ecs.ClusterCapacityProviders;

    constructor(name: string, args: EcsClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:compute:EcsCluster", name, {}, opts);
        const { c } = args;
        let execLogGroup: aws.cloudwatch.LogGroup | undefined;
        if (args.executeCommand) {
            execLogGroup = new aws.cloudwatch.LogGroup(
                `${name}-exec-logs`,
                { name: `/platform/${c.ctx.namePrefix}/ecs-exec`, retentionInDays: c.logRetentionDays, kmsKeyId: c.ctx.logsKeyArn },
                { parent: this },
            );
        }
        const cluster = new aws.ecs.Cluster(
            `${name}-cluster`,
            {
                name: c.ctx.namePrefix,
                settings: [{ name: "containerInsights", value: args.containerInsights }],
                ...(execLogGroup
                    ? {
                          configuration: {
                              executeCommandConfiguration: {
                                  kmsKeyId: c.ctx.logsKeyArn,
                                  logging: "OVERRIDE",
                                  logConfiguration: { cloudWatchEncryptionEnabled: true, cloudWatchLogGroupName: execLogGroup.name },
                              },
                          },
                      }
                    : {}),
            },
            { parent: this },
        );
        this.capacityProviders = new aws.ecs.ClusterCapacityProviders(
            `${name}-capacity`,
            {
                clusterName: cluster.name,
                capacityProviders: ["FARGATE", "FARGATE_SPOT"],
                defaultCapacityProviderStrategies: [{ capacityProvider: args.spot ? "FARGATE_SPOT" : "FARGATE", weight: 1, base: 0 }],
            },
            { parent: this },
        );
        this.name = cluster.name;
        this.arn = cluster.arn;
        this.execLogGroupArn = execLogGroup?.arn;
        this.exec = execLogGroup
            ? {
                  keyArn: pulumi.all([c.facts, c.ctx.logsKeyAlias]).apply(([f, alias]) => kmsAliasArn(f, alias)),
                  logGroupArn: pulumi.all([c.facts, execLogGroup.name]).apply(([f, lg]) => naming.logGroupArn(f, lg)),
              }
            : undefined;
        this.registerOutputs({ name: this.name, arn: this.arn });
    }
}
