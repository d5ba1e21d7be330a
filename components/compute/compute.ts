import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { ComputeOutputs, DataOutputs, FunctionRef, LogGroupRef, NetworkOutputs, PlatformContext, QueueRef, ServiceRef } from "../contracts";
import type { Environment } from "../validation";
import { accountFacts } from "./access";
import { EcsCluster } from "./cluster";
import type { ComputeContext } from "./context";
import { EventRules } from "./event-rules";
import { FargateService } from "./fargate-service";
import { LambdaFunction } from "./lambda-function";
import { LoadBalancer } from "./load-balancer";
import { Messaging } from "./messaging";
import { ImageBuild, ImageRepository } from "./repository";
import { ScheduledJob } from "./scheduled-job";
import type { AccessView, ComputeSection, ImageView } from "./schema";
import { ContainerTask } from "./task";
import { WorkQueue } from "./work-queue";
import * as naming from "./naming";
import { Workflow } from "./workflow";

export interface ComputeArgs {
    /** The validated `compute` section of the stack configuration. */
    config: ComputeSection;
    environment: Environment;
    /** cfg.protectData: protect the ALB and the ECR repositories. */
    protect: boolean;
    ctx: PlatformContext;
    network: NetworkOutputs;
    /** The data tier's outputs: keys (messaging, data), tables, buckets (logs), secrets. */
    data: DataOutputs;
}

type Kind = "svc" | "worker" | "job" | "fn";

/**
 * The compute tier: every workload of `platform:compute` turned into running, scaled, observable,
 * least-privilege compute (seed 001 ComputeStack + MessagingStack, seed 000 INFRA-005/006/007/010,
 * seed 004 services / workers / jobs / functions).
 *
 * Creates: ECR repositories (and awsx image builds), the ECS cluster, the ALB (when a service has a
 * route), SNS topics + EventBridge bus, a work queue + DLQ per worker / queue-triggered function,
 * per service / worker / job a task definition with roles and log group, Fargate services with
 * autoscaling, EventBridge Scheduler schedules for jobs, Lambda functions, Step Functions
 * workflows and EventBridge rules. See components/compute/README.md.
 */
export class Compute extends pulumi.ComponentResource implements ComputeOutputs {
    public readonly cluster: { name: pulumi.Output<string>; arn: pulumi.Output<string> };
    public readonly alb?: ComputeOutputs["alb"];
    public readonly originVerifyHeader?: { name: string; value: pulumi.Output<string> };
    public readonly services: Readonly<Record<string, ServiceRef>>;
    public readonly functions: Readonly<Record<string, FunctionRef>>;
    public readonly queues: Readonly<Record<string, QueueRef>>;
    public readonly topics: Readonly<Record<string, { arn: pulumi.Output<string>; name: pulumi.Output<string> }>>;
    public readonly stateMachines: Readonly<Record<string, { arn: pulumi.Output<string>; name: pulumi.Output<string> }>>;
    public readonly logGroups: readonly LogGroupRef[];
    public readonly eventBusName?: pulumi.Output<string>;
    public readonly repositoryUrls: Readonly<Record<string, pulumi.Output<string>>>;
    /** Task-role / function-role / state-machine policy documents by `<kind>/<name>`, for review and tests. */
    public readonly policies: Readonly<Record<string, pulumi.Output<string>>>;

    constructor(name: string, args: ComputeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:compute:Compute", name, {}, opts);
        const cfg = args.config;
        const child = { parent: this };
        const prefix = args.ctx.namePrefix;
        const c: ComputeContext = {
            ctx: args.ctx,
            network: args.network,
            data: args.data,
            facts: accountFacts(args.ctx),
            environment: args.environment,
            logRetentionDays: cfg.logRetentionDays,
            protect: args.protect,
        };
        const spot = cfg.fargateSpot && args.environment === "dev";
        const devSchedule = cfg.devSchedule.enabled && args.environment === "dev" ? cfg.devSchedule : undefined;
        const logGroups: LogGroupRef[] = [];
        const policies: Record<string, pulumi.Output<string>> = {};

        // ECR repositories: one per `image.repository`, with the Docker builds that target it.
        const containerWorkloads: { kind: Kind; key: string; image: ImageView; arch: "X86_64" | "ARM64" | "x86_64" | "arm64" }[] = [
            ...Object.entries(cfg.services).map(([key, w]) => ({ kind: "svc" as const, key, image: w.image, arch: w.architecture })),
            ...Object.entries(cfg.workers).map(([key, w]) => ({ kind: "worker" as const, key, image: w.image, arch: w.architecture })),
            ...Object.entries(cfg.jobs).map(([key, w]) => ({ kind: "job" as const, key, image: w.image, arch: w.architecture })),
            ...Object.entries(cfg.functions).flatMap(([key, f]) => (f.image ? [{ kind: "fn" as const, key, image: f.image, arch: f.architecture }] : [])),
        ];
        const repoKeys = [...new Set(containerWorkloads.flatMap((w) => (w.image.repository ? [w.image.repository] : [])))].sort();
        const repos: Record<string, ImageRepository> = {};
        for (const repo of repoKeys) {
            const users = containerWorkloads.filter((w) => w.image.repository === repo);
            const builds: ImageBuild[] = users
                .filter((w) => w.image.context !== undefined)
                .map((w) => ({
                    workload: `${w.kind}-${w.key}`,
                    context: w.image.context!,
                    dockerfile: w.image.dockerfile,
                    tag: w.image.tag,
                    platform: w.arch.toLowerCase() === "arm64" ? "linux/arm64" : "linux/amd64",
                }));
            repos[repo] = new ImageRepository(
                `${name}-repo-${repo}`,
                { c, repository: repo, keepLastImages: cfg.ecr.keepLastImages, untaggedExpireDays: cfg.ecr.untaggedExpireDays, lambdaPull: users.some((w) => w.kind === "fn"), builds },
                child,
            );
        }
        const imageOf = (kind: Kind, key: string, image: ImageView): pulumi.Output<string> => {
            if (image.uri) {
                return pulumi.output(image.uri);
            }
            const repo = repos[image.repository!];
            if (image.context) {
                return repo.builtImages[`${kind}-${key}`];
            }
            return pulumi.interpolate`${repo.repositoryUrl}:${image.tag!}`;
        };
        this.repositoryUrls = Object.fromEntries(Object.entries(repos).map(([k, r]) => [k, r.repositoryUrl]));

        // Messaging: topics (policies pinned to the rules that target them) and the bus.
        const rules = cfg.eventBus.enabled ? cfg.eventBus.rules : {};
        const rulesTargeting = (kind: "topics" | "queues", key: string) =>
            Object.entries(rules)
                .filter(([, r]) => r.targets[kind].includes(key))
                .map(([rk]) => rk);
        const messaging = new Messaging(
            `${name}-messaging`,
            {
                c,
                topics: cfg.topics,
                eventBus: cfg.eventBus.enabled,
                rulesByTopic: Object.fromEntries(Object.keys(cfg.topics).map((t) => [t, rulesTargeting("topics", t)])),
            },
            child,
        );
        this.topics = messaging.topics;
        this.eventBusName = messaging.busName;
        const topicArns: Record<string, pulumi.Output<string>> = Object.fromEntries(Object.entries(messaging.topics).map(([k, t]) => [k, t.arn]));

        // ECS cluster, when any container workload runs on it.
        const ecsNeeded = Object.keys(cfg.services).length + Object.keys(cfg.workers).length + Object.keys(cfg.jobs).length > 0;
        const cluster = ecsNeeded
            ? new EcsCluster(`${name}-ecs`, { c, containerInsights: cfg.cluster.containerInsights, executeCommand: cfg.cluster.executeCommand, spot }, child)
            : undefined;
        this.cluster = cluster ? { name: cluster.name, arn: cluster.arn } : { name: pulumi.output(""), arn: pulumi.output("") };
        if (cluster?.execLogGroupArn) {
            logGroups.push({ name: pulumi.output(`/platform/${prefix}/ecs-exec`), arn: cluster.execLogGroupArn, kind: "audit", owner: "ecs-exec" });
        }
        const exec = cluster?.exec;

        // ALB, when a service is routed.
        const routed = Object.values(cfg.services).some((s) => s.route !== undefined);
        const lb = routed
            ? new LoadBalancer(
                  `${name}-ingress`,
                  {
                      c,
                      certificateArn: cfg.alb.certificateArn,
                      deletionProtection: cfg.alb.deletionProtection,
                      idleTimeoutSeconds: cfg.alb.idleTimeoutSeconds,
                      originVerifyHeaderName: cfg.alb.originVerifyHeaderName,
                  },
                  child,
              )
            : undefined;
        if (lb) {
            this.alb = { arn: lb.arn, arnSuffix: lb.arnSuffix, dnsName: lb.dnsName, zoneId: lb.zoneId, listenerArn: lb.listenerArn, originProtocol: lb.originProtocol };
            this.originVerifyHeader = lb.originVerifyHeader;
        }

        const services: Record<string, ServiceRef> = {};
        const queues: Record<string, QueueRef> = {};
        const queueArns: Record<string, pulumi.Output<string>> = {};
        const containerTask = (kind: "web" | "worker" | "job", childName: string, key: string, w: ComputeSection["services"][string] | ComputeSection["workers"][string] | ComputeSection["jobs"][string], extra: { port?: number; access?: AccessView; env?: Record<string, pulumi.Input<string>> }) => {
            const task = new ContainerTask(
                childName,
                {
                    c,
                    workload: key,
                    kind,
                    image: imageOf(kind === "web" ? "svc" : kind, key, w.image),
                    cpu: w.cpu,
                    memory: w.memory,
                    architecture: w.architecture,
                    port: extra.port,
                    command: w.command,
                    environment: w.environment,
                    secretEnv: w.secretEnv,
                    access: extra.access ?? w.access,
                    extraEnvironment: extra.env,
                    readonlyRootFilesystem: w.readonlyRootFilesystem,
                    user: w.user,
                    exec,
                },
                child,
            );
            logGroups.push({ name: task.logGroupName, arn: task.logGroupArn, kind: "application", owner: key });
            policies[`${kind}/${key}`] = task.taskPolicy;
            return task;
        };

        for (const [key, s] of Object.entries(cfg.services)) {
            const task = containerTask("web", `${name}-svc-${key}`, key, s, { port: s.port });
            const svc = new FargateService(
                `${name}-svc-${key}`,
                {
                    c,
                    workload: key,
                    kind: "web",
                    task,
                    clusterName: cluster!.name,
                    clusterArn: cluster!.arn,
                    capacityProviders: cluster!.capacityProviders,
                    minTasks: s.minTasks,
                    maxTasks: s.maxTasks,
                    spot,
                    enableExecuteCommand: exec !== undefined,
                    routing:
                        s.route && lb
                            ? {
                                  listenerArn: lb.listenerArn,
                                  albArnSuffix: lb.arnSuffix,
                                  port: s.port,
                                  paths: s.route.paths,
                                  hosts: s.route.hosts,
                                  priority: s.route.priority,
                                  healthCheck: s.healthCheck,
                                  originVerifyHeader: lb.originVerifyHeader,
                              }
                            : undefined,
                    scaling: {
                        cpuTarget: s.scaling.cpuTarget,
                        memoryTarget: s.scaling.memoryTarget,
                        scaleOutAtRequestsPerSecond: s.route ? s.scaling.scaleOutAtRequestsPerSecond : null,
                        scaleInCooldownSeconds: s.scaling.scaleInCooldownSeconds,
                        scaleOutCooldownSeconds: s.scaling.scaleOutCooldownSeconds,
                    },
                    devSchedule,
                },
                child,
            );
            services[key] = { name: key, serviceName: svc.serviceName, targetGroupArnSuffix: svc.targetGroupArnSuffix, minTasks: s.minTasks, maxTasks: s.maxTasks, cpu: s.cpu, memory: s.memory, kind: "web" };
        }

        for (const [key, w] of Object.entries(cfg.workers)) {
            const queue = new WorkQueue(
                `${name}-worker-${key}`,
                {
                    c,
                    owner: key,
                    visibilityTimeoutSeconds: w.visibilityTimeoutSeconds,
                    maxReceiveCount: w.maxReceiveCount,
                    retentionDays: w.retentionDays,
                    subscriptions: Object.fromEntries(w.subscribe.map((t) => [t, topicArns[t]])),
                    sourceRules: rulesTargeting("queues", key),
                },
                child,
            );
            queues[key] = { name: key, queueName: queue.name, arn: queue.arn, url: queue.url, dlqName: queue.dlqName, dlqArn: queue.dlqArn };
            queueArns[key] = queue.arn;
            const task = containerTask("worker", `${name}-worker-${key}`, key, w, {
                access: { ...w.access, queues: { ...w.access.queues, [key]: "consume" } },
                env: { QUEUE_URL: queue.url, QUEUE_BATCH_SIZE: String(w.batchSize), QUEUE_VISIBILITY_TIMEOUT_SECONDS: String(w.visibilityTimeoutSeconds) },
            });
            const svc = new FargateService(
                `${name}-worker-${key}`,
                {
                    c,
                    workload: key,
                    kind: "worker",
                    task,
                    clusterName: cluster!.name,
                    clusterArn: cluster!.arn,
                    capacityProviders: cluster!.capacityProviders,
                    minTasks: w.minTasks,
                    maxTasks: w.maxTasks,
                    spot,
                    enableExecuteCommand: exec !== undefined,
                    scaling: {
                        cpuTarget: w.scaling.cpuTarget,
                        backlog: { queueName: queue.name, perTask: w.scaling.backlogPerTask },
                        scaleInCooldownSeconds: w.scaling.scaleInCooldownSeconds,
                        scaleOutCooldownSeconds: w.scaling.scaleOutCooldownSeconds,
                    },
                    devSchedule,
                },
                child,
            );
            services[key] = { name: key, serviceName: svc.serviceName, minTasks: w.minTasks, maxTasks: w.maxTasks, cpu: w.cpu, memory: w.memory, kind: "worker" };
        }

        // One dead-letter queue for every EventBridge Scheduler target (jobs and scheduled functions).
        const scheduled = Object.keys(cfg.jobs).length > 0 || Object.values(cfg.functions).some((f) => f.triggers.schedule !== undefined);
        let schedulerDlq: aws.sqs.Queue | undefined;
        if (scheduled) {
            const key = args.data.keys.messaging;
            if (key === undefined) {
                throw new Error("compute: the scheduler dead-letter queue is encrypted with DataOutputs.keys.messaging, which the data tier does not expose");
            }
            schedulerDlq = new aws.sqs.Queue(
                `${name}-scheduler-dlq`,
                { name: naming.schedulerDlqName(prefix), kmsMasterKeyId: key.arn, kmsDataKeyReusePeriodSeconds: 300, messageRetentionSeconds: 14 * 86400 },
                child,
            );
        }

        for (const [key, j] of Object.entries(cfg.jobs)) {
            const task = containerTask("job", `${name}-job-${key}`, key, j, { env: { JOB_TIMEOUT_SECONDS: String(j.timeoutSeconds) } });
            new ScheduledJob(
                `${name}-job-${key}`,
                {
                    c,
                    workload: key,
                    task,
                    clusterArn: cluster!.arn,
                    schedule: j.schedule,
                    timezone: j.timezone,
                    retries: j.retries,
                    maxEventAgeSeconds: j.maxEventAgeSeconds,
                    flexibleWindowMinutes: j.flexibleWindowMinutes,
                    dlqArn: schedulerDlq!.arn,
                    spot,
                },
                child,
            );
            services[key] = { name: key, serviceName: task.family, minTasks: 0, maxTasks: 1, cpu: j.cpu, memory: j.memory, kind: "job" };
        }

        const functions: Record<string, FunctionRef> = {};
        const fnComponents: Record<string, LambdaFunction> = {};
        for (const [key, f] of Object.entries(cfg.functions)) {
            const fn = new LambdaFunction(
                `${name}-fn-${key}`,
                {
                    c,
                    key,
                    spec: f,
                    imageUri: f.image ? imageOf("fn", key, f.image) : undefined,
                    topicArns,
                    sourceRules: rulesTargeting("queues", key),
                    schedulerDlqArn: schedulerDlq?.arn,
                },
                child,
            );
            fnComponents[key] = fn;
            functions[key] = { name: key, functionName: fn.functionName, arn: fn.arn, invokeArn: fn.invokeArn, timeoutSeconds: f.timeoutSeconds, memoryMb: f.memoryMb };
            logGroups.push({ name: fn.logGroupName, arn: fn.logGroupArn, kind: "application", owner: key });
            policies[`fn/${key}`] = fn.policy;
            if (fn.queue) {
                queues[key] = { name: key, queueName: fn.queue.name, arn: fn.queue.arn, url: fn.queue.url, dlqName: fn.queue.dlqName, dlqArn: fn.queue.dlqArn };
                queueArns[key] = fn.queue.arn;
            }
        }

        const stateMachines: Record<string, { arn: pulumi.Output<string>; name: pulumi.Output<string> }> = {};
        for (const [key, w] of Object.entries(cfg.workflows)) {
            // Depends on the functions it invokes so a first run never references a missing function.
            const dependsOn = [...new Set(w.steps.map((s) => fnComponents[s.function]).filter((f) => f !== undefined))];
            const wf = new Workflow(`${name}-wf-${key}`, { c, key, spec: w }, { parent: this, dependsOn });
            stateMachines[key] = { arn: wf.arn, name: wf.name };
            logGroups.push({ name: wf.logGroupName, arn: wf.logGroupArn, kind: "workflow", owner: key });
            policies[`workflow/${key}`] = wf.policy;
        }

        if (cfg.eventBus.enabled && messaging.busName && Object.keys(rules).length > 0) {
            new EventRules(`${name}-rules`, { c, busName: messaging.busName, rules, topicArns, queueArns }, child);
        }

        this.services = services;
        this.functions = functions;
        this.queues = queues;
        this.stateMachines = stateMachines;
        this.logGroups = logGroups;
        this.policies = policies;
        this.registerOutputs({
            clusterArn: this.cluster.arn,
            albDnsName: this.alb?.dnsName,
            functions: Object.fromEntries(Object.entries(functions).map(([k, f]) => [k, f.arn])),
            queues: Object.fromEntries(Object.entries(queues).map(([k, q]) => [k, q.url])),
            stateMachines: Object.fromEntries(Object.entries(stateMachines).map(([k, s]) => [k, s.arn])),
        });
    }
}

