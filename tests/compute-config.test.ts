/**
 * Bad workload declarations are rejected with clear messages (key path, what was expected, the
 * value found) before any resource is registered.
 */
import { strict as assert } from "assert";
import { ConfigError, parseStackConfig, StackConfig } from "../components/config";
import { crossCheck } from "../components/compute/schema";
import { loadStackFile, mergeConfig, runStack } from "../tools/offline/run";

/** Parses a stack file with overrides the way loadStackConfig does; returns the error text or "ok". */
function check(stack: string, compute: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
    const file = mergeConfig(loadStackFile(stack), { "platform:compute": compute, ...extra });
    const raw: Record<string, unknown> = { region: file["aws:region"] };
    for (const [k, v] of Object.entries(file)) {
        if (k.startsWith("platform:")) raw[k.slice("platform:".length)] = v;
    }
    try {
        parseStackConfig(raw, stack);
        return "ok";
    } catch (e) {
        assert.ok(e instanceof ConfigError, String(e));
        return e.message;
    }
}

interface Case {
    title: string;
    stack?: string;
    compute: Record<string, unknown>;
    expected: string[];
}

const cases: Case[] = [
    {
        title: "a cpu/memory pair Fargate rejects",
        compute: { services: { web: { cpu: 512, memory: 3000 } } },
        expected: ["compute.services.web.memory: memory 3000 MiB is not valid with cpu 512 on Fargate; expected 1024, 2048, 3072, 4096 MiB (components/compute/fargate.ts lists the valid pairs), got 3000"],
    },
    {
        title: "a cpu that is not a Fargate size",
        compute: { jobs: { daily: { cpu: 300 } } },
        expected: ["compute.jobs.daily.cpu: cpu 300 is not a Fargate size; expected one of 256, 512, 1024, 2048, 4096, 8192, 16384 (CPU units, 1024 = 1 vCPU) (components/compute/fargate.ts lists the valid pairs), got 300"],
    },
    {
        title: "a five-field cron",
        compute: { jobs: { daily: { schedule: "cron(0 3 * * *)" } } },
        expected: ['compute.jobs.daily.schedule: cron needs 6 fields (minutes hours day-of-month month day-of-week year), got 5: e.g. cron(0 3 * * ? *), got "cron(0 3 * * *)"'],
    },
    {
        title: "an unknown time zone",
        compute: { jobs: { daily: { timezone: "Tokyo" } } },
        expected: ['compute.jobs.daily.timezone: expected an IANA time zone such as Asia/Tokyo or UTC, got "Tokyo"'],
    },
    {
        title: "a typo in a workload key",
        compute: { services: { web: { cpus: 512 } } },
        expected: ["compute.services.web: Unrecognized key: \"cpus\""],
    },
    {
        title: "a secret-looking plain environment value",
        compute: { services: { web: { environment: { DB_PASSWORD: "hunter2" } } } },
        expected: ["compute.services.web.environment.DB_PASSWORD: DB_PASSWORD looks like a secret; plain environment values are visible in the task definition. Declare it in secretEnv (DB_PASSWORD: <secret name>) so it is injected from Secrets Manager"],
    },
    {
        title: "an unknown secret",
        compute: { services: { web: { secretEnv: { API_TOKEN: "stripe" }, access: { secrets: ["jwtt"] } } } },
        expected: [
            'compute.services.web.secretEnv.API_TOKEN: unknown secret "stripe"; expected one of bedrock, database, jwt, pinecone, redisAuth',
            'compute.services.web.access.secrets[0]: unknown secret "jwtt"; expected one of bedrock, database, jwt, pinecone, redisAuth',
        ],
    },
    {
        title: "an unknown topic, queue, function and workflow",
        compute: {
            workers: { ingest: { subscribe: ["domain-event"], access: { queues: { ingestt: "send" }, functions: ["rag-apii"], workflows: ["rag"] } } },
        },
        expected: [
            'compute.workers.ingest.subscribe[0]: unknown topic "domain-event"; expected one of domain-events, notifications',
            'compute.workers.ingest.access.queues.ingestt: unknown queue "ingestt"; expected one of ingest, notification',
            'compute.workers.ingest.access.functions[0]: unknown function "rag-apii"; expected one of email-webhook, rag-api, rag-worker, rag-check',
            'compute.workers.ingest.access.workflows[0]: unknown workflow "rag"; expected one of rag-processing',
        ],
    },
    {
        title: "a workflow step calling an undeclared function",
        compute: { workflows: { "rag-processing": { steps: [{ name: "Process", function: "rag-wrker" }] } } },
        expected: ['compute.workflows.rag-processing.steps[0].function: unknown function "rag-wrker"; expected one of email-webhook, rag-api, rag-worker, rag-check'],
    },
    {
        title: "prod services below 2 tasks (AC-REL-2)",
        stack: "prod",
        compute: { services: { web: { minTasks: 1 } } },
        expected: ["compute.services.web.minTasks: prod services need at least 2 tasks across AZs (seed 001 AC-REL-2, AC-PERF-3), got 1"],
    },
    {
        title: "min above max",
        compute: { workers: { ingest: { minTasks: 5, maxTasks: 2 } } },
        expected: ["compute.workers.ingest.minTasks: minTasks (5) must not exceed maxTasks (2)"],
    },
    {
        title: "the out-of-hours schedule outside dev",
        stack: "staging",
        compute: { devSchedule: { enabled: true } },
        expected: ["compute.devSchedule.enabled: the out-of-hours scale-to-zero schedule is for dev only (seed 001 AC-COST-1/2), got it enabled in staging"],
    },
    {
        title: "Fargate Spot and no ALB deletion protection in prod",
        stack: "prod",
        compute: { fargateSpot: true, alb: { deletionProtection: false } },
        expected: ["compute.fargateSpot: Fargate Spot can stop tasks at two minutes' notice: dev only, got it enabled in prod", "compute.alb.deletionProtection: prod keeps ALB deletion protection on"],
    },
    {
        title: "a container port the security groups do not open",
        compute: { services: { web: { port: 3000 } } },
        expected: ["compute.services.web.port: expected 8080 (network.appPort: the only port the ALB and ECS security groups open), got 3000"],
    },
    {
        title: "a duplicate listener-rule priority",
        compute: { services: { api: { image: { repository: "web", tag: "1" }, route: { paths: ["/api/*"], priority: 1000 } } } },
        expected: ["compute.services.api.route.priority: priority 1000 is already used by compute.services.web; listener-rule priorities must be unique"],
    },
    {
        title: "an image without tag or build context, and a mutable latest tag",
        compute: { services: { web: { image: { repository: "web", tag: null } } }, jobs: { daily: { image: { tag: "latest" } } } },
        expected: [
            "compute.services.web.image: expected image.tag (the immutable tag CI pushed to the repository) or image.context (a Docker build context)",
            "compute.jobs.daily.image.tag: repositories have immutable tags: 'latest' can be pushed only once; use a version or git sha",
        ],
    },
    {
        title: "a function with both an image and a zip",
        compute: { functions: { "rag-check": { zip: { path: "./dist/check.zip", handler: "app.handler", runtime: "python3.12" } } } },
        expected: ["compute.functions.rag-check: expected exactly one of image (container image) or zip (package path + handler + runtime)"],
    },
    {
        title: "a function queue whose visibility timeout is shorter than the function timeout",
        compute: { functions: { "rag-worker": { triggers: { queue: { visibilityTimeoutSeconds: 60 } } } } },
        expected: ["compute.functions.rag-worker.triggers.queue.visibilityTimeoutSeconds: must be at least the function timeout (900 s; AWS recommends 6x), got 60"],
    },
    {
        title: "a service and a worker with the same name",
        compute: { workers: { web: { image: { repository: "workers", tag: "1" } } } },
        expected: ["compute.workers.web: the name web is already used by compute.services.web; services, workers and jobs need distinct names"],
    },
    {
        title: "workers without Container Insights",
        compute: { cluster: { containerInsights: "disabled" } },
        expected: ["compute.cluster.containerInsights: workers scale on backlog per task, which reads the Container Insights metric RunningTaskCount; expected enhanced or enabled"],
    },
];

describe("compute configuration", () => {
    for (const stack of ["dev", "staging", "prod"]) {
        it(`the ${stack} stack file is valid`, () => assert.equal(check(stack, {}), "ok"));
    }
    for (const c of cases) {
        it(`rejects ${c.title}`, () => {
            const text = check(c.stack ?? "dev", c.compute);
            for (const e of c.expected) {
                assert.ok(text.includes(e), `expected the message to contain:\n${e}\n--- got:\n${text}`);
            }
            assert.match(text, /\(no resource was created\)/);
        });
    }

    describe("references to the data section (contract of TIERS.md)", () => {
        const base = () => {
            const file = loadStackFile("dev");
            const raw: Record<string, unknown> = { region: file["aws:region"] };
            for (const [k, v] of Object.entries(file)) if (k.startsWith("platform:")) raw[k.slice(9)] = v;
            return parseStackConfig(raw, "dev");
        };
        const withData = (data: object) => ({ ...base(), data }) as unknown as StackConfig;
        const run = (cfg: StackConfig) => {
            const out: string[] = [];
            crossCheck(cfg, (path, message) => out.push(`${path}: ${message}`));
            return out;
        };
        const tables = { documents: {}, chatSessions: {}, processingHistory: {}, prompts: {}, userSessions: {} };
        const buckets = { documents: {}, temporary: {}, prompts: {}, appData: {}, staticSite: {}, logs: {}, backups: {} };

        it("accepts the stack file against the default data section", () => {
            assert.deepEqual(run(withData({ tables, buckets })), []);
        });
        it("names an unknown table and bucket with the declared ones", () => {
            const { documents: _d, ...noDocs } = tables;
            const { appData: _a, ...noAppData } = buckets;
            const problems = run(withData({ tables: noDocs, buckets: noAppData }));
            assert.ok(problems.includes('compute.services.web.access.tables.documents: unknown table "documents"; expected one of chatSessions, processingHistory, prompts, userSessions'), problems.join("\n"));
            assert.ok(problems.some((p) => p.startsWith('compute.jobs.daily.access.buckets.appData: unknown bucket "appData"')), problems.join("\n"));
        });
        it("knows the database secret only while Aurora is enabled", () => {
            const problems = run(withData({ tables, buckets, database: { enabled: false } }));
            assert.ok(problems.includes('compute.services.web.secretEnv.DATABASE_CREDENTIALS: unknown secret "database"; expected one of bedrock, jwt, pinecone, redisAuth'), problems.join("\n"));
        });
        it("requires the logs bucket for the ALB access logs", () => {
            const { logs: _l, ...noLogs } = buckets;
            assert.ok(run(withData({ tables, buckets: noLogs })).includes("compute.services: the ALB writes access logs to the data tier's logs bucket, which is not declared"));
        });
    });

    it("the real program refuses a bad workload before registering anything", async () => {
        await assert.rejects(
            runStack("dev", { configOverrides: { "platform:compute": { services: { web: { cpu: 256, memory: 4096 } }, jobs: { daily: { schedule: "daily" } } } } }),
            (e: Error) => {
                assert.match(e.message, /compute\.services\.web\.memory: memory 4096 MiB is not valid with cpu 256 on Fargate; expected 512, 1024, 2048 MiB/);
                assert.match(e.message, /compute\.jobs\.daily\.schedule: expected cron\(<6 fields>\), rate\(<n> <unit>\) or at\(yyyy-mm-ddThh:mm:ss\)/);
                assert.match(e.message, /has 2 problems \(no resource was created\)/);
                return true;
            },
        );
    });
});
