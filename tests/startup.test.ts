import { strict as assert } from "assert";
import {
    DebuggableModule,
    promiseStacksSkipped,
    restorePromiseStacks,
    sdkDebuggableModule,
    skipUnreadPromiseStacks,
    tunePulumiRuntime,
} from "../components/startup/promise-stacks";
import { runStack } from "./harness";

/** A stand-in for the SDK's debuggablePromise: records the stack it captures, like the real one. */
function fakeSdk(extra: Partial<DebuggableModule> = {}): DebuggableModule & { captured: string[] } {
    const captured: string[] = [];
    return {
        captured,
        debugPromiseLeaks: false,
        debuggablePromise(p: Promise<unknown>, ctx: unknown): Promise<unknown> {
            captured.push(new Error().stack ?? "");
            if (ctx === "throw") {
                throw new Error("boom");
            }
            return p;
        },
        ...extra,
    };
}

/** The frames of a captured stack ("Error\n    at ..."), without the first line. */
const framesOf = (stack: string) => stack.split("\n").slice(1).filter((l) => l.trim().startsWith("at "));

describe("startup/promise-stacks: when the tuning applies", () => {
    const cases: Array<{ name: string; sdk: () => DebuggableModule; env: Record<string, string>; applied: boolean; reason?: RegExp }> = [
        { name: "default: applied", sdk: () => fakeSdk(), env: {}, applied: true },
        { name: "PLATFORM_SDK_PROMISE_STACKS=keep turns it off", sdk: () => fakeSdk(), env: { PLATFORM_SDK_PROMISE_STACKS: "keep" }, applied: false, reason: /PLATFORM_SDK_PROMISE_STACKS=keep/ },
        { name: "PLATFORM_SDK_PROMISE_STACKS with another value is ignored", sdk: () => fakeSdk(), env: { PLATFORM_SDK_PROMISE_STACKS: "yes" }, applied: true },
        { name: "PULUMI_DEBUG_PROMISE_LEAKS set: the leak report prints the stacks", sdk: () => fakeSdk(), env: { PULUMI_DEBUG_PROMISE_LEAKS: "1" }, applied: false, reason: /PULUMI_DEBUG_PROMISE_LEAKS/ },
        { name: "the SDK read PULUMI_DEBUG_PROMISE_LEAKS at load", sdk: () => fakeSdk({ debugPromiseLeaks: true }), env: {}, applied: false, reason: /PULUMI_DEBUG_PROMISE_LEAKS/ },
        { name: "an SDK without the export is left alone", sdk: () => ({ debugPromiseLeaks: false }), env: {}, applied: false, reason: /no debuggablePromise/ },
        { name: "an SDK whose function changed shape is left alone", sdk: () => fakeSdk({ debuggablePromise: (p: unknown) => p }), env: {}, applied: false, reason: /no debuggablePromise/ },
    ];
    for (const c of cases) {
        it(c.name, () => {
            const sdk = c.sdk();
            const before = sdk.debuggablePromise;
            const result = skipUnreadPromiseStacks(sdk, c.env);
            assert.equal(result.applied, c.applied, JSON.stringify(result));
            assert.equal(promiseStacksSkipped(sdk), c.applied);
            if (!result.applied) {
                assert.match(result.reason, c.reason!);
                assert.equal(sdk.debuggablePromise, before, "left untouched");
            }
        });
    }
});

describe("startup/promise-stacks: what the wrapper does", () => {
    it("captures no frames, returns what the SDK returns and restores the limit", async () => {
        const sdk = fakeSdk();
        const limit = Error.stackTraceLimit;
        skipUnreadPromiseStacks(sdk, {});
        const p = Promise.resolve(42);
        const out = (sdk.debuggablePromise as (p: Promise<unknown>, c: unknown) => Promise<unknown>)(p, "ctx");
        assert.equal(out, p);
        assert.equal(await out, 42);
        assert.deepEqual(framesOf(sdk.captured[0]), [], sdk.captured[0]);
        assert.equal(Error.stackTraceLimit, limit);
        assert.ok(framesOf(new Error("after").stack ?? "").length > 0, "errors outside the wrapper keep their frames");
    });

    it("restores the limit when the SDK throws", () => {
        const sdk = fakeSdk();
        const limit = Error.stackTraceLimit;
        skipUnreadPromiseStacks(sdk, {});
        assert.throws(() => (sdk.debuggablePromise as (p: Promise<unknown>, c: unknown) => unknown)(Promise.resolve(), "throw"), /boom/);
        assert.equal(Error.stackTraceLimit, limit);
    });

    it("without the tuning the capture has frames (the cost the tuning removes)", () => {
        const sdk = fakeSdk();
        (sdk.debuggablePromise as (p: Promise<unknown>, c: unknown) => unknown)(Promise.resolve(), "ctx");
        assert.ok(framesOf(sdk.captured[0]).length > 0);
    });

    it("is idempotent and can be undone", () => {
        const sdk = fakeSdk();
        const original = sdk.debuggablePromise;
        skipUnreadPromiseStacks(sdk, {});
        const wrapped = sdk.debuggablePromise;
        assert.deepEqual(skipUnreadPromiseStacks(sdk, {}), { applied: true });
        assert.equal(sdk.debuggablePromise, wrapped, "not wrapped twice");
        assert.equal(restorePromiseStacks(sdk), true);
        assert.equal(sdk.debuggablePromise, original);
        assert.equal(restorePromiseStacks(sdk), false);
    });
});

describe("startup/promise-stacks: the installed @pulumi/pulumi", () => {
    // Pins the SDK internals the tuning relies on: an upgrade that changes them fails here.
    it("has the debuggablePromise(p, ctx) export and the tuning applies to it", async () => {
        const sdk = sdkDebuggableModule();
        assert.ok(sdk, "@pulumi/pulumi/runtime/debuggable loads");
        assert.deepEqual(tunePulumiRuntime({}), { applied: true });
        assert.ok(promiseStacksSkipped(sdk));
        const input = Promise.resolve(1);
        assert.equal(await (sdk.debuggablePromise as (p: Promise<unknown>, c: unknown) => Promise<unknown>)(input, "test"), 1);
        // The SDK stores the capture on the promise it was given.
        const stack = (input as unknown as { _debugStackTrace?: string })._debugStackTrace;
        assert.equal(typeof stack, "string", "the SDK still stores _debugStackTrace on the promise");
        assert.deepEqual(framesOf(stack!), [], stack);
    });

    it("the program applies it before registering resources, and leaves the stack limit as it was", async function () {
        if (process.env.PLATFORM_SDK_PROMISE_STACKS === "keep" || process.env.PULUMI_DEBUG_PROMISE_LEAKS) {
            this.skip(); // switched off on purpose for this run
        }
        const sdk = sdkDebuggableModule()!;
        restorePromiseStacks(sdk);
        assert.equal(promiseStacksSkipped(sdk), false);
        const limit = Error.stackTraceLimit;
        const run = await runStack("dev");
        assert.ok(run.resources.length > 100);
        assert.equal(promiseStacksSkipped(sdk), true, "index.ts calls tunePulumiRuntime()");
        assert.equal(Error.stackTraceLimit, limit);
    });
});
