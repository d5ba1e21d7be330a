/**
 * Runs the Pulumi program offline, under mocks, the way the engine would during a preview, and
 * records every registration: the resource graph that the tests, the offline policy preview, the
 * URN snapshot and the cost estimate all read.
 *
 * - Config comes from `Pulumi.<stack>.yaml` (structured values become JSON text, as the CLI passes
 *   them); `secure:` values cannot be decrypted offline and are replaced by a placeholder secret.
 * - URNs are built exactly as the engine builds them (the full parent type chain, without the root
 *   stack type), so the snapshot matches `pulumi stack export`.
 * - Runs are serialised: the Pulumi runtime is process-global.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { isUnknown } from "@pulumi/pulumi/output";
import { parse as parseYaml } from "yaml";
import { mockCall, mockResourceState } from "./mocks";
import type { RecordedOptions, RecordedResource, StackRun } from "./types";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const STACKS = ["dev", "staging", "prod"] as const;
export const SECRET_PLACEHOLDER = "offline-secret-placeholder";
/** The engine's marker for a value not known until the resource is created. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Replaces the SDK's in-process unknown marker by the engine's wire sentinel, recursively. */
function markUnknowns(v: unknown): unknown {
    if (isUnknown(v)) {
        return UNKNOWN;
    }
    if (Array.isArray(v)) {
        return v.map(markUnknowns);
    }
    if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, markUnknowns(x)]));
    }
    return v;
}
const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

export function projectName(): string {
    const doc = parseYaml(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as { name: string };
    return doc.name;
}

/** The `config:` mapping of `Pulumi.<stack>.yaml`, values as YAML parsed them. */
export function loadStackFile(stack: string): Record<string, unknown> {
    const file = path.join(REPO_ROOT, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new Error(`no stack file ${file}: create it with 'pulumi stack init ${stack}' and the keys of README.md`);
    }
    const doc = (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    return { ...(doc.config ?? {}) };
}

/**
 * Deep-merges overrides into a config mapping: objects merge key by key, anything else replaces,
 * and `null` removes the key.
 */
export function mergeConfig(base: Record<string, unknown>, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(overrides)) {
        if (v === null) {
            delete out[k];
        } else if (isPlainObject(v) && isPlainObject(out[k])) {
            out[k] = mergeConfig(out[k] as Record<string, unknown>, v as Record<string, unknown>);
        } else {
            out[k] = v;
        }
    }
    return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function containsSecure(v: unknown): boolean {
    return isPlainObject(v) && ("secure" in v || Object.values(v).some(containsSecure));
}

function replaceSecure(v: unknown): unknown {
    if (isPlainObject(v)) {
        if ("secure" in v && Object.keys(v).length === 1) {
            return SECRET_PLACEHOLDER;
        }
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replaceSecure(x)]));
    }
    return Array.isArray(v) ? v.map(replaceSecure) : v;
}

/** Flattens a stack-file mapping into the `key -> text` map the Pulumi runtime receives. */
export function toRuntimeConfig(config: Record<string, unknown>): { values: Record<string, string>; secretKeys: string[] } {
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, raw] of Object.entries(config)) {
        if (containsSecure(raw)) {
            secretKeys.push(key);
        }
        const v = replaceSecure(raw);
        values[key] = typeof v === "string" ? v : JSON.stringify(v);
    }
    return { values, secretKeys };
}

/** Engine URN: the parent's full qualified type chain (without the root stack) `$` the type. */
export function engineUrn(stack: string, project: string, parentUrn: string | undefined, type: string, name: string): string {
    let qualified = type;
    if (parentUrn) {
        const parentQualified = parentUrn.split("::")[2];
        if (parentQualified !== ROOT_STACK_TYPE) {
            qualified = `${parentQualified}$${type}`;
        }
    }
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

function providerUrnOf(ref: string | undefined): string | undefined {
    if (!ref) {
        return undefined;
    }
    const i = ref.lastIndexOf("::");
    return i > 0 ? ref.slice(0, i) : ref;
}

function optionsOf(req: any): RecordedOptions {
    const list = (fn: string): string[] => (typeof req[fn] === "function" ? (req[fn]() as string[]) : []);
    return {
        protect: Boolean(req.getProtect?.()),
        retainOnDelete: Boolean(req.getRetainondelete?.()),
        deleteBeforeReplace: Boolean(req.getDeletebeforereplace?.()),
        ignoreChanges: list("getIgnorechangesList"),
        aliases: list("getAliasesList").length + list("getAliasurnsList").length,
        dependsOn: list("getDependenciesList"),
        additionalSecretOutputs: list("getAdditionalsecretoutputsList"),
        replaceOnChanges: list("getReplaceonchangesList"),
    };
}

/** Properties the AWS provider fills with an auto-generated name during Check (known at preview). */
const AUTONAMED_PROPERTIES = ["name", "bucket", "clusterIdentifier", "identifier", "replicationGroupId", "family", "functionName"];

/** Multi-language components (awsx) run in a provider plugin: their outputs come from the mocks. */
function isRemoteComponent(type: string): boolean {
    return type.startsWith("awsx:");
}

function propertyDependenciesOf(req: any): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    const map = req.getPropertydependenciesMap?.();
    map?.forEach((deps: any, key: string) => {
        const urns: string[] = deps.getUrnsList();
        if (urns.length > 0) {
            out[key] = urns;
        }
    });
    return out;
}

let queue: Promise<unknown> = Promise.resolve();

function serialised<T>(fn: () => Promise<T>): Promise<T> {
    const next = queue.then(fn, fn);
    queue = next.catch(() => undefined);
    return next;
}

/** Forget every project module so the next `require` runs the program afresh. */
function clearProjectModules(): void {
    const nodeModules = `${path.sep}node_modules${path.sep}`;
    for (const key of Object.keys(require.cache)) {
        if (key.startsWith(REPO_ROOT) && !key.includes(nodeModules) && !key.startsWith(path.join(REPO_ROOT, "tools", "offline"))) {
            delete require.cache[key];
        }
    }
}

export interface RunProgramArgs {
    stack: string;
    /** Stack-file style config mapping (`aws:region`, `platform:network`, ...). */
    config?: Record<string, unknown>;
    /** The program: its return value (or exports) become the stack outputs. */
    program: () => unknown;
    project?: string;
    /**
     * Emulate the first `pulumi preview` of a fresh stack: nothing exists yet, so only inputs and
     * auto-generated names are known; ids, ARNs and every other computed attribute are unknown
     * (recorded as the engine's UNKNOWN sentinel), exactly what policies see on that preview.
     */
    firstPreview?: boolean;
}

/** Runs any program function under the recording mocks. */
export function runProgram(args: RunProgramArgs): Promise<StackRun> {
    return serialised(() => runUnderMocks(args));
}

export interface RunStackOptions {
    /** Deep-merged into the stack file's config (see mergeConfig). */
    configOverrides?: Record<string, unknown>;
    /** See RunProgramArgs.firstPreview. */
    firstPreview?: boolean;
}

/** Runs the real program (index.ts) for `Pulumi.<stack>.yaml`. */
export function runStack(stack: string, opts: RunStackOptions = {}): Promise<StackRun> {
    const config = mergeConfig(loadStackFile(stack), opts.configOverrides);
    return runProgram({
        stack,
        config,
        firstPreview: opts.firstPreview,
        program: () => {
            clearProjectModules();
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const mod = require(path.join(REPO_ROOT, "index.ts"));
            return typeof mod === "function" ? mod() : typeof mod?.default === "function" ? mod.default() : { ...mod };
        },
    });
}

async function runUnderMocks(args: RunProgramArgs): Promise<StackRun> {
    const project = args.project ?? projectName();
    const stack = args.stack;
    const { values, secretKeys } = toRuntimeConfig(args.config ?? {});
    const defaultRegion = values["aws:region"] ?? "ap-northeast-1";
    const resources: RecordedResource[] = [];
    const byUrn = new Map<string, RecordedResource>();
    let current: { parent?: string; options: RecordedOptions; propertyDependencies: Record<string, string[]> } | undefined;

    const regionOf = (providerRef: string | undefined, inputs: Record<string, any>): string => {
        if (typeof inputs?.region === "string") {
            return inputs.region;
        }
        const provider = byUrn.get(providerUrnOf(providerRef) ?? "");
        return (provider?.inputs.region as string | undefined) ?? defaultRegion;
    };

    const mocks: pulumi.runtime.Mocks = {
        newResource(a: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, any> } {
            const info = current;
            current = undefined;
            const urn = engineUrn(stack, project, info?.parent, a.type, a.name);
            const custom = a.custom ?? true;
            const isProvider = a.type.startsWith("pulumi:providers:");
            const region = isProvider ? (a.inputs.region as string | undefined) : regionOf(a.provider, a.inputs);
            let mocked: { id: string | undefined; state: Record<string, any> } =
                (custom && !isProvider) || isRemoteComponent(a.type)
                    ? mockResourceState(a.type, a.name, a.inputs, region ?? defaultRegion)
                    : { id: custom ? `${a.name}_id` : undefined, state: {} };
            if (args.firstPreview && custom && !isProvider) {
                // Known at preview: the inputs and the names the provider's Check generates.
                const known: Record<string, any> = { ...a.inputs };
                for (const key of AUTONAMED_PROPERTIES) {
                    if (typeof mocked.state[key] === "string" && known[key] === undefined) {
                        known[key] = mocked.state[key];
                    }
                }
                mocked = { id: undefined, state: known };
            }
            const record: RecordedResource = {
                urn,
                type: a.type,
                name: a.name,
                custom,
                inputs: markUnknowns(a.inputs) as Record<string, any>,
                state: mocked.state,
                parent: info?.parent,
                provider: providerUrnOf(a.provider),
                region: custom ? region : undefined,
                options: info?.options ?? optionsOf({}),
                propertyDependencies: info?.propertyDependencies ?? {},
            };
            if (byUrn.has(urn)) {
                throw new Error(`duplicate URN ${urn}: two resources share a type and logical name under the same parent`);
            }
            byUrn.set(urn, record);
            resources.push(record);
            return { id: mocked.id as string | undefined, state: mocked.state };
        },
        call(a: pulumi.runtime.MockCallArgs): Record<string, any> {
            return mockCall(a.token, a.inputs, regionOf(a.provider, a.inputs));
        },
    };

    pulumi.runtime.setAllConfig(values, secretKeys);
    await pulumi.runtime.setMocks(mocks, project, stack, Boolean(args.firstPreview));
    const monitor: any = settings.getMonitor();
    monitor.newUrn = (parent: string | undefined, type: string, name: string) => engineUrn(stack, project, parent || undefined, type, name);
    for (const method of ["registerResource", "readResource"]) {
        const original = monitor[method].bind(monitor);
        monitor[method] = (req: any, callback: any) => {
            current = { parent: req.getParent() || undefined, options: optionsOf(req), propertyDependencies: propertyDependenciesOf(req) };
            return original(req, callback);
        };
    }

    let outputs: Record<string, any> | undefined;
    try {
        outputs = await pulumi.runtime.runInPulumiStack(async () => args.program());
        await (settings as any).waitForRPCs();
    } catch (err) {
        // Let callers check what was registered before the failure (a bad config must register nothing).
        if (err instanceof Error) {
            Object.defineProperty(err, "recordedResources", { value: resources, enumerable: false });
        }
        throw err;
    }
    return { project, stack, resources, outputs: (outputs ?? {}) as Record<string, any>, config: values };
}
