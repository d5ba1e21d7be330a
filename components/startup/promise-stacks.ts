/**
 * Start-up tuning: skip the stack trace the Pulumi SDK captures for every promise it creates, when
 * nothing will ever read it.
 *
 * `@pulumi/pulumi/runtime/debuggable.js` (`debuggablePromise`) stores `new Error().stack` on every
 * promise the runtime makes (URN, id and every output property of every resource: ~40 per
 * resource). The stack is read in exactly one place, the promise-leak report, and only when
 * `PULUMI_DEBUG_PROMISE_LEAKS` is set; without it the report prints a fixed message telling the user
 * to set that variable and run again. Capturing and formatting those stacks (each frame mapped
 * through the source-map hook that `@pulumi/pulumi/cmd/run` installs) was ~60% of the CPU time of a
 * prod run (docs/performance.md). So, unless `PULUMI_DEBUG_PROMISE_LEAKS` is set, the capture runs
 * with `Error.stackTraceLimit = 0` (an empty stack, no frames walked, nothing formatted).
 *
 * What this does not change: resource source positions (the SDK's `Resource.callsites()` raises
 * the limit itself), the stack of any error the program or the SDK throws (the limit is restored
 * before `debuggablePromise` returns, also when it throws), and the leak report itself (same
 * message, same exit code). `PLATFORM_SDK_PROMISE_STACKS=keep` turns the tuning off.
 */

/** The SDK module this wraps (the shape of `@pulumi/pulumi/runtime/debuggable`). */
export interface DebuggableModule {
    debuggablePromise?: unknown;
    debugPromiseLeaks?: unknown;
}

export type PromiseStacksResult =
    | { applied: true }
    | { applied: false; reason: string };

/** Set on the wrapper, holding the SDK's own function (global, so reloading this module keeps it). */
const ORIGINAL = Symbol.for("aws-platform.promise-stacks.original");

type PromiseFactory = ((p: Promise<unknown>, ctx: unknown) => Promise<unknown>) & { [ORIGINAL]?: PromiseFactory };

/**
 * Wraps `debuggablePromise` of the given SDK module so its stack capture walks no frames. Pure in
 * its inputs (the module and the environment), idempotent, and never throws: an SDK whose internals
 * no longer match is left untouched and the reason returned (the unit test pins the installed
 * SDK, so an upgrade that changes them fails there, not in a deployment).
 */
export function skipUnreadPromiseStacks(sdk: DebuggableModule, env: NodeJS.ProcessEnv): PromiseStacksResult {
    if (env.PLATFORM_SDK_PROMISE_STACKS === "keep") {
        return { applied: false, reason: "PLATFORM_SDK_PROMISE_STACKS=keep" };
    }
    if (env.PULUMI_DEBUG_PROMISE_LEAKS || sdk.debugPromiseLeaks === true) {
        return { applied: false, reason: "PULUMI_DEBUG_PROMISE_LEAKS is set: the leak report prints these stacks" };
    }
    const original = sdk.debuggablePromise;
    if (typeof original !== "function" || original.length !== 2) {
        return { applied: false, reason: "this @pulumi/pulumi has no debuggablePromise(p, ctx) export" };
    }
    if ((original as PromiseFactory)[ORIGINAL]) {
        return { applied: true };
    }
    const wrapped: PromiseFactory = function debuggablePromise(p: Promise<unknown>, ctx: unknown): Promise<unknown> {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return (original as PromiseFactory)(p, ctx);
        } finally {
            Error.stackTraceLimit = limit;
        }
    };
    wrapped[ORIGINAL] = original as PromiseFactory;
    sdk.debuggablePromise = wrapped;
    return { applied: true };
}

/** Undoes {@link skipUnreadPromiseStacks}; true when there was something to undo. */
export function restorePromiseStacks(sdk: DebuggableModule): boolean {
    const original = (sdk.debuggablePromise as PromiseFactory | undefined)?.[ORIGINAL];
    if (original) {
        sdk.debuggablePromise = original;
    }
    return original !== undefined;
}

/** Whether the module's `debuggablePromise` is the wrapper. */
export function promiseStacksSkipped(sdk: DebuggableModule): boolean {
    return typeof sdk.debuggablePromise === "function" && (sdk.debuggablePromise as PromiseFactory)[ORIGINAL] !== undefined;
}

/** The `@pulumi/pulumi/runtime/debuggable` module this program runs with, if it has one. */
export function sdkDebuggableModule(): DebuggableModule | undefined {
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return require("@pulumi/pulumi/runtime/debuggable") as DebuggableModule;
    } catch {
        return undefined;
    }
}

/** Applies {@link skipUnreadPromiseStacks} to the `@pulumi/pulumi` this program runs with. */
export function tunePulumiRuntime(env: NodeJS.ProcessEnv = process.env): PromiseStacksResult {
    const sdk = sdkDebuggableModule();
    return sdk ? skipUnreadPromiseStacks(sdk, env) : { applied: false, reason: "@pulumi/pulumi/runtime/debuggable could not be loaded" };
}
