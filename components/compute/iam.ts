/**
 * Least-privilege IAM statements for the compute workloads, as pure functions of plain ARNs.
 *
 * Each workload's `access` declaration (schema.ts) becomes named actions on named ARNs (seed 001
 * "IAM設計", seed 000 INFRA-010): S3 object actions on a bucket prefix, DynamoDB item actions on
 * named tables and their indexes, SQS/SNS on named queues/topics, GetSecretValue on named secrets,
 * and KMS on exactly the keys behind them (pinned with kms:ViaService). `Resource: "*"` appears
 * only for actions in policypack/allowlists.ts UNSCOPABLE_ACTIONS, which `assertScoped` enforces.
 */
import { UNSCOPABLE_ACTIONS } from "../../policypack/allowlists";

export interface Statement {
    Sid: string;
    Effect: "Allow";
    Action: string[];
    Resource: string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: Statement[];
}

export type Mode = "read" | "write" | "readWrite";

export const DYNAMODB_READ = ["dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:Query"];
export const DYNAMODB_WRITE = ["dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"];
export const S3_READ = ["s3:GetObject"];
export const S3_WRITE = ["s3:AbortMultipartUpload", "s3:PutObject"];
export const SQS_SEND = ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"];
export const SQS_CONSUME = ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ReceiveMessage"];
export const SNS_PUBLISH = ["sns:Publish"];
export const SECRET_READ = ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"];
export const LAMBDA_INVOKE = ["lambda:InvokeFunction"];
export const STATES_START = ["states:StartExecution"];
export const BEDROCK_INVOKE = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"];
export const XRAY_WRITE = ["xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments"];
export const ECS_EXEC_CHANNELS = ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"];
/** CloudWatch Logs vended-log delivery (Step Functions logging); AWS accepts only Resource "*". */
export const LOG_DELIVERY = [
    "logs:CreateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:DescribeLogGroups",
    "logs:DescribeResourcePolicies",
    "logs:GetLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:UpdateLogDelivery",
];

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

/** `documents` -> `Documents`, `email-webhook` -> `EmailWebhook` (Sids are alphanumeric). */
export function sidPart(key: string): string {
    return key
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean)
        .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
        .join("");
}

function modeActions(mode: Mode, read: string[], write: string[]): string[] {
    return sorted(mode === "read" ? read : mode === "write" ? write : [...read, ...write]);
}

export interface AccountFacts {
    partition: string;
    region: string;
    accountId: string;
}

/**
 * The tag RDS puts on a master secret it manages, with the ARN of the DB cluster it belongs to. An
 * `aws:` tag: only AWS sets it, no principal can add, change or remove it.
 */
export const RDS_SECRET_CLUSTER_TAG = "secretsmanager:ResourceTag/aws:rds:primaryDBClusterArn";

/**
 * One secret to grant: `arn` is the secret's ARN or the pattern built from its name
 * (naming.secretArnPattern); for an RDS-managed master secret it is
 * naming.rdsClusterSecretArnPattern (`secret:rds!cluster-*`), and `rdsClusterArn` narrows the
 * grant to the secret RDS tagged with that cluster (RDS_SECRET_CLUSTER_TAG).
 */
export interface SecretGrant {
    key: string;
    arn: string;
    kmsKeyArn: string;
    rdsClusterArn?: string;
}

/** A workload's access declaration with every name resolved to its ARN. */
export interface ResolvedAccess {
    tables: { key: string; arn: string; mode: Mode }[];
    buckets: { key: string; arn: string; mode: Mode; prefix: string; kmsKeyArn?: string }[];
    secrets: SecretGrant[];
    queues: { key: string; arn: string; mode: "send" | "consume" }[];
    topics: { key: string; arn: string }[];
    functions: { key: string; arn: string }[];
    workflows: { key: string; arn: string }[];
    bedrockModels: string[];
    /** CMK of the DynamoDB tables (DataOutputs.keys.data). */
    dataKeyArn?: string;
    /** CMK of the SQS queues and SNS topics (DataOutputs.keys.messaging). */
    messagingKeyArn?: string;
}

export const EMPTY_ACCESS: ResolvedAccess = { tables: [], buckets: [], secrets: [], queues: [], topics: [], functions: [], workflows: [], bedrockModels: [] };

/**
 * A KMS key reference is either a key ARN or `arn:<partition>:kms:<region>:<account>:alias/<name>`
 * (an alias ARN, known before the key exists). An alias becomes `key/*` in that account and region
 * restricted with `ForAnyValue:StringEquals kms:ResourceAliases` to the alias (key policies and
 * grants still apply): the same single key, expressed without its random id.
 */
export function kmsKeyScope(ref: string): { resource: string; condition: Record<string, Record<string, string | string[]>> } {
    const m = /^(arn:[^:]+:kms:[^:]+:[^:]+:)(alias\/.+)$/.exec(ref);
    if (m === null) {
        return { resource: ref, condition: {} };
    }
    return { resource: `${m[1]}key/*`, condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": [m[2]] } } };
}

/** The ARN of a KMS alias (`alias/<name>`), accepted wherever a key reference is. */
export const kmsAliasArn = (f: AccountFacts, alias: string) => `arn:${f.partition}:kms:${f.region}:${f.accountId}:${alias}`;

function kmsResourceAndCondition(ref: string): { Resource: string[]; Condition?: Record<string, Record<string, string | string[]>> } {
    const { resource, condition } = kmsKeyScope(ref);
    return Object.keys(condition).length > 0 ? { Resource: [resource], Condition: condition } : { Resource: [resource] };
}

/** Collects KMS needs per key, so each key gets one statement with its exact actions and services. */
class KmsNeeds {
    private readonly byKey = new Map<string, { actions: Set<string>; via: Set<string> }>();
    add(keyArn: string | undefined, actions: string[], service: string, facts: AccountFacts): void {
        if (!keyArn) {
            return;
        }
        const entry = this.byKey.get(keyArn) ?? { actions: new Set<string>(), via: new Set<string>() };
        actions.forEach((a) => entry.actions.add(a));
        entry.via.add(`${service}.${facts.region}.amazonaws.com`);
        this.byKey.set(keyArn, entry);
    }
    statements(): Statement[] {
        return [...this.byKey.entries()].map(([ref, e], i) => {
            const { resource, condition } = kmsKeyScope(ref);
            return {
                Sid: `KmsForDeclaredData${i + 1}`,
                Effect: "Allow",
                Action: sorted(e.actions),
                Resource: [resource],
                Condition: { StringEquals: { "kms:ViaService": sorted(e.via) }, ...condition },
            };
        });
    }
}

/**
 * Statements granting `actions` on secrets: the secrets named by ARN (or name pattern) together in
 * one `sids.named` statement; each RDS-managed secret in its own `<sids.rdsManaged><Key>`
 * statement, on `secret:rds!cluster-*` with `StringEquals` RDS_SECRET_CLUSTER_TAG = its cluster's
 * ARN (a condition applies to a whole statement, so it cannot share one with the named secrets).
 */
function secretStatements(sids: { named: string; rdsManaged: string }, actions: string[], secrets: SecretGrant[]): Statement[] {
    const named = secrets.filter((s) => s.rdsClusterArn === undefined);
    const out: Statement[] = named.length > 0 ? [{ Sid: sids.named, Effect: "Allow", Action: actions, Resource: sorted(named.map((s) => s.arn)) }] : [];
    // One statement per RDS-managed secret, even when several variables inject it (Sids are unique).
    const rdsManaged = new Map<string, { arn: string; clusterArn: string }>();
    for (const s of secrets) {
        if (s.rdsClusterArn !== undefined) rdsManaged.set(s.key, { arn: s.arn, clusterArn: s.rdsClusterArn });
    }
    for (const [key, s] of rdsManaged) {
        out.push({ Sid: `${sids.rdsManaged}${sidPart(key)}`, Effect: "Allow", Action: actions, Resource: [s.arn], Condition: { StringEquals: { [RDS_SECRET_CLUSTER_TAG]: s.clusterArn } } });
    }
    return out;
}

/** KMS actions a reader / writer of encrypted data needs. */
export const KMS_READ = ["kms:Decrypt"];
export const KMS_WRITE = ["kms:Decrypt", "kms:GenerateDataKey"];
const kmsFor = (mode: Mode | "send" | "consume") => (mode === "read" || mode === "consume" ? KMS_READ : KMS_WRITE);

/** The task-role / function-role statements of one workload's declared access. */
export function accessStatements(a: ResolvedAccess, facts: AccountFacts): Statement[] {
    const out: Statement[] = [];
    const kms = new KmsNeeds();
    for (const t of a.tables) {
        out.push({ Sid: `Table${sidPart(t.key)}${sidPart(t.mode)}`, Effect: "Allow", Action: modeActions(t.mode, DYNAMODB_READ, DYNAMODB_WRITE), Resource: [t.arn, `${t.arn}/index/*`] });
        kms.add(a.dataKeyArn, kmsFor(t.mode), "dynamodb", facts);
    }
    for (const b of a.buckets) {
        out.push({ Sid: `Bucket${sidPart(b.key)}${sidPart(b.mode)}`, Effect: "Allow", Action: modeActions(b.mode, S3_READ, S3_WRITE), Resource: [`${b.arn}/${b.prefix}*`] });
        if (b.mode !== "write") {
            out.push({
                Sid: `Bucket${sidPart(b.key)}List`,
                Effect: "Allow",
                Action: ["s3:ListBucket"],
                Resource: [b.arn],
                ...(b.prefix ? { Condition: { StringLike: { "s3:prefix": [`${b.prefix}*`] } } } : {}),
            });
        }
        kms.add(b.kmsKeyArn, kmsFor(b.mode), "s3", facts);
    }
    out.push(...secretStatements({ named: "ReadDeclaredSecrets", rdsManaged: "ReadRdsManagedSecret" }, SECRET_READ, a.secrets));
    a.secrets.forEach((s) => kms.add(s.kmsKeyArn, KMS_READ, "secretsmanager", facts));
    for (const q of a.queues) {
        out.push({ Sid: `Queue${sidPart(q.key)}${sidPart(q.mode)}`, Effect: "Allow", Action: q.mode === "send" ? SQS_SEND : SQS_CONSUME, Resource: [q.arn] });
        kms.add(a.messagingKeyArn, kmsFor(q.mode), "sqs", facts);
    }
    if (a.topics.length > 0) {
        out.push({ Sid: "PublishDeclaredTopics", Effect: "Allow", Action: SNS_PUBLISH, Resource: sorted(a.topics.map((t) => t.arn)) });
        kms.add(a.messagingKeyArn, KMS_WRITE, "sns", facts);
    }
    if (a.functions.length > 0) {
        out.push({ Sid: "InvokeDeclaredFunctions", Effect: "Allow", Action: LAMBDA_INVOKE, Resource: sorted(a.functions.flatMap((f) => [f.arn, `${f.arn}:*`])) });
    }
    if (a.workflows.length > 0) {
        out.push({ Sid: "StartDeclaredWorkflows", Effect: "Allow", Action: STATES_START, Resource: sorted(a.workflows.map((w) => w.arn)) });
    }
    if (a.bedrockModels.length > 0) {
        out.push({
            Sid: "InvokeDeclaredBedrockModels",
            Effect: "Allow",
            Action: BEDROCK_INVOKE,
            Resource: sorted(a.bedrockModels.map((m) => `arn:${facts.partition}:bedrock:${facts.region}::foundation-model/${m}`)),
        });
    }
    return [...out, ...kms.statements()];
}

/** Execution role: GetSecretValue on exactly the secrets injected into the container, and their keys. */
export function executionSecretStatements(secrets: SecretGrant[], facts: AccountFacts): Statement[] {
    if (secrets.length === 0) {
        return [];
    }
    const kms = new KmsNeeds();
    secrets.forEach((s) => kms.add(s.kmsKeyArn, KMS_READ, "secretsmanager", facts));
    return [...secretStatements({ named: "InjectDeclaredSecrets", rdsManaged: "InjectRdsManagedSecret" }, ["secretsmanager:GetSecretValue"], secrets), ...kms.statements()];
}

/** Task role additions for ECS Exec: the SSM channels (unscopable), the session key, the exec log group. */
export function ecsExecStatements(execKeyArn: string, execLogGroupArn: string): Statement[] {
    return [
        { Sid: "EcsExecChannels", Effect: "Allow", Action: ECS_EXEC_CHANNELS, Resource: ["*"] },
        { Sid: "EcsExecSessionKey", Effect: "Allow", Action: ["kms:Decrypt"], ...kmsResourceAndCondition(execKeyArn) },
        { Sid: "EcsExecDescribeLogGroups", Effect: "Allow", Action: ["logs:DescribeLogGroups"], Resource: ["*"] },
        { Sid: "EcsExecWriteSessionLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"], Resource: [`${execLogGroupArn}:*`] },
    ];
}

/** X-Ray segments (Lambda active tracing, Step Functions tracing). */
export function xrayStatement(): Statement {
    return { Sid: "WriteXRayTraces", Effect: "Allow", Action: XRAY_WRITE, Resource: ["*"] };
}

/** Sending to one queue (a DLQ or on-failure destination), with the messaging key. */
export function sendToQueueStatements(sid: string, queueArn: string, messagingKeyArn: string | undefined, facts: AccountFacts): Statement[] {
    const kms = new KmsNeeds();
    kms.add(messagingKeyArn, KMS_WRITE, "sqs", facts);
    return [{ Sid: sid, Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [queueArn] }, ...kms.statements().map((s) => ({ ...s, Sid: `${sid}Key` }))];
}

/** `arn:...:task-definition/<family>:1` -> `arn:...:task-definition/<family>:*` (any revision of the family). */
export function taskDefinitionFamilyArn(taskDefinitionArn: string): string {
    return taskDefinitionArn.replace(/:\d+$/, ":*");
}

/**
 * EventBridge Scheduler role of a job: RunTask of that task-definition family on that cluster,
 * tagging the task it starts, PassRole on exactly the task and execution roles (to ECS only), and
 * the scheduler's dead-letter queue.
 */
export function schedulerRunTaskStatements(args: {
    taskDefinitionArn: string;
    clusterArn: string;
    taskRoleArn: string;
    executionRoleArn: string;
    dlqArn: string;
    messagingKeyArn?: string;
    facts: AccountFacts;
}): Statement[] {
    const clusterName = args.clusterArn.split("/").pop() ?? "";
    return [
        {
            Sid: "RunJobTask",
            Effect: "Allow",
            Action: ["ecs:RunTask"],
            Resource: [taskDefinitionFamilyArn(args.taskDefinitionArn)],
            Condition: { ArnEquals: { "ecs:cluster": args.clusterArn } },
        },
        {
            Sid: "TagJobTask",
            Effect: "Allow",
            Action: ["ecs:TagResource"],
            Resource: [`arn:${args.facts.partition}:ecs:${args.facts.region}:${args.facts.accountId}:task/${clusterName}/*`],
            Condition: { StringEquals: { "ecs:CreateAction": "RunTask" } },
        },
        {
            Sid: "PassJobRoles",
            Effect: "Allow",
            Action: ["iam:PassRole"],
            Resource: sorted([args.taskRoleArn, args.executionRoleArn]),
            Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
        },
        ...sendToQueueStatements("SchedulerDeadLetters", args.dlqArn, args.messagingKeyArn, args.facts),
    ];
}

/** Scheduler role of a scheduled function: invoke exactly that function, and the DLQ. */
export function schedulerInvokeStatements(functionArn: string, dlqArn: string, messagingKeyArn: string | undefined, facts: AccountFacts): Statement[] {
    return [
        { Sid: "InvokeScheduledFunction", Effect: "Allow", Action: LAMBDA_INVOKE, Resource: [functionArn, `${functionArn}:*`] },
        ...sendToQueueStatements("SchedulerDeadLetters", dlqArn, messagingKeyArn, facts),
    ];
}

/** State machine role: invoke exactly its functions (and their versions/aliases), log delivery, X-Ray. */
export function stateMachineStatements(functionArns: string[]): Statement[] {
    return [
        { Sid: "InvokeWorkflowFunctions", Effect: "Allow", Action: LAMBDA_INVOKE, Resource: sorted(functionArns.flatMap((a) => [a, `${a}:*`])) },
        { Sid: "DeliverExecutionLogs", Effect: "Allow", Action: LOG_DELIVERY, Resource: ["*"] },
        xrayStatement(),
    ];
}

/**
 * Trust policy for a service principal. `sourceAccount` adds the confused-deputy guard for the
 * services that send aws:SourceAccount when they assume a role (ECS tasks, Step Functions,
 * EventBridge Scheduler); Lambda does not, so function roles trust lambda.amazonaws.com plainly.
 */
export function trustPolicy(service: string, sourceAccount?: string): object {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "TrustService",
                Effect: "Allow",
                Principal: { Service: service },
                Action: "sts:AssumeRole",
                ...(sourceAccount ? { Condition: { StringEquals: { "aws:SourceAccount": sourceAccount } } } : {}),
            },
        ],
    };
}

/** Throws when a statement uses `*` for an action outside UNSCOPABLE_ACTIONS (or an action wildcard). */
export function assertScoped(statements: Statement[]): void {
    for (const s of statements) {
        for (const action of s.Action) {
            if (action.includes("*")) {
                throw new Error(`IAM statement ${s.Sid}: wildcard action ${action}; name the actions`);
            }
        }
        if (s.Resource.includes("*")) {
            const bad = s.Action.filter((a) => !UNSCOPABLE_ACTIONS.includes(a));
            if (bad.length > 0) {
                throw new Error(`IAM statement ${s.Sid}: Resource "*" for ${bad.join(", ")}, which are not in policypack/allowlists.ts UNSCOPABLE_ACTIONS; scope them to ARNs`);
            }
        }
    }
}

/** A policy document from statements, checked with assertScoped. */
export function policyDocument(statements: Statement[]): PolicyDocument {
    assertScoped(statements);
    return { Version: "2012-10-17", Statement: statements };
}
