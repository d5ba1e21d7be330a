import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { workflowDefinition } from "./asl";
import type { ComputeContext } from "./context";
import { policyDocument, stateMachineStatements, trustPolicy } from "./iam";
import * as naming from "./naming";
import type { ComputeSection } from "./schema";

export interface WorkflowArgs {
    c: ComputeContext;
    key: string;
    spec: ComputeSection["workflows"][string];
}

/**
 * A STANDARD Step Functions state machine (seed 000 INFRA-007: RAG processing / check): Lambda
 * invoke tasks with Retry, Catch and TimeoutSeconds, an execution timeout, logging to a KMS log
 * group (ALL with execution data outside prod, ERROR in prod, unless configured) and X-Ray tracing.
 * Its role may invoke exactly the workflow's functions (and their versions/aliases).
 *
 * Costs: $0.025 per 1,000 state transitions (STANDARD).
 */
export class Workflow extends pulumi.ComponentResource {
    public readonly arn: pulumi.Output<string>;
    public readonly name: pulumi.Output<string>;
    public readonly logGroupName: pulumi.Output<string>;
    public readonly logGroupArn: pulumi.Output<string>;
    public readonly definition: pulumi.Output<string>;
    public readonly policy: pulumi.Output<string>;

    constructor(name: string, args: WorkflowArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:compute:Workflow", name, {}, opts);
        const { c, spec } = args;
        const child = { parent: this };
        const prefix = c.ctx.namePrefix;
        const smName = naming.stateMachineName(prefix, args.key);
        const prod = c.environment === "prod";
        const level = spec.logLevel ?? (prod ? "ERROR" : "ALL");
        const includeExecutionData = spec.includeExecutionData ?? !prod;

        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { name: `/aws/vendedlogs/states/${smName}`, retentionInDays: c.logRetentionDays, kmsKeyId: c.ctx.logsKeyArn },
            child,
        );
        const role = new aws.iam.Role(
            `${name}-role`,
            { description: `Step Functions role of ${smName}`, assumeRolePolicy: c.ctx.accountId.apply((id) => JSON.stringify(trustPolicy("states.amazonaws.com", id))) },
            child,
        );
        const functionArns = c.facts.apply((f) => [...new Set(spec.steps.map((s) => naming.functionArn(f, naming.functionName(prefix, s.function))))]);
        this.policy = functionArns.apply((arns) => JSON.stringify(policyDocument(stateMachineStatements(arns))));
        const policy = new aws.iam.RolePolicy(`${name}-policy`, { role: role.id, policy: this.policy }, child);
        this.definition = c.facts.apply((f) =>
            JSON.stringify(
                workflowDefinition({
                    comment: `${smName}: ${spec.steps.map((s) => s.name).join(" -> ")}`,
                    partition: f.partition,
                    timeoutSeconds: spec.timeoutSeconds,
                    steps: spec.steps.map((s) => ({
                        name: s.name,
                        functionArn: naming.functionArn(f, naming.functionName(prefix, s.function)),
                        timeoutSeconds: s.timeoutSeconds,
                        retry: s.retry,
                    })),
                }),
            ),
        );
        const sm = new aws.sfn.StateMachine(
            `${name}-state-machine`,
            {
                name: smName,
                type: "STANDARD",
                roleArn: role.arn,
                definition: this.definition,
                loggingConfiguration: { level, includeExecutionData, logDestination: pulumi.interpolate`${logGroup.arn}:*` },
                tracingConfiguration: { enabled: true },
            },
            { parent: this, dependsOn: [policy] },
        );
        this.arn = sm.arn;
        this.name = sm.name;
        this.logGroupName = logGroup.name;
        this.logGroupArn = logGroup.arn;
        this.registerOutputs({ arn: this.arn, name: this.name });
    }
}
