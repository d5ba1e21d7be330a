/**
 * Stack configuration of the compute tier (`platform:compute`): the workloads of the stack in the
 * spirit of AWS Copilot manifests (seed 004): web `services` behind the ALB, queue-driven
 * `workers`, scheduled `jobs`, Lambda `functions`, Step Functions `workflows`, plus the SNS
 * `topics` and EventBridge rules that connect them. Each workload declares the data it may touch
 * (`access`), which becomes its least-privilege IAM policy (iam.ts).
 */
import { z } from "zod";
import type { StackConfig } from "../config";
import { logRetentionDays, Report } from "../validation";
import { checkFargateSize, FARGATE_SIZES } from "./fargate";
import { checkScheduleExpression, DEV_SCHEDULE_DEFAULTS, isTimeZone } from "./schedules";

/** Workload, topic and repository keys: they end up in physical names, so keep them short. */
export const workloadName = z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,28}[a-z0-9]$/, "expected a lower-case name of 2-30 letters, digits and dashes, starting with a letter");

/** Data keys as the data tier declares them (camelCase table/bucket/secret names). */
const dataKey = z.string().regex(/^[A-Za-z][A-Za-z0-9-]*$/, "expected a data resource key such as documents or chatSessions");

/** Environment variable names that would carry a secret: those belong in `secretEnv`. */
export const SECRET_LIKE_ENV = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)$/i;

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected an environment variable name such as LOG_LEVEL");

const environment = z
    .record(envName, z.string())
    .default({})
    .superRefine((env, ctx) => {
        for (const key of Object.keys(env)) {
            if (SECRET_LIKE_ENV.test(key)) {
                ctx.addIssue({
                    code: "custom",
                    path: [key],
                    message: `${key} looks like a secret; plain environment values are visible in the task definition. Declare it in secretEnv (${key}: <secret name>) so it is injected from Secrets Manager`,
                });
            }
        }
    });

/** Injected secrets: `ENV_NAME: <secret name>` (a key of DataOutputs.secrets). */
const secretEnv = z.record(envName, dataKey).default({});

const imageTag = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "expected a Docker tag such as 1.4.2 or a git sha");

/**
 * Where a container image comes from: a platform ECR repository plus an immutable tag pushed by CI,
 * a repository plus a Docker build `context` (built and pushed by @pulumi/awsx on `pulumi up`), or
 * an external `uri` pinned to a tag or digest.
 */
export const imageSource = z
    .object({
        repository: workloadName.optional(),
        tag: imageTag.optional(),
        context: z.string().min(1).optional(),
        dockerfile: z.string().min(1).optional(),
        uri: z.string().min(1).optional(),
    })
    .strict()
    .superRefine((img, ctx) => {
        if ((img.repository === undefined) === (img.uri === undefined)) {
            ctx.addIssue({ code: "custom", message: "expected exactly one of image.repository (a platform ECR repository) or image.uri (an external image)" });
            return;
        }
        if (img.uri !== undefined) {
            if (img.tag !== undefined || img.context !== undefined) {
                ctx.addIssue({ code: "custom", message: "image.uri already names the image; remove image.tag / image.context" });
            }
            if (!/(@sha256:[0-9a-f]{64}|:[A-Za-z0-9_][A-Za-z0-9_.-]*)$/.test(img.uri) || /:latest$/.test(img.uri)) {
                ctx.addIssue({ code: "custom", path: ["uri"], message: "expected an image pinned to a tag or digest (not :latest), e.g. public.ecr.aws/org/app:1.2.3" });
            }
            return;
        }
        if (img.tag === undefined && img.context === undefined) {
            ctx.addIssue({ code: "custom", message: "expected image.tag (the immutable tag CI pushed to the repository) or image.context (a Docker build context)" });
        }
        if (img.tag === "latest") {
            ctx.addIssue({ code: "custom", path: ["tag"], message: "repositories have immutable tags: 'latest' can be pushed only once; use a version or git sha" });
        }
        if (img.dockerfile !== undefined && img.context === undefined) {
            ctx.addIssue({ code: "custom", path: ["dockerfile"], message: "image.dockerfile needs image.context" });
        }
    });
export type ImageSource = z.infer<typeof imageSource>;

const accessMode = z.enum(["read", "write", "readWrite"]);
const s3Prefix = z
    .string()
    .regex(/^([A-Za-z0-9!_.'()-]+\/)*$/, "expected an S3 key prefix ending in '/', such as uploads/ (or empty for the whole bucket)");

/** The data a workload may touch; each entry becomes named actions on named ARNs (iam.ts). */
export const access = z
    .object({
        /** DynamoDB tables by data key: read (GetItem/Query/BatchGetItem), write (PutItem/UpdateItem/DeleteItem/BatchWriteItem) or readWrite. */
        tables: z.record(dataKey, accessMode).default({}),
        /** S3 buckets by data key, with a key prefix (seed 001: specific bucket/prefix only). */
        buckets: z.record(dataKey, z.object({ mode: accessMode, prefix: s3Prefix.default("") }).strict()).default({}),
        /** Secrets read at run time (GetSecretValue), by DataOutputs.secrets key. */
        secrets: z.array(dataKey).default([]),
        /** Work queues (a worker's or a function's queue, by workload name): send or consume. */
        queues: z.record(workloadName, z.enum(["send", "consume"])).default({}),
        /** SNS topics of `compute.topics` it publishes to. */
        topics: z.array(workloadName).default([]),
        /** Functions of `compute.functions` it invokes. */
        functions: z.array(workloadName).default([]),
        /** Workflows of `compute.workflows` it starts. */
        workflows: z.array(workloadName).default([]),
        /** Bedrock foundation-model ids it invokes (seed 000 INFRA-010), e.g. anthropic.claude-3-haiku-20240307-v1:0. */
        bedrockModels: z.array(z.string().regex(/^[a-z0-9-]+\.[A-Za-z0-9.:-]+$/, "expected a Bedrock model id such as amazon.titan-embed-text-v2:0")).default([]),
    })
    .strict();
export type Access = z.infer<typeof access>;

const containerBase = {
    image: imageSource,
    /** CPU units (1024 = 1 vCPU). @default 512 */
    cpu: z.number().int().default(512),
    /** Memory in MiB; must be a valid Fargate pair with cpu. @default 1024 */
    memory: z.number().int().default(1024),
    /** @default X86_64 */
    architecture: z.enum(["X86_64", "ARM64"]).default("X86_64"),
    /** Override the image's command. */
    command: z.array(z.string()).optional(),
    /** Plain, non-secret environment values. Resource names (tables, buckets, queues, secret ARNs) are added automatically. */
    environment,
    /** Secrets injected by ECS from Secrets Manager: `ENV_NAME: <secret name>` (never plain values). */
    secretEnv,
    access: access.prefault({}),
    /** Read-only root filesystem (a writable /tmp volume is mounted). Set false only for images that must write elsewhere. @default true */
    readonlyRootFilesystem: z.boolean().default(true),
    /** Container user (`uid`, `uid:gid` or a name) when the image allows a non-root user. */
    user: z.string().regex(/^[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)?$/, "expected uid, uid:gid or a user name").optional(),
};

/** Fargate accepts only fixed cpu/memory pairs (fargate.ts); reported on `<workload>.cpu` or `.memory`. */
function fargateSize(w: { cpu: number; memory: number }, ctx: z.RefinementCtx): void {
    const problem = checkFargateSize(w.cpu, w.memory);
    if (problem) {
        const path = FARGATE_SIZES[w.cpu] === undefined ? "cpu" : "memory";
        ctx.addIssue({ code: "custom", path: [path], message: `${problem} (components/compute/fargate.ts lists the valid pairs)` });
    }
}

const healthCheck = z
    .object({
        path: z.string().regex(/^\/[^\s]*$/, "expected a path starting with /").default("/health"),
        matcher: z.string().regex(/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/, "expected HTTP codes such as 200 or 200-399").default("200-399"),
        intervalSeconds: z.number().int().min(5).max(300).default(30),
        timeoutSeconds: z.number().int().min(2).max(120).default(5),
        healthyThreshold: z.number().int().min(2).max(10).default(2),
        unhealthyThreshold: z.number().int().min(2).max(10).default(3),
        /** ECS ignores failing ALB health checks this long after a task starts. @default 60 */
        gracePeriodSeconds: z.number().int().min(0).max(2147483647).default(60),
    })
    .strict();

/** Target tracking settings services and workers share (each adds its own metric targets). */
const scalingBase = {
    /** Average CPU % the tasks aim for. @default 70 */
    cpuTarget: z.number().min(10).max(95).default(70),
    /** @default 300 */
    scaleInCooldownSeconds: z.number().int().min(0).default(300),
    /** @default 60 */
    scaleOutCooldownSeconds: z.number().int().min(0).default(60),
};

export const service = z
    .object({
        ...containerBase,
        /** Container port; must be the network tier's appPort (the security-group matrix opens only that). @default 8080 */
        port: z.number().int().min(1).max(65535).default(8080),
        /** ALB routing. Without it the service is internal (e.g. the outbox relay of seed 004). */
        route: z
            .object({
                /** Path patterns, e.g. ["/api/*"]. */
                paths: z.array(z.string().regex(/^\/[^\s]*$/, "expected a path pattern starting with /")).max(4).default([]),
                /** Host headers, e.g. ["app.example.com"]. */
                hosts: z.array(z.string().regex(/^[a-z0-9*.-]+$/, "expected a host name such as app.example.com")).max(4).default([]),
                /** Listener-rule priority, unique per ALB (lower wins). */
                priority: z.number().int().min(1).max(50000),
            })
            .strict()
            .refine((r) => r.paths.length + r.hosts.length > 0, { message: "expected route.paths or route.hosts (or remove route for an internal service)" })
            .optional(),
        healthCheck: healthCheck.prefault({}),
        /** @default 2 (seed 001 AC-REL-2 / AC-PERF-3: prod needs at least 2) */
        minTasks: z.number().int().min(0).max(1000).default(2),
        /** @default 10 */
        maxTasks: z.number().int().min(1).max(1000).default(10),
        scaling: z
            .object({
                ...scalingBase,
                memoryTarget: z.number().min(10).max(95).default(75),
                /** Service-wide req/s above which it scales out (seed 001 AC-PERF-2: 100); null disables the request policy. */
                scaleOutAtRequestsPerSecond: z.number().positive().nullable().default(100),
            })
            .strict()
            .prefault({}),
    })
    .strict()
    .superRefine(fargateSize);
export type ServiceConfig = z.infer<typeof service>;

const queueSettings = {
    /** Seconds a received message stays hidden; must cover the processing time. @default 300 */
    visibilityTimeoutSeconds: z.number().int().min(0).max(43200).default(300),
    /** Receives before a message moves to the DLQ. @default 5 */
    maxReceiveCount: z.number().int().min(1).max(1000).default(5),
    /** @default 4 days */
    retentionDays: z.number().int().min(1).max(14).default(4),
    /** Messages fetched per poll (exposed to the app as QUEUE_BATCH_SIZE / the Lambda batch size). @default 10 */
    batchSize: z.number().int().min(1).max(10).default(10),
    /** SNS topics of `compute.topics` delivered to this queue (raw message delivery). */
    subscribe: z.array(workloadName).default([]),
};

export const worker = z
    .object({
        ...containerBase,
        ...queueSettings,
        /** @default 1 */
        minTasks: z.number().int().min(0).max(1000).default(1),
        /** @default 4 */
        maxTasks: z.number().int().min(1).max(1000).default(4),
        scaling: z
            .object({
                ...scalingBase,
                /** Visible messages per running task the worker aims for. @default 100 */
                backlogPerTask: z.number().positive().default(100),
            })
            .strict()
            .prefault({}),
    })
    .strict()
    .superRefine(fargateSize);
export type WorkerConfig = z.infer<typeof worker>;

const scheduleExpression = z.string().superRefine((v, ctx) => {
    const problem = checkScheduleExpression(v);
    if (problem) {
        ctx.addIssue({ code: "custom", message: problem });
    }
});
const timeZone = z.string().refine(isTimeZone, { message: "expected an IANA time zone such as Asia/Tokyo or UTC" });

export const job = z
    .object({
        ...containerBase,
        /** EventBridge Scheduler expression, e.g. cron(0 3 * * ? *). */
        schedule: scheduleExpression,
        /** @default Asia/Tokyo */
        timezone: timeZone.default("Asia/Tokyo"),
        /** Run-time limit; passed to the job as JOB_TIMEOUT_SECONDS (ECS RunTask has no timeout of its own). @default 3600 */
        timeoutSeconds: z.number().int().min(60).max(86400).default(3600),
        /** Scheduler retries when RunTask fails (0-185). @default 2 */
        retries: z.number().int().min(0).max(185).default(2),
        /** Give up retrying after this many seconds (60-86400). @default 3600 */
        maxEventAgeSeconds: z.number().int().min(60).max(86400).default(3600),
        /** Flexible window in minutes (0 = run exactly on time). @default 0 */
        flexibleWindowMinutes: z.number().int().min(0).max(1440).default(0),
    })
    .strict()
    .superRefine(fargateSize);
export type JobConfig = z.infer<typeof job>;

export const LAMBDA_RUNTIMES = ["python3.12", "python3.13", "nodejs20.x", "nodejs22.x", "java21", "provided.al2023"] as const;

export const fn = z
    .object({
        /** Container image (seed 000: FastAPI + Mangum from ECR). */
        image: imageSource.optional(),
        /** Zip package: a local directory or archive, handler and runtime. */
        zip: z
            .object({ path: z.string().min(1), handler: z.string().min(1), runtime: z.enum(LAMBDA_RUNTIMES) })
            .strict()
            .optional(),
        /** @default 512 (seed 002 §1.2) */
        memoryMb: z.number().int().min(128).max(10240).default(512),
        /** @default 30 (seed 002 §1.2 API; 900 for Step Functions workers) */
        timeoutSeconds: z.number().int().min(1).max(900).default(30),
        /** Reserved concurrency; unset = none (seed 002 §1.2; seed 000 asks 1000: set it per stack). */
        reservedConcurrency: z.number().int().min(0).optional(),
        architecture: z.enum(["x86_64", "arm64"]).default("x86_64"),
        environment,
        access: access.prefault({}),
        triggers: z
            .object({
                /** Exposed through the edge tier's API Gateway. @default false */
                api: z.boolean().default(false),
                /** A queue (with DLQ) feeding the function, optionally subscribed to topics. */
                queue: z.object(queueSettings).strict().optional(),
                /** EventBridge Scheduler invocation. */
                schedule: z.object({ expression: scheduleExpression, timezone: timeZone.default("Asia/Tokyo") }).strict().optional(),
            })
            .strict()
            .prefault({}),
    })
    .strict()
    .superRefine((f, ctx) => {
        if ((f.image === undefined) === (f.zip === undefined)) {
            ctx.addIssue({ code: "custom", message: "expected exactly one of image (container image) or zip (package path + handler + runtime)" });
        }
    });
export type FunctionConfig = z.infer<typeof fn>;

const stateName = z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,79}$/, "expected a state name of letters and digits, e.g. ProcessDocument");

export const workflow = z
    .object({
        /** Whole-execution limit (TimeoutSeconds). @default 3600 */
        timeoutSeconds: z.number().int().min(1).max(31536000).default(3600),
        /** Log level; default ALL (with execution data) outside prod, ERROR in prod. */
        logLevel: z.enum(["ALL", "ERROR", "FATAL", "OFF"]).optional(),
        includeExecutionData: z.boolean().optional(),
        /** Lambda invoke tasks run in order; any failure after retries goes to the Failed state. */
        steps: z
            .array(
                z
                    .object({
                        name: stateName,
                        function: workloadName,
                        timeoutSeconds: z.number().int().min(1).max(900).default(300),
                        retry: z
                            .object({
                                maxAttempts: z.number().int().min(0).max(99999999).default(3),
                                intervalSeconds: z.number().int().min(1).default(2),
                                backoffRate: z.number().min(1).default(2),
                            })
                            .strict()
                            .prefault({}),
                    })
                    .strict(),
            )
            .min(1, "expected at least one step"),
    })
    .strict();
export type WorkflowConfig = z.infer<typeof workflow>;

const eventRule = z
    .object({
        description: z.string().default(""),
        /** EventBridge event pattern, e.g. { source: ["rag.documents"], detail-type: ["DocumentUploaded"] }. */
        pattern: z.record(z.string(), z.unknown()).refine((p) => Object.keys(p).length > 0, { message: "expected a non-empty event pattern" }),
        targets: z
            .object({ topics: z.array(workloadName).default([]), queues: z.array(workloadName).default([]) })
            .strict()
            .prefault({})
            .refine((t) => t.topics.length + t.queues.length > 0, { message: "expected at least one target topic or queue" }),
    })
    .strict();

export const schema = z
    .object({
        /** Application log retention (seed 001: prod 90, staging 30, dev 7). @default 90 */
        logRetentionDays: logRetentionDays.default(90),
        cluster: z
            .object({
                /** @default enhanced */
                containerInsights: z.enum(["enhanced", "enabled", "disabled"]).default("enhanced"),
                /** ECS Exec (KMS-encrypted sessions, logged to CloudWatch). @default true */
                executeCommand: z.boolean().default(true),
            })
            .strict()
            .prefault({}),
        /** Run services and workers on Fargate Spot (dev only). @default false */
        fargateSpot: z.boolean().default(false),
        alb: z
            .object({
                /** ACM certificate in the stack's region; enables the HTTPS listener and the HTTP->HTTPS redirect. */
                certificateArn: z
                    .string()
                    .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/, "expected an ACM certificate ARN")
                    .optional(),
                /** @default true (prod must keep it) */
                deletionProtection: z.boolean().default(true),
                idleTimeoutSeconds: z.number().int().min(1).max(4000).default(60),
                /** Header CloudFront adds and the ALB requires. @default X-Origin-Verify */
                originVerifyHeaderName: z.string().regex(/^X-[A-Za-z0-9-]+$/, "expected a custom header name such as X-Origin-Verify").default("X-Origin-Verify"),
            })
            .strict()
            .prefault({}),
        ecr: z
            .object({
                /** Images kept per repository. @default 30 */
                keepLastImages: z.number().int().min(1).max(1000).default(30),
                /** Days before untagged images expire. @default 7 */
                untaggedExpireDays: z.number().int().min(1).max(365).default(7),
            })
            .strict()
            .prefault({}),
        /** Seed 001 AC-COST-1/2: scale dev services and workers to zero out of hours. Dev only. */
        devSchedule: z
            .object({
                enabled: z.boolean().default(false),
                timezone: timeZone.default(DEV_SCHEDULE_DEFAULTS.timezone),
                stopAt: scheduleExpression.default(DEV_SCHEDULE_DEFAULTS.stopAt),
                startAt: scheduleExpression.default(DEV_SCHEDULE_DEFAULTS.startAt),
            })
            .strict()
            .prefault({}),
        /** SNS topics (KMS-encrypted) by name. */
        topics: z.record(workloadName, z.object({ description: z.string().default("") }).strict()).default({}),
        /** A custom EventBridge bus and its rules (seed 001 MessagingStack). */
        eventBus: z
            .object({ enabled: z.boolean().default(true), rules: z.record(workloadName, eventRule).default({}) })
            .strict()
            .prefault({}),
        services: z.record(workloadName, service).default({}),
        workers: z.record(workloadName, worker).default({}),
        jobs: z.record(workloadName, job).default({}),
        functions: z.record(workloadName, fn).default({}),
        workflows: z.record(workloadName, workflow).default({}),
    })
    .strict();

export type ComputeConfig = z.infer<typeof schema>;

/** Secrets the data tier always provides (DataOutputs.secrets): app secrets, plus database / redisAuth when enabled. */
export const APP_SECRET_NAMES: readonly string[] = ["jwt", "pinecone", "bedrock"];

/**
 * The parts of the data section the compute tier references, read through a narrow accessor so
 * this file compiles before the data tier's schema lands (TIERS.md "Config cross-references").
 */
export interface DataSectionView {
    tables?: Readonly<Record<string, unknown>>;
    buckets?: Readonly<Record<string, unknown>>;
    database?: { readonly enabled?: boolean };
    cache?: { readonly enabled?: boolean };
}
export function dataSection(cfg: StackConfig): DataSectionView | undefined {
    return (cfg as unknown as { data?: DataSectionView }).data;
}
function compute(cfg: StackConfig): ComputeConfig | undefined {
    return (cfg as unknown as { compute?: ComputeConfig }).compute;
}

/** Secret names a workload may reference: the app secrets, database when Aurora is on, redisAuth when Redis is on. */
export function knownSecretNames(data: DataSectionView | undefined): string[] {
    return [
        ...APP_SECRET_NAMES,
        ...(data?.database?.enabled !== false ? ["database"] : []),
        ...(data?.cache?.enabled !== false ? ["redisAuth"] : []),
    ].sort();
}

/** Names of the queues workloads can reference: each worker's queue and each function's trigger queue. */
export function queueOwners(c: Pick<ComputeConfig, "workers" | "functions">): string[] {
    return [...Object.keys(c.workers), ...Object.entries(c.functions).filter(([, f]) => f.triggers.queue !== undefined).map(([n]) => n)];
}

const MAX_LAMBDA_NAME = 64;

export function crossCheck(cfg: StackConfig, report: Report): void {
    const c = compute(cfg);
    if (c === undefined) {
        return;
    }
    const env = cfg.environment;
    const data = dataSection(cfg);
    const tables = data?.tables === undefined ? undefined : Object.keys(data.tables);
    const buckets = data?.buckets === undefined ? undefined : Object.keys(data.buckets);
    const secrets = knownSecretNames(data);
    const topics = Object.keys(c.topics);
    const functions = Object.keys(c.functions);
    const workflows = Object.keys(c.workflows);
    const queues = queueOwners(c);
    const appPort = cfg.network.appPort;
    const namePrefix = `${cfg.project}-${cfg.stack}`;

    const oneOf = (list: readonly string[]) => (list.length > 0 ? `one of ${list.join(", ")}` : "nothing (none declared)");
    const checkRef = (path: string, name: string, list: readonly string[] | undefined, what: string, where: string) => {
        if (list !== undefined && !list.includes(name)) {
            report(path, `unknown ${what} ${JSON.stringify(name)}; expected ${oneOf(list)}`, `declare it under ${where} or fix the spelling in Pulumi.${cfg.stack}.yaml`);
        }
    };
    const checkAccess = (base: string, a: Access) => {
        for (const t of Object.keys(a.tables)) checkRef(`${base}.access.tables.${t}`, t, tables, "table", "platform:data.tables");
        for (const b of Object.keys(a.buckets)) checkRef(`${base}.access.buckets.${b}`, b, buckets, "bucket", "platform:data.buckets");
        a.secrets.forEach((s, i) => checkRef(`${base}.access.secrets[${i}]`, s, secrets, "secret", "platform:data.secrets"));
        for (const q of Object.keys(a.queues)) checkRef(`${base}.access.queues.${q}`, q, queues, "queue", "platform:compute.workers (or a function's triggers.queue)");
        a.topics.forEach((t, i) => checkRef(`${base}.access.topics[${i}]`, t, topics, "topic", "platform:compute.topics"));
        a.functions.forEach((f, i) => checkRef(`${base}.access.functions[${i}]`, f, functions, "function", "platform:compute.functions"));
        a.workflows.forEach((w, i) => checkRef(`${base}.access.workflows[${i}]`, w, workflows, "workflow", "platform:compute.workflows"));
    };
    const checkContainer = (base: string, w: { secretEnv: Readonly<Record<string, string>>; access: Access }) => {
        for (const [k, s] of Object.entries(w.secretEnv)) checkRef(`${base}.secretEnv.${k}`, s, secrets, "secret", "platform:data.secrets");
        checkAccess(base, w.access);
    };
    const checkBounds = (base: string, w: { minTasks: number; maxTasks: number }) => {
        if (w.minTasks > w.maxTasks) {
            report(`${base}.minTasks`, `minTasks (${w.minTasks}) must not exceed maxTasks (${w.maxTasks})`);
        }
    };
    const checkSubscriptions = (base: string, list: readonly string[]) =>
        list.forEach((t, i) => checkRef(`${base}.subscribe[${i}]`, t, topics, "topic", "platform:compute.topics"));

    // Services, workers and jobs share ECS families and log-group names: one namespace.
    const seen = new Map<string, string>();
    for (const [kind, names] of [["services", Object.keys(c.services)], ["workers", Object.keys(c.workers)], ["jobs", Object.keys(c.jobs)]] as const) {
        for (const n of names) {
            const prev = seen.get(n);
            if (prev) {
                report(`compute.${kind}.${n}`, `the name ${n} is already used by compute.${prev}.${n}; services, workers and jobs need distinct names`);
            }
            seen.set(n, kind);
        }
    }

    const priorities = new Map<number, string>();
    for (const [n, s] of Object.entries(c.services)) {
        const base = `compute.services.${n}`;
        checkContainer(base, s);
        checkBounds(base, s);
        if (s.port !== appPort) {
            report(`${base}.port`, `expected ${appPort} (network.appPort: the only port the ALB and ECS security groups open), got ${s.port}`, `pulumi config set --path '${base}.port' ${appPort} (or change network.appPort)`);
        }
        if (env === "prod" && s.minTasks < 2) {
            report(`${base}.minTasks`, `prod services need at least 2 tasks across AZs (seed 001 AC-REL-2, AC-PERF-3), got ${s.minTasks}`);
        }
        if (s.route) {
            const other = priorities.get(s.route.priority);
            if (other) {
                report(`${base}.route.priority`, `priority ${s.route.priority} is already used by compute.services.${other}; listener-rule priorities must be unique`);
            }
            priorities.set(s.route.priority, n);
        }
    }
    for (const [n, w] of Object.entries(c.workers)) {
        const base = `compute.workers.${n}`;
        checkContainer(base, w);
        checkBounds(base, w);
        checkSubscriptions(base, w.subscribe);
        if (env === "prod" && w.minTasks < 1) {
            report(`${base}.minTasks`, `prod workers need at least 1 task, got ${w.minTasks}`);
        }
    }
    for (const [n, j] of Object.entries(c.jobs)) {
        checkContainer(`compute.jobs.${n}`, j);
    }
    for (const [n, f] of Object.entries(c.functions)) {
        const base = `compute.functions.${n}`;
        checkAccess(base, f.access);
        if (`${namePrefix}-${n}`.length > MAX_LAMBDA_NAME) {
            report(base, `the function name ${namePrefix}-${n} exceeds ${MAX_LAMBDA_NAME} characters; use a shorter key`);
        }
        const q = f.triggers.queue;
        if (q) {
            checkSubscriptions(`${base}.triggers.queue`, q.subscribe);
            if (q.visibilityTimeoutSeconds < f.timeoutSeconds) {
                report(`${base}.triggers.queue.visibilityTimeoutSeconds`, `must be at least the function timeout (${f.timeoutSeconds} s; AWS recommends 6x), got ${q.visibilityTimeoutSeconds}`);
            }
        }
    }
    for (const [n, w] of Object.entries(c.workflows)) {
        w.steps.forEach((s, i) => checkRef(`compute.workflows.${n}.steps[${i}].function`, s.function, functions, "function", "platform:compute.functions"));
        const names = w.steps.map((s) => s.name);
        if (new Set(names).size !== names.length || names.includes("Failed") || names.includes("Succeeded")) {
            report(`compute.workflows.${n}.steps`, "step names must be distinct and not Failed or Succeeded (reserved for the end states)");
        }
    }
    for (const [n, r] of Object.entries(c.eventBus.rules)) {
        r.targets.topics.forEach((t, i) => checkRef(`compute.eventBus.rules.${n}.targets.topics[${i}]`, t, topics, "topic", "platform:compute.topics"));
        r.targets.queues.forEach((q, i) => checkRef(`compute.eventBus.rules.${n}.targets.queues[${i}]`, q, queues, "queue", "platform:compute.workers"));
    }
    if (Object.keys(c.workers).length > 0 && c.cluster.containerInsights === "disabled") {
        report("compute.cluster.containerInsights", "workers scale on backlog per task, which reads the Container Insights metric RunningTaskCount; expected enhanced or enabled");
    }
    if (Object.keys(c.eventBus.rules).length > 0 && !c.eventBus.enabled) {
        report("compute.eventBus.enabled", "eventBus.rules are declared but the bus is disabled");
    }
    const hasRoutes = Object.values(c.services).some((s) => s.route !== undefined);
    if (hasRoutes && buckets !== undefined && !buckets.includes("logs")) {
        report("compute.services", "the ALB writes access logs to the data tier's logs bucket, which is not declared", "declare platform:data.buckets.logs");
    }

    if (env !== "dev" && c.devSchedule.enabled) {
        report("compute.devSchedule.enabled", `the out-of-hours scale-to-zero schedule is for dev only (seed 001 AC-COST-1/2), got it enabled in ${env}`, `pulumi config set --path 'compute.devSchedule.enabled' false --stack ${cfg.stack}`);
    }
    if (env !== "dev" && c.fargateSpot) {
        report("compute.fargateSpot", `Fargate Spot can stop tasks at two minutes' notice: dev only, got it enabled in ${env}`);
    }
    if (env === "prod" && !c.alb.deletionProtection) {
        report("compute.alb.deletionProtection", "prod keeps ALB deletion protection on");
    }
}

/** The validated, frozen section as components receive it. */
export type ComputeSection = StackConfig["compute"];
export type AccessView = ComputeSection["services"][string]["access"];
export type ImageView = ComputeSection["services"][string]["image"];
