/**
 * Fixtures of the compute tests: fake DataOutputs (the data tier is built in parallel) and a
 * program that runs the real config loader, providers and network with the Compute component.
 */
import * as pulumi from "@pulumi/pulumi";
import type { DataOutputs } from "../components/contracts";
import { loadStackFile, mergeConfig, runProgram } from "../tools/offline/run";
import { MOCK_ACCOUNT_ID } from "../tools/offline/mocks";
import type { StackRun } from "./harness";

export const REGION = "ap-northeast-1";
const o = (v: string) => pulumi.output(v);
export const keyArn = (domain: string) => `arn:aws:kms:${REGION}:${MOCK_ACCOUNT_ID}:key/${domain}-0000-0000-0000-000000000000`;
export const tableArn = (t: string) => `arn:aws:dynamodb:${REGION}:${MOCK_ACCOUNT_ID}:table/fake-${t}`;
export const bucketArn = (b: string) => `arn:aws:s3:::fake-${b}`;
export const secretArn = (s: string) => `arn:aws:secretsmanager:${REGION}:${MOCK_ACCOUNT_ID}:secret:fake-${s}-AbCdEf`;

export const FAKE_TABLES = ["documents", "chatSessions", "processingHistory", "prompts", "userSessions"];
export const FAKE_BUCKETS = ["documents", "temporary", "prompts", "appData", "staticSite", "logs", "backups"];
export const FAKE_SECRETS = ["database", "redisAuth", "jwt", "pinecone", "bedrock"];
/** Identifier of the fake Aurora cluster whose RDS-managed master secret is `secrets.database`. */
export const FAKE_CLUSTER = "fake-aurora";

/** DataOutputs as the data tier's contract describes them (logs bucket SSE-S3, the rest SSE-KMS). */
export function fakeData(): DataOutputs {
    const keys = Object.fromEntries(["data", "secrets", "messaging"].map((d) => [d, { arn: o(keyArn(d)), keyId: o(`${d}-key-id`) }]));
    return {
        keys,
        tables: Object.fromEntries(FAKE_TABLES.map((t) => [t, { name: o(`fake-${t}`), arn: o(tableArn(t)), indexNames: [] }])),
        buckets: Object.fromEntries(
            FAKE_BUCKETS.map((b) => [
                b,
                { name: o(`fake-${b}`), arn: o(bucketArn(b)), regionalDomainName: o(`fake-${b}.s3.${REGION}.amazonaws.com`), ...(b === "logs" ? {} : { kmsKeyArn: o(keyArn("data")) }) },
            ]),
        ),
        // The data tier names its secrets; the database secret is RDS-managed, known by its cluster.
        secrets: Object.fromEntries(
            FAKE_SECRETS.map((s) => [s, s === "database" ? { arn: o(secretArn(s)), rdsClusterIdentifier: o(FAKE_CLUSTER), kmsKeyArn: o(keyArn("secrets")) } : { arn: o(secretArn(s)), name: o(`fake-${s}`), kmsKeyArn: o(keyArn("secrets")) }]),
        ),
        logGroups: [],
    };
}

/** The logs CMK of the fake PlatformContext (tests/harness.ts fakeContext). */
export const LOGS_KEY_ARN = `arn:aws:kms:${REGION}:${MOCK_ACCOUNT_ID}:key/11111111-2222-3333-4444-555555555555`;

/**
 * Component run of the compute tier for a stack file: the real config loader, providers and
 * network, a fake PlatformContext and fake DataOutputs, and the Compute component (with the
 * overrides deep-merged into the stack file's config). The full program (data included) is
 * covered by tests/compute-program.test.ts.
 */
export function runCompute(stack: string, configOverrides: Record<string, unknown> = {}): Promise<StackRun> {
    const config = mergeConfig(loadStackFile(stack), configOverrides);
    return runProgram({
        stack,
        config,
        program: () => {
            /* eslint-disable @typescript-eslint/no-require-imports */
            const { loadStackConfig } = require("../components/config") as typeof import("../components/config");
            const { createProviders } = require("../components/providers") as typeof import("../components/providers");
            const { Network } = require("../components/network/network") as typeof import("../components/network/network");
            const { Compute } = require("../components/compute/compute") as typeof import("../components/compute/compute");
            const { fakeContext } = require("./harness") as typeof import("./harness");
            /* eslint-enable @typescript-eslint/no-require-imports */
            const cfg = loadStackConfig();
            const providers = createProviders(cfg);
            const inMain = { providers: [providers.main] };
            const ctx = fakeContext({ namePrefix: `${cfg.project}-${cfg.stack}`, region: cfg.region, logsKeyArn: pulumi.output(LOGS_KEY_ARN), logsKeyAlias: pulumi.output(`alias/${cfg.project}-${cfg.stack}-logs`) }) as import("../components/contracts").PlatformContext;
            const network = new Network(
                "network",
                { config: cfg.network, region: cfg.region, namePrefix: ctx.namePrefix, logsKeyArn: ctx.logsKeyArn, accountId: ctx.accountId, partition: ctx.partition },
                inMain,
            );
            const compute = new Compute(
                "compute",
                { config: cfg.compute, environment: cfg.environment, protect: cfg.protectData, ctx, network, data: fakeData() },
                inMain,
            );
            return { albDnsName: compute.alb?.dnsName, originVerify: compute.originVerifyHeader?.value, policies: compute.policies };
        },
    });
}

const cache = new Map<string, Promise<StackRun>>();
/** runCompute(stack) once per test process. */
export function computeRun(stack: string): Promise<StackRun> {
    if (!cache.has(stack)) {
        cache.set(stack, runCompute(stack));
    }
    return cache.get(stack)!;
}
