import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { ComputeContext } from "./context";
import type { ContainerTask } from "./task";
import { kmsAliasArn, policyDocument, schedulerRunTaskStatements, trustPolicy } from "./iam";
import * as naming from "./naming";

export interface ScheduledJobArgs {
    c: ComputeContext;
    workload: string;
    task: ContainerTask;
    clusterArn: pulumi.Input<string>;
    schedule: string;
    timezone: string;
    retries: number;
    maxEventAgeSeconds: number;
    flexibleWindowMinutes: number;
    /** The scheduler dead-letter queue (events that exhausted their retries). */
    dlqArn: pulumi.Input<string>;
    spot: boolean;
}

/**
 * A scheduled ECS task (seed 004 jobs: daily, ensure-consistency): an EventBridge Scheduler
 * schedule in the job's time zone that runs the job's task definition on the cluster in the
 * private subnets, with retries and a dead-letter queue. The scheduler's role may RunTask that
 * family on that cluster only and pass exactly the task and execution roles, to ECS only.
 *
 * Costs: Scheduler $1.00 per million invocations (14 million free per month); the task is billed
 * as Fargate for its run time.
 */
export class ScheduledJob extends pulumi.ComponentResource {
    public readonly scheduleArn: pulumi.Output<string>;
    public readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: ScheduledJobArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:compute:ScheduledJob", name, {}, opts);
        const { c } = args;
        const child = { parent: this };
        const prefix = c.ctx.namePrefix;
        const role = new aws.iam.Role(
            `${name}-scheduler-role`,
            {
                description: `EventBridge Scheduler role of ${c.ctx.namePrefix} job ${args.workload}`,
                assumeRolePolicy: c.ctx.accountId.apply((id) => JSON.stringify(trustPolicy("scheduler.amazonaws.com", id))),
            },
            child,
        );
        const policy = new aws.iam.RolePolicy(
            `${name}-scheduler-policy`,
            {
                role: role.id,
                // Built from names (task family, cluster, auto-named roles, DLQ, key alias), not from
                // `arn` outputs: known in the first preview of a fresh stack.
                policy: pulumi
                    .all([args.task.taskRoleName, args.task.executionRoleName, c.facts])
                    .apply(([taskRoleName, executionRoleName, facts]) =>
                        JSON.stringify(
                            policyDocument(
                                schedulerRunTaskStatements({
                                    taskDefinitionArn: naming.taskDefinitionFamilyArn(facts, naming.taskFamily(prefix, args.workload)),
                                    clusterArn: naming.clusterArn(facts, naming.clusterName(prefix)),
                                    taskRoleArn: naming.roleArn(facts, taskRoleName),
                                    executionRoleArn: naming.roleArn(facts, executionRoleName),
                                    dlqArn: naming.queueArn(facts, naming.schedulerDlqName(prefix)),
                                    messagingKeyArn: c.data.keys.messaging === undefined ? undefined : kmsAliasArn(facts, naming.dataKeyAlias(prefix, "messaging")),
                                    facts,
                                }),
                            ),
                        ),
                    ),
            },
            child,
        );
        const schedule = new aws.scheduler.Schedule(
            `${name}-schedule`,
            {
                name: `${c.ctx.namePrefix}-${args.workload}`,
                description: `Runs the ${args.workload} job`,
                scheduleExpression: args.schedule,
                scheduleExpressionTimezone: args.timezone,
                flexibleTimeWindow: args.flexibleWindowMinutes > 0 ? { mode: "FLEXIBLE", maximumWindowInMinutes: args.flexibleWindowMinutes } : { mode: "OFF" },
                state: "ENABLED",
                target: {
                    arn: args.clusterArn,
                    roleArn: role.arn,
                    ecsParameters: {
                        taskDefinitionArn: args.task.arn,
                        ...(args.spot ? { capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }] } : { launchType: "FARGATE" }),
                        platformVersion: "LATEST",
                        taskCount: 1,
                        networkConfiguration: { subnets: c.network.privateSubnetIds, securityGroups: [c.network.securityGroupIds.ecs], assignPublicIp: false },
                        enableEcsManagedTags: true,
                        propagateTags: "TASK_DEFINITION",
                    },
                    retryPolicy: { maximumRetryAttempts: args.retries, maximumEventAgeInSeconds: args.maxEventAgeSeconds },
                    deadLetterConfig: { arn: args.dlqArn },
                },
            },
            { parent: this, dependsOn: [policy] },
        );
        this.scheduleArn = schedule.arn;
        this.roleArn = role.arn;
        this.registerOutputs({ scheduleArn: this.scheduleArn });
    }
}
