import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { ComputeContext } from "./context";
import type { ContainerTask } from "./task";
import { albResourceLabel, BACKLOG_PER_TASK_EXPRESSION, requestsPerTargetPerMinute } from "./scaling";
import { devScheduledActions, DevSchedule } from "./schedules";

export interface WebRouting {
    listenerArn: pulumi.Input<string>;
    albArnSuffix: pulumi.Input<string>;
    port: number;
    paths: readonly string[];
    hosts: readonly string[];
    priority: number;
    healthCheck: {
        path: string;
        matcher: string;
        intervalSeconds: number;
        timeoutSeconds: number;
        healthyThreshold: number;
        unhealthyThreshold: number;
        gracePeriodSeconds: number;
    };
    originVerifyHeader: { name: string; value: pulumi.Input<string> };
}

export interface FargateServiceArgs {
    c: ComputeContext;
    workload: string;
    kind: "web" | "worker";
    task: ContainerTask;
    clusterName: pulumi.Input<string>;
    clusterArn: pulumi.Input<string>;
    /** The cluster's capacity-provider association (the service names FARGATE / FARGATE_SPOT). */
    capacityProviders?: pulumi.Resource;
    minTasks: number;
    maxTasks: number;
    /** Run on FARGATE_SPOT (dev). */
    spot: boolean;
    enableExecuteCommand: boolean;
    /** Web services: target group, listener rule and ALB health check. Absent: internal service. */
    routing?: WebRouting;
    scaling: {
        cpuTarget: number;
        memoryTarget?: number;
        /** Web: service-wide req/s at which to scale out (ALBRequestCountPerTarget). */
        scaleOutAtRequestsPerSecond?: number | null;
        /** Worker: visible messages per task to aim for, and its queue. */
        backlog?: { queueName: pulumi.Input<string>; perTask: number };
        scaleInCooldownSeconds: number;
        scaleOutCooldownSeconds: number;
    };
    /** Dev cost schedule (seed 001 AC-COST-1/2): scale to zero out of hours. */
    devSchedule?: DevSchedule;
}

/**
 * A Fargate service (web service or queue worker) in the private subnets without public IPs,
 * spread over the AZs of those subnets (Fargate places tasks across the given subnets' zones),
 * with the deployment circuit breaker (rollback), ECS Exec, target-tracking autoscaling and, in
 * dev, the out-of-hours schedule. Web services get an ip target group and a listener rule that
 * forwards only requests carrying the origin-verify header.
 *
 * Costs (ap-northeast-1, x86): $0.05056 per vCPU-hour + $0.00553 per GB-hour per task
 * (0.5 vCPU / 1 GB ~ $22/month per task); Fargate Spot is ~70% cheaper.
 */
export class FargateService extends pulumi.ComponentResource {
    public readonly serviceName: pulumi.Output<string>;
    public readonly targetGroupArnSuffix?: pulumi.Output<string>;

    constructor(name: string, args: FargateServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:compute:FargateService", name, {}, opts);
        const { c } = args;
        const child = { parent: this };
        let targetGroup: aws.lb.TargetGroup | undefined;
        let rule: aws.lb.ListenerRule | undefined;
        const r = args.routing;
        if (r) {
            targetGroup = new aws.lb.TargetGroup(
                `${name}-tg`,
                {
                    port: r.port,
                    protocol: "HTTP",
                    protocolVersion: "HTTP1",
                    targetType: "ip",
                    vpcId: c.network.vpcId,
                    deregistrationDelay: 30,
                    healthCheck: {
                        enabled: true,
                        protocol: "HTTP",
                        path: r.healthCheck.path,
                        matcher: r.healthCheck.matcher,
                        interval: r.healthCheck.intervalSeconds,
                        timeout: r.healthCheck.timeoutSeconds,
                        healthyThreshold: r.healthCheck.healthyThreshold,
                        unhealthyThreshold: r.healthCheck.unhealthyThreshold,
                    },
                    tags: { Name: `${c.ctx.namePrefix}-${args.workload}` },
                },
                child,
            );
            const conditions: aws.types.input.lb.ListenerRuleCondition[] = [];
            if (r.paths.length > 0) conditions.push({ pathPattern: { values: [...r.paths] } });
            if (r.hosts.length > 0) conditions.push({ hostHeader: { values: [...r.hosts] } });
            conditions.push({ httpHeader: { httpHeaderName: r.originVerifyHeader.name, values: [r.originVerifyHeader.value] } });
            rule = new aws.lb.ListenerRule(
                `${name}-rule`,
                { listenerArn: r.listenerArn, priority: r.priority, actions: [{ type: "forward", targetGroupArn: targetGroup.arn }], conditions },
                child,
            );
            this.targetGroupArnSuffix = targetGroup.arnSuffix;
        }

        const service = new aws.ecs.Service(
            `${name}-service`,
            {
                name: args.workload,
                cluster: args.clusterArn,
                taskDefinition: args.task.arn,
                desiredCount: args.minTasks,
                capacityProviderStrategies: [{ capacityProvider: args.spot ? "FARGATE_SPOT" : "FARGATE", weight: 1, base: 0 }],
                platformVersion: "LATEST",
                networkConfiguration: { subnets: c.network.privateSubnetIds, securityGroups: [c.network.securityGroupIds.ecs], assignPublicIp: false },
                deploymentCircuitBreaker: { enable: true, rollback: true },
                deploymentMinimumHealthyPercent: 100,
                deploymentMaximumPercent: 200,
                availabilityZoneRebalancing: "ENABLED",
                enableExecuteCommand: args.enableExecuteCommand,
                enableEcsManagedTags: true,
                propagateTags: "SERVICE",
                waitForSteadyState: false,
                ...(r && targetGroup
                    ? {
                          healthCheckGracePeriodSeconds: r.healthCheck.gracePeriodSeconds,
                          loadBalancers: [{ targetGroupArn: targetGroup.arn, containerName: args.workload, containerPort: r.port }],
                      }
                    : {}),
            },
            // Autoscaling owns the running count after creation.
            { parent: this, dependsOn: [...(rule ? [rule] : []), ...(args.capacityProviders ? [args.capacityProviders] : [])], ignoreChanges: ["desiredCount"] },
        );
        this.serviceName = service.name;

        const target = new aws.appautoscaling.Target(
            `${name}-scaling`,
            {
                serviceNamespace: "ecs",
                scalableDimension: "ecs:service:DesiredCount",
                resourceId: pulumi.interpolate`service/${args.clusterName}/${service.name}`,
                minCapacity: args.minTasks,
                maxCapacity: args.maxTasks,
            },
            child,
        );
        const s = args.scaling;
        const tracking = (role: string, config: aws.types.input.appautoscaling.PolicyTargetTrackingScalingPolicyConfiguration) =>
            new aws.appautoscaling.Policy(
                `${name}-scale-${role}`,
                {
                    policyType: "TargetTrackingScaling",
                    resourceId: target.resourceId,
                    scalableDimension: target.scalableDimension,
                    serviceNamespace: target.serviceNamespace,
                    targetTrackingScalingPolicyConfiguration: { scaleInCooldown: s.scaleInCooldownSeconds, scaleOutCooldown: s.scaleOutCooldownSeconds, ...config },
                },
                child,
            );
        tracking("cpu", { targetValue: s.cpuTarget, predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" } });
        if (s.memoryTarget !== undefined) {
            tracking("memory", { targetValue: s.memoryTarget, predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageMemoryUtilization" } });
        }
        if (r && targetGroup && s.scaleOutAtRequestsPerSecond) {
            tracking("requests", {
                targetValue: requestsPerTargetPerMinute(s.scaleOutAtRequestsPerSecond, Math.max(args.minTasks, 1)),
                predefinedMetricSpecification: {
                    predefinedMetricType: "ALBRequestCountPerTarget",
                    resourceLabel: pulumi.all([r.albArnSuffix, targetGroup.arnSuffix]).apply(([lb, tg]) => albResourceLabel(lb, tg)),
                },
            });
        }
        if (s.backlog) {
            tracking("backlog", {
                targetValue: s.backlog.perTask,
                customizedMetricSpecification: {
                    metrics: [
                        {
                            id: "m1",
                            label: "visible messages",
                            returnData: false,
                            metricStat: {
                                metric: { namespace: "AWS/SQS", metricName: "ApproximateNumberOfMessagesVisible", dimensions: [{ name: "QueueName", value: s.backlog.queueName }] },
                                stat: "Sum",
                            },
                        },
                        {
                            id: "m2",
                            label: "running tasks",
                            returnData: false,
                            metricStat: {
                                metric: {
                                    namespace: "ECS/ContainerInsights",
                                    metricName: "RunningTaskCount",
                                    dimensions: [
                                        { name: "ClusterName", value: args.clusterName },
                                        { name: "ServiceName", value: service.name },
                                    ],
                                },
                                stat: "Average",
                            },
                        },
                        { id: "e1", label: "backlog per task", expression: BACKLOG_PER_TASK_EXPRESSION, returnData: true },
                    ],
                },
            });
        }
        if (args.devSchedule) {
            for (const a of devScheduledActions(args.devSchedule, { min: args.minTasks, max: args.maxTasks })) {
                new aws.appautoscaling.ScheduledAction(
                    `${name}-dev-${a.role}`,
                    {
                        name: `${c.ctx.namePrefix}-${args.workload}-dev-${a.role}`,
                        serviceNamespace: target.serviceNamespace,
                        resourceId: target.resourceId,
                        scalableDimension: target.scalableDimension,
                        schedule: a.schedule,
                        timezone: a.timezone,
                        scalableTargetAction: { minCapacity: a.min, maxCapacity: a.max },
                    },
                    child,
                );
            }
        }
        this.registerOutputs({ serviceName: this.serviceName });
    }
}
