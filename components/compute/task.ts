import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { accessEnvironment, resolveAccess, secretGrant, secretIdentity, secretRef } from "./access";
import { containerDefinitions, taskVolumes } from "./container";
import { managedPolicyArn, type ComputeContext } from "./context";
import { accessStatements, ecsExecStatements, executionSecretStatements, policyDocument, Statement, trustPolicy } from "./iam";
import * as naming from "./naming";
import type { AccessView } from "./schema";

export interface ContainerTaskArgs {
    c: ComputeContext;
    /** Workload key (service, worker or job name). */
    workload: string;
    kind: "web" | "worker" | "job";
    image: pulumi.Input<string>;
    cpu: number;
    memory: number;
    architecture: "X86_64" | "ARM64";
    port?: number;
    command?: readonly string[];
    environment: Readonly<Record<string, string>>;
    /** ENV_NAME -> secret key of DataOutputs.secrets, injected by ECS. */
    secretEnv: Readonly<Record<string, string>>;
    access: AccessView;
    /** Extra plain environment values computed by the tier (e.g. the worker's queue URL). */
    extraEnvironment?: Readonly<Record<string, pulumi.Input<string>>>;
    readonlyRootFilesystem: boolean;
    user?: string;
    /**
     * ECS Exec: the session key (key or alias ARN) and the log group ARN the task role must reach,
     * built from names so the policy is known in a first preview (EcsCluster.exec).
     */
    exec?: { keyArn: pulumi.Input<string>; logGroupArn: pulumi.Input<string> };
}

/**
 * One ECS task definition with its roles and log group: the shared core of services, workers and
 * jobs.
 *
 * - Log group `/platform/<prefix>/ecs/<workload>` (logs CMK, retention from config), awslogs driver.
 * - Execution role: AmazonECSTaskExecutionRolePolicy (ECR pull, log writes) plus GetSecretValue on
 *   exactly the secrets in `secretEnv` and kms:Decrypt on their keys.
 * - Task role: the workload's declared access (iam.ts) and the ECS Exec channels when enabled.
 * - Container: secrets through `secrets` (valueFrom ARN), plain values and resource names through
 *   `environment`, read-only root filesystem with a writable /tmp, not privileged, optional user.
 */
export class ContainerTask extends pulumi.ComponentResource {
    public readonly arn: pulumi.Output<string>;
    public readonly family: pulumi.Output<string>;
    public readonly taskRoleArn: pulumi.Output<string>;
    public readonly executionRoleArn: pulumi.Output<string>;
    /** Role names (auto-names, known in a first preview, unlike the ARNs). */
    public readonly taskRoleName: pulumi.Output<string>;
    public readonly executionRoleName: pulumi.Output<string>;
    public readonly logGroupName: pulumi.Output<string>;
    public readonly logGroupArn: pulumi.Output<string>;
    /** The task role's policy document (JSON), for tests and reviews. */
    public readonly taskPolicy: pulumi.Output<string>;

    constructor(name: string, args: ContainerTaskArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:compute:ContainerTask", name, {}, opts);
        const { c } = args;
        const child = { parent: this };
        const prefix = c.ctx.namePrefix;
        const where = `compute.${args.kind === "web" ? "services" : args.kind === "worker" ? "workers" : "jobs"}.${args.workload}`;

        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { name: `/platform/${prefix}/ecs/${args.workload}`, retentionInDays: c.logRetentionDays, kmsKeyId: c.ctx.logsKeyArn },
            child,
        );

        const trust = c.ctx.accountId.apply((id) => JSON.stringify(trustPolicy("ecs-tasks.amazonaws.com", id)));
        const executionRole = new aws.iam.Role(`${name}-execution-role`, { description: `ECS execution role of ${prefix} ${args.workload}`, assumeRolePolicy: trust }, child);
        new aws.iam.RolePolicyAttachment(
            `${name}-execution-managed`,
            { role: executionRole.name, policyArn: c.ctx.partition.apply((p) => managedPolicyArn(p, "AmazonECSTaskExecutionRolePolicy")) },
            child,
        );
        const injected = Object.entries(args.secretEnv).map(([env, key]) => ({ env, key, ref: secretRef(c.data, key, `${where}.secretEnv.${env}`) }));
        if (injected.length > 0) {
            new aws.iam.RolePolicy(
                `${name}-execution-secrets`,
                {
                    role: executionRole.id,
                    // Built from the secrets' names (or the RDS secret's cluster), known at first preview.
                    policy: pulumi
                        .all([pulumi.all(injected.map((i) => secretIdentity(i.ref))), c.facts])
                        .apply(([identities, f]) =>
                            JSON.stringify(policyDocument(executionSecretStatements(identities.map((s, n) => secretGrant(f, prefix, injected[n].key, s)), f))),
                        ),
                },
                child,
            );
        }

        const taskRole = new aws.iam.Role(`${name}-task-role`, { description: `ECS task role of ${prefix} ${args.workload}`, assumeRolePolicy: trust }, child);
        const resolved = resolveAccess(where, args.access, { prefix, data: c.data, facts: c.facts });
        const exec = args.exec ? pulumi.all([args.exec.keyArn, args.exec.logGroupArn]) : pulumi.output(undefined);
        this.taskPolicy = pulumi.all([resolved, c.facts, exec]).apply(([r, f, e]) => {
            const statements: Statement[] = [...accessStatements(r, f), ...(e ? ecsExecStatements(e[0], e[1]) : [])];
            return JSON.stringify(policyDocument(statements));
        });
        const hasStatements = args.exec !== undefined || hasAccess(args.access);
        if (hasStatements) {
            new aws.iam.RolePolicy(`${name}-task-policy`, { role: taskRole.id, policy: this.taskPolicy }, child);
        }

        const environment = pulumi
            .all([accessEnvironment(args.access, { prefix, data: c.data, facts: c.facts }), pulumi.output(args.extraEnvironment ?? {})])
            .apply(([fromAccess, extra]) => ({ ...args.environment, ...fromAccess, ...(extra as Record<string, string>) }));
        const secrets = pulumi.output(Object.fromEntries(injected.map((i) => [i.env, i.ref.arn]))) as pulumi.Output<Record<string, string>>;

        const task = new aws.ecs.TaskDefinition(
            `${name}-task`,
            {
                family: naming.taskFamily(prefix, args.workload),
                cpu: String(args.cpu),
                memory: String(args.memory),
                networkMode: "awsvpc",
                requiresCompatibilities: ["FARGATE"],
                executionRoleArn: executionRole.arn,
                taskRoleArn: taskRole.arn,
                runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: args.architecture },
                volumes: taskVolumes(args.exec !== undefined, args.readonlyRootFilesystem).map((v) => ({ name: v })),
                containerDefinitions: pulumi.all([pulumi.output(args.image), environment, secrets, logGroup.name]).apply(([image, env, sec, lg]) =>
                    JSON.stringify(
                        containerDefinitions({
                            name: args.workload,
                            image,
                            port: args.port,
                            command: args.command,
                            environment: env,
                            secrets: sec,
                            logGroupName: lg,
                            region: c.ctx.region,
                            readonlyRootFilesystem: args.readonlyRootFilesystem,
                            user: args.user,
                            exec: args.exec !== undefined,
                        }),
                    ),
                ),
            },
            child,
        );
        this.arn = task.arn;
        this.family = task.family;
        this.taskRoleArn = taskRole.arn;
        this.executionRoleArn = executionRole.arn;
        this.taskRoleName = taskRole.name;
        this.executionRoleName = executionRole.name;
        this.logGroupName = logGroup.name;
        this.logGroupArn = logGroup.arn;
        this.registerOutputs({ arn: this.arn, taskRoleArn: this.taskRoleArn, executionRoleArn: this.executionRoleArn });
    }
}

/** True when the declaration grants anything (an empty policy document is invalid). */
export function hasAccess(a: AccessView): boolean {
    return (
        Object.keys(a.tables).length + Object.keys(a.buckets).length + a.secrets.length + Object.keys(a.queues).length + a.topics.length + a.functions.length + a.workflows.length + a.bedrockModels.length >
        0
    );
}
