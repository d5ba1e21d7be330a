/**
 * Test harness: runs the program (or any program function) under the recording mocks and offers
 * small queries over the recorded resource graph. The mocks are installed by the runner before
 * the program module is required, so the program never sees a real engine.
 */
import * as pulumi from "@pulumi/pulumi";
import type { RecordedResource, StackRun } from "../tools/offline/types";
import { runProgram, runStack, STACKS } from "../tools/offline/run";
import { MOCK_ACCOUNT_ID } from "../tools/offline/mocks";
import { strict as assert } from "assert";
import { ConfigError, parseStackConfig } from "../components/config";

export { runProgram, runStack, STACKS };
export type { RecordedResource, StackRun };

/** Every stack file of the repository, as `[stack, run]` pairs, run once and cached. */
const cache = new Map<string, Promise<StackRun>>();
export function stackRun(stack: string): Promise<StackRun> {
    if (!cache.has(stack)) {
        cache.set(stack, runStack(stack));
    }
    return cache.get(stack)!;
}

export function ofType(run: StackRun, type: string): RecordedResource[] {
    return run.resources.filter((r) => r.type === type);
}

/** The one resource of `type` whose logical name is `name`; throws with the candidates otherwise. */
export function one(run: StackRun, type: string, name: string): RecordedResource {
    const found = run.resources.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1) {
        const names = ofType(run, type).map((r) => r.name);
        throw new Error(`expected one ${type} named ${name}, found ${found.length}; names of that type: ${names.join(", ") || "none"}`);
    }
    return found[0];
}

/** Direct and indirect children of a resource. */
export function descendantsOf(run: StackRun, urn: string): RecordedResource[] {
    const out: RecordedResource[] = [];
    const walk = (parent: string) => {
        for (const r of run.resources) {
            if (r.parent === parent) {
                out.push(r);
                walk(r.urn);
            }
        }
    };
    walk(urn);
    return out;
}

/** Custom AWS resources (not providers, not components). */
export function awsResources(run: StackRun): RecordedResource[] {
    return run.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
}

/** Parses a JSON policy input (IAM, bucket, key policies). */
export function policyDoc(value: unknown): { Statement: any[] } {
    return typeof value === "string" ? JSON.parse(value) : (value as { Statement: any[] });
}

/** Resolves an Output (or plain value) with a timeout, never a `done` inside `apply`. */
export function awaitOutput<T>(value: pulumi.Input<T>, timeoutMs = 10_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`output did not resolve within ${timeoutMs} ms`)), timeoutMs);
        pulumi.output(value).apply((v) => {
            clearTimeout(timer);
            resolve(v as T);
            return v;
        });
    });
}

/** A PlatformContext with plain values, for component tests that run outside the full program. */
export function fakeContext(overrides: Partial<Record<string, unknown>> = {}) {
    return {
        namePrefix: "test-dev",
        region: "ap-northeast-1",
        drRegion: "us-west-2",
        accountId: pulumi.output(MOCK_ACCOUNT_ID),
        partition: pulumi.output("aws"),
        logsKeyArn: pulumi.output(`arn:aws:kms:ap-northeast-1:${MOCK_ACCOUNT_ID}:key/11111111-2222-3333-4444-555555555555`),
        logsKeyAlias: pulumi.output("alias/test-dev-logs"),
        ...overrides,
    };
}

/** The ConfigError a raw configuration must produce; fails the test when it parses or throws anything else. */
export function configErrorOf(raw: Record<string, any>, stack = "prod", unknownKeys: string[] = []): ConfigError {
    try {
        parseStackConfig(raw, stack, {}, unknownKeys);
    } catch (e) {
        if (e instanceof ConfigError) {
            return e;
        }
        throw e;
    }
    return assert.fail("expected a ConfigError");
}
