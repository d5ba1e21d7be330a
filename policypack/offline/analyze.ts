/**
 * Offline policy analysis: runs the policy pack over a recorded resource graph through the SAME
 * analyzer service implementation @pulumi/policy serves to the Pulumi engine, so that a pull request
 * (even from a fork, without credentials) gets the verdict `pulumi preview --policy-pack` would give.
 *
 * How it stays faithful to the engine:
 * - The service object is the one `@pulumi/policy/server`'s `serve()` registers on its gRPC server
 *   (analyze, analyzeStack, configure, configureStack, getAnalyzerInfo). `serve()` is called once,
 *   with `grpc.Server.prototype.addService` intercepted to capture that object and `bindAsync`
 *   replaced by a no-op, so no port is opened and nothing keeps the process alive. `serve()` also
 *   performs the pack's own validation (policy names, reserved config keys).
 * - Every request is a real protobuf message from `@pulumi/pulumi/proto/analyzer_pb`, serialised to
 *   bytes and parsed back as it would be on the wire, with `AnalyzerResourceOptions` and provider
 *   info set as the engine sets them.
 * - Before analysis, the AWS provider's Check is emulated: for every resource of a taggable type
 *   (its inputs have `tags`) whose provider has `defaultTags.tags`, `tagsAll` = default tags merged
 *   with the resource's `tags` (resource wins), exactly the property policies see in a real preview.
 * - The policy config file (`--policy-pack-config` format) is validated against each policy's
 *   configSchema, completed with schema defaults, and sent through the service's `configure` RPC;
 *   enforcement levels resolve as the engine does: policy entry > "all" entry > policy default.
 * - Unknown values: a recorded value equal to one of the engine's unknown sentinels travels as that
 *   sentinel, and the framework's unknown-checking proxy treats it exactly as in a real preview.
 * - Property dependencies: each resource's recorded `propertyDependencies` (input property -> URNs
 *   its value came from) travel in the AnalyzeStack request's `AnalyzerResource.propertyDependencies`
 *   as the engine sends them, so stack policies can correlate resources while ids are unknown (the
 *   first preview of a fresh stack; `runStack(stack, { firstPreview: true })`).
 */
import * as path from "path";
import * as analyzerproto from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { Policy, PolicyConfigSchema, PolicyPackArgs } from "@pulumi/policy";
import type { RecordedResource } from "../../tools/offline/types";
import { PACK_NAME, packArgs } from "../policies";
import { TAGGABLE_TYPES } from "../policies/util";

export type { RecordedResource };

export type Level = "advisory" | "mandatory" | "remediate" | "disabled";

export interface AnalyzeOptions {
    /** Contents of a `--policy-pack-config` file: `{ "all"?: level, "<policy>": level | { enforcementLevel?, ...config } }`. */
    policyConfig?: Record<string, unknown>;
    stack: string;
    project: string;
    /** Stack tags (`configureStack`), as the service's `stackTags`. */
    stackTags?: Record<string, string>;
    /**
     * The resources were recorded as the first preview of a fresh stack sees them
     * (`runStack(stack, { firstPreview: true })`: ids and ARNs unknown). Only labels the report.
     */
    firstPreview?: boolean;
}

export interface PolicyDiagnostic {
    policyName: string;
    enforcementLevel: Exclude<Level, "disabled">;
    severity?: string;
    /** What the policy found on this resource (the violation text without the policy description). */
    message: string;
    /** The policy's description (why it exists). */
    description: string;
    /** URN of the resource in violation; undefined for a violation of the stack as a whole. */
    urn?: string;
    resourceType?: string;
    resourceName?: string;
    /** "resource" for Analyze (inputs), "stack" for AnalyzeStack (outputs). */
    phase: "resource" | "stack";
}

export interface PolicyReport {
    project: string;
    stack: string;
    policyPack: { name: string; version: string };
    resourcesAnalyzed: number;
    policiesEnabled: number;
    /** Effective enforcement level of every policy after applying the config. */
    levels: Record<string, Level>;
    diagnostics: PolicyDiagnostic[];
    counts: { mandatory: number; advisory: number };
    /** False when at least one mandatory violation was found (a real preview would fail). */
    passed: boolean;
    /** True when the graph is the first preview of a fresh stack (AnalyzeOptions.firstPreview). */
    firstPreview?: boolean;
}

const PACK_VERSION: string = require("../package.json").version;

// ------------------------------------------------------------------------------------------------
// The service, captured from @pulumi/policy's serve().
// ------------------------------------------------------------------------------------------------

type Handler = (call: { request: unknown }, callback: (err: unknown, resp?: any) => void) => unknown;
interface AnalyzerService {
    analyze: Handler;
    analyzeStack: Handler;
    configure: Handler;
    configureStack: Handler;
    getAnalyzerInfo: Handler;
}

// Kept on globalThis: @pulumi/policy/server can serve only one pack per process, and the offline
// runner clears project modules from the require cache between program runs, so a module-level
// variable could be lost while the server's "already serving" flag survives.
const SERVICE_KEY = Symbol.for("platform-policypack/offline/analyzer-service");
const globalSlot = globalThis as unknown as Record<symbol, AnalyzerService | undefined>;

function analyzerService(): AnalyzerService {
    const existing = globalSlot[SERVICE_KEY];
    if (existing) return existing;
    const policyDir = path.dirname(require.resolve("@pulumi/policy/package.json"));
    // The exact @grpc/grpc-js instance @pulumi/policy's server uses.
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [policyDir] }));
    const server = require("@pulumi/policy/server");
    const proto = grpc.Server.prototype;
    const { addService, bindAsync } = proto;
    let captured: AnalyzerService | undefined;
    proto.addService = function (_def: unknown, impl: AnalyzerService) {
        captured = impl;
    };
    proto.bindAsync = function () {
        /* not bound: the offline analyzer calls the service in-process */
    };
    try {
        server.serve(PACK_NAME, PACK_VERSION, packArgs.enforcementLevel ?? "advisory", packArgs, undefined);
    } finally {
        proto.addService = addService;
        proto.bindAsync = bindAsync;
    }
    if (!captured) throw new Error("@pulumi/policy/server did not register an analyzer service; its internals changed: update policypack/offline/analyze.ts.");
    globalSlot[SERVICE_KEY] = captured;
    return captured;
}

function call<T>(h: Handler, request: { serializeBinary(): Uint8Array }, type: { deserializeBinary(b: Uint8Array): T }): Promise<any> {
    // Round-trip through the wire format as the engine's gRPC client would.
    const onWire = type.deserializeBinary(request.serializeBinary());
    return new Promise((resolve, reject) => {
        h.call(undefined, { request: onWire }, (err, resp) => (err ? reject(err) : resolve(resp)));
    });
}

// Module-global state in @pulumi/policy/server (config, stack tags): one analysis at a time.
let queue: Promise<unknown> = Promise.resolve();

// ------------------------------------------------------------------------------------------------
// Policy config (the engine's side of `--policy-pack-config`).
// ------------------------------------------------------------------------------------------------

const LEVELS: Level[] = ["advisory", "mandatory", "remediate", "disabled"];
const LEVEL_TO_PROTO: Record<Level, number> = {
    advisory: analyzerproto.EnforcementLevel.ADVISORY,
    mandatory: analyzerproto.EnforcementLevel.MANDATORY,
    remediate: analyzerproto.EnforcementLevel.REMEDIATE,
    disabled: analyzerproto.EnforcementLevel.DISABLED,
};
const PROTO_TO_LEVEL: Record<number, Level> = Object.fromEntries(Object.entries(LEVEL_TO_PROTO).map(([k, v]) => [v, k as Level]));

export interface ResolvedPolicyConfig {
    level: Level;
    properties: Record<string, unknown>;
}

function checkValue(schema: any, v: unknown, where: string, errors: string[]): void {
    if (!schema) return;
    const t = schema.type;
    const ok =
        t === undefined ||
        (t === "string" && typeof v === "string") ||
        (t === "boolean" && typeof v === "boolean") ||
        (t === "integer" && Number.isInteger(v)) ||
        (t === "number" && typeof v === "number") ||
        (t === "array" && Array.isArray(v)) ||
        (t === "object" && v !== null && typeof v === "object" && !Array.isArray(v));
    if (!ok) {
        errors.push(`${where}: expected ${t}, got ${JSON.stringify(v)}`);
        return;
    }
    if (schema.enum && !schema.enum.includes(v)) errors.push(`${where}: expected one of ${schema.enum.join(", ")}, got ${JSON.stringify(v)}`);
    if (t === "array" && schema.items) (v as unknown[]).forEach((x, i) => checkValue(schema.items, x, `${where}[${i}]`, errors));
}

/**
 * Validates a policy config file against the pack and returns each policy's effective level and
 * properties (schema defaults filled in). Throws one error listing every problem.
 */
export function resolvePolicyConfig(policyList: PolicyPackArgs["policies"], file: Record<string, unknown> = {}, packLevel: Level = "advisory"): Map<string, ResolvedPolicyConfig> {
    const errors: string[] = [];
    const byName = new Map<string, Policy>(policyList.map((p) => [p.name, p]));
    const levelOf = (v: unknown, where: string): Level | undefined => {
        if (v === undefined) return undefined;
        if (typeof v === "string" && (LEVELS as string[]).includes(v)) return v as Level;
        errors.push(`${where}: enforcement level must be one of ${LEVELS.join(", ")}, got ${JSON.stringify(v)}`);
        return undefined;
    };
    let allLevel: Level | undefined;
    if (file["all"] !== undefined) {
        const a = file["all"];
        allLevel = levelOf(typeof a === "object" && a !== null ? (a as any).enforcementLevel : a, "all");
    }
    for (const key of Object.keys(file)) {
        if (key !== "all" && key !== "$schema" && !byName.has(key)) errors.push(`${key}: no such policy in ${PACK_NAME} (known: see policypack/README.md)`);
    }
    const out = new Map<string, ResolvedPolicyConfig>();
    for (const p of policyList) {
        const entry = file[p.name];
        let level: Level | undefined;
        const props: Record<string, unknown> = {};
        const schema: PolicyConfigSchema | undefined = p.configSchema;
        for (const [k, s] of Object.entries(schema?.properties ?? {})) if ((s as any).default !== undefined) props[k] = structuredClone((s as any).default);
        if (typeof entry === "string") level = levelOf(entry, p.name);
        else if (entry && typeof entry === "object") {
            for (const [k, v] of Object.entries(entry as Record<string, unknown>)) {
                if (k === "enforcementLevel") {
                    level = levelOf(v, `${p.name}.enforcementLevel`);
                    continue;
                }
                const s = schema?.properties?.[k];
                if (!s) {
                    errors.push(`${p.name}.${k}: not a config key of this policy (keys: ${Object.keys(schema?.properties ?? {}).join(", ") || "none"})`);
                    continue;
                }
                checkValue(s, v, `${p.name}.${k}`, errors);
                props[k] = v;
            }
        } else if (entry !== undefined) errors.push(`${p.name}: expected an enforcement level or an object, got ${JSON.stringify(entry)}`);
        for (const r of schema?.required ?? []) if (props[r] === undefined) errors.push(`${p.name}.${r}: required`);
        out.set(p.name, { level: level ?? allLevel ?? p.enforcementLevel ?? packLevel, properties: props });
    }
    if (errors.length > 0) throw new Error(`Invalid policy config:\n  - ${errors.join("\n  - ")}`);
    return out;
}

// ------------------------------------------------------------------------------------------------
// Provider Check emulation and property encoding.
// ------------------------------------------------------------------------------------------------

function defaultTagsOf(provider: RecordedResource | undefined): Record<string, string> {
    if (!provider || provider.type !== "pulumi:providers:aws") return {};
    let dt: any = provider.inputs?.["defaultTags"];
    if (typeof dt === "string") {
        try {
            dt = JSON.parse(dt);
        } catch {
            return {};
        }
    }
    const tags = dt?.tags;
    return tags && typeof tags === "object" ? { ...tags } : {};
}

/** What the AWS provider's Check adds: `tagsAll` for taggable types. */
export function withProviderCheck(r: RecordedResource, props: Record<string, any>, provider: RecordedResource | undefined): Record<string, any> {
    if (!r.type.startsWith("aws:") || !TAGGABLE_TYPES.has(r.type)) return props;
    if (props["tagsAll"] !== undefined && Object.keys(props["tagsAll"] ?? {}).length > 0) return props;
    const own = props["tags"] && typeof props["tags"] === "object" ? props["tags"] : {};
    const merged: Record<string, string> = { ...defaultTagsOf(provider) };
    for (const [k, v] of Object.entries(own)) if (v !== undefined && v !== null) merged[k] = v as string;
    return { ...props, tagsAll: merged };
}

/** The engine's wire sentinel for an unknown value (what the SDK sends for an unknown Output). */
export const UNKNOWN_WIRE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * Converts recorded values to what can travel in a protobuf Struct. The SDK's in-process unknown
 * marker (`pulumi.Output` unknowns, `__pulumiUnknown`) becomes the engine's sentinel, exactly as
 * the SDK serialises it for the engine: the policies then see it as unknown, never as an object.
 */
export function toWire(v: unknown): unknown {
    if (v === undefined || typeof v === "function" || typeof v === "symbol") return undefined;
    if (isSdkUnknown(v)) return UNKNOWN_WIRE;
    if (v === null || typeof v === "string" || typeof v === "boolean") return v;
    if (typeof v === "number") return Number.isFinite(v) ? v : null;
    if (typeof v === "bigint") return Number(v);
    if (Array.isArray(v)) return v.map((x) => toWire(x) ?? null);
    if (typeof v === "object") {
        const o = v as Record<string, unknown>;
        // Assets and archives (Lambda code): policies never read them.
        if (o["__pulumiAsset"] || o["__pulumiArchive"] || (typeof o.constructor === "function" && /Asset|Archive/.test(o.constructor.name))) return "[asset]";
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(o)) {
            const w = toWire(x);
            if (w !== undefined) out[k] = w;
        }
        return out;
    }
    return String(v);
}

/** `pulumi.Output`'s unknown marker (duck-typed like the SDK's own check, works across SDK copies). */
function isSdkUnknown(v: unknown): boolean {
    return typeof v === "object" && v !== null && (v as { __pulumiUnknown?: unknown }).__pulumiUnknown === true;
}

function struct(props: Record<string, unknown>): Struct {
    return Struct.fromJavaScript((toWire(props) ?? {}) as any);
}

function options(r: RecordedResource): analyzerproto.AnalyzerResourceOptions {
    const o = new analyzerproto.AnalyzerResourceOptions();
    o.setProtect(!!r.options?.protect);
    o.setIgnorechangesList(r.options?.ignoreChanges ?? []);
    o.setDeletebeforereplace(!!r.options?.deleteBeforeReplace);
    o.setDeletebeforereplacedefined(r.options?.deleteBeforeReplace !== undefined);
    o.setAdditionalsecretoutputsList(r.options?.additionalSecretOutputs ?? []);
    // The recorder keeps only the number of aliases; the policies do not read alias URNs.
    o.setAliasesList(Array.from({ length: r.options?.aliases ?? 0 }, (_, i) => `${r.urn}$alias-${i}`));
    o.setCustomtimeouts(new analyzerproto.AnalyzerResourceOptions.CustomTimeouts());
    if (r.parent) o.setParent(r.parent);
    return o;
}

function providerInfo(provider: RecordedResource | undefined): analyzerproto.AnalyzerProviderResource | undefined {
    if (!provider) return undefined;
    const p = new analyzerproto.AnalyzerProviderResource();
    p.setType(provider.type);
    p.setName(provider.name);
    p.setUrn(provider.urn);
    p.setProperties(struct(provider.inputs ?? {}));
    return p;
}

/**
 * `AnalyzerResource.propertyDependencies` as the engine fills it in an AnalyzeStack request: for
 * each input property, the URNs of the resources its value came from (`map<string,
 * AnalyzerPropertyDependencies{ repeated string urns }>`). The engine sends them unfiltered;
 * @pulumi/policy's server resolves each URN to the PolicyResource of the same request and drops
 * the ones it cannot find, which gives `PolicyResource.propertyDependencies`.
 */
export function setPropertyDependencies(ar: analyzerproto.AnalyzerResource, deps: Record<string, string[]> | undefined): void {
    const map = ar.getPropertydependenciesMap();
    for (const [prop, urns] of Object.entries(deps ?? {})) {
        const d = new analyzerproto.AnalyzerPropertyDependencies();
        d.setUrnsList([...urns]);
        map.set(prop, d);
    }
}

function diagnosticsOf(resp: analyzerproto.AnalyzeResponse, phase: "resource" | "stack", fallback?: RecordedResource, byUrn?: Map<string, RecordedResource>): PolicyDiagnostic[] {
    return resp.getDiagnosticsList().map((d) => {
        const level = PROTO_TO_LEVEL[d.getEnforcementlevel()] ?? "advisory";
        const description = d.getDescription();
        let message = d.getMessage();
        if (description && message.startsWith(description)) message = message.slice(description.length).replace(/^\n/, "");
        const urn = d.getUrn() || fallback?.urn || undefined;
        const r = urn ? (byUrn?.get(urn) ?? fallback) : undefined;
        return {
            policyName: d.getPolicyname(),
            enforcementLevel: (level === "disabled" ? "advisory" : level) as PolicyDiagnostic["enforcementLevel"],
            severity: ["", "low", "medium", "high", "critical"][d.getSeverity()] || undefined,
            message: message || description,
            description,
            urn,
            resourceType: r?.type,
            resourceName: r?.name,
            phase,
        };
    });
}

// ------------------------------------------------------------------------------------------------
// analyze()
// ------------------------------------------------------------------------------------------------

/**
 * Runs every policy over `resources` as a `pulumi preview --policy-pack` would: Analyze for each
 * resource (its inputs after the provider's Check), then AnalyzeStack for the whole stack (its
 * outputs). Throws on an invalid policy config or when a policy crashes.
 */
export function analyze(resources: RecordedResource[], opts: AnalyzeOptions): Promise<PolicyReport> {
    const run = queue.then(() => analyzeNow(resources, opts));
    queue = run.catch(() => undefined);
    return run;
}

async function analyzeNow(resources: RecordedResource[], opts: AnalyzeOptions): Promise<PolicyReport> {
    const svc = analyzerService();
    const resolved = resolvePolicyConfig(packArgs.policies, opts.policyConfig ?? {}, packArgs.enforcementLevel ?? "advisory");

    // Configure: the engine sends the reconciled config of every policy.
    const creq = new analyzerproto.ConfigureAnalyzerRequest();
    for (const [name, c] of resolved) {
        const pc = new analyzerproto.PolicyConfig();
        pc.setEnforcementlevel(LEVEL_TO_PROTO[c.level]);
        pc.setProperties(struct(c.properties));
        creq.getPolicyconfigMap().set(name, pc);
    }
    await call(svc.configure, creq, analyzerproto.ConfigureAnalyzerRequest);

    const sreq = new analyzerproto.AnalyzerStackConfigureRequest();
    sreq.setStack(opts.stack);
    sreq.setProject(opts.project);
    sreq.setOrganization("offline");
    sreq.setDryRun(true);
    for (const [k, v] of Object.entries(opts.stackTags ?? {})) sreq.getTagsMap().set(k, v);
    await call(svc.configureStack, sreq, analyzerproto.AnalyzerStackConfigureRequest);

    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const diagnostics: PolicyDiagnostic[] = [];

    for (const r of resources) {
        const provider = r.provider ? byUrn.get(r.provider) : undefined;
        const req = new analyzerproto.AnalyzeRequest();
        req.setType(r.type);
        req.setName(r.name);
        req.setUrn(r.urn);
        req.setProperties(struct(withProviderCheck(r, r.inputs ?? {}, provider)));
        req.setOptions(options(r));
        const pi = providerInfo(provider);
        if (pi) req.setProvider(pi);
        const resp = await call(svc.analyze, req, analyzerproto.AnalyzeRequest);
        diagnostics.push(...diagnosticsOf(resp, "resource", r, byUrn));
    }

    const stackReq = new analyzerproto.AnalyzeStackRequest();
    stackReq.setResourcesList(
        resources.map((r) => {
            const provider = r.provider ? byUrn.get(r.provider) : undefined;
            const ar = new analyzerproto.AnalyzerResource();
            ar.setType(r.type);
            ar.setName(r.name);
            ar.setUrn(r.urn);
            ar.setProperties(struct(withProviderCheck(r, { ...(r.inputs ?? {}), ...(r.state ?? {}) }, provider)));
            ar.setOptions(options(r));
            const pi = providerInfo(provider);
            if (pi) ar.setProvider(pi);
            if (r.parent) ar.setParent(r.parent);
            ar.setDependenciesList((r.options?.dependsOn ?? []).filter((u) => byUrn.has(u)));
            setPropertyDependencies(ar, r.propertyDependencies);
            return ar;
        }),
    );
    const stackResp = await call(svc.analyzeStack, stackReq, analyzerproto.AnalyzeStackRequest);
    diagnostics.push(...diagnosticsOf(stackResp, "stack", undefined, byUrn));

    const levels: Record<string, Level> = {};
    for (const [name, c] of resolved) levels[name] = c.level;
    const counts = {
        mandatory: diagnostics.filter((d) => d.enforcementLevel === "mandatory" || d.enforcementLevel === "remediate").length,
        advisory: diagnostics.filter((d) => d.enforcementLevel === "advisory").length,
    };
    return {
        project: opts.project,
        stack: opts.stack,
        policyPack: { name: PACK_NAME, version: PACK_VERSION },
        resourcesAnalyzed: resources.length,
        policiesEnabled: Object.values(levels).filter((l) => l !== "disabled").length,
        levels,
        diagnostics,
        counts,
        passed: counts.mandatory === 0,
        ...(opts.firstPreview ? { firstPreview: true } : {}),
    };
}

// ------------------------------------------------------------------------------------------------
// describePack(): what the engine learns from GetAnalyzerInfo.
// ------------------------------------------------------------------------------------------------

export interface PolicyDescription {
    name: string;
    concern: string;
    type: "resource" | "stack";
    enforcementLevel: Level;
    severity?: string;
    description: string;
    remediationSteps: string;
    configKeys: string[];
}

/** The pack as the engine sees it through GetAnalyzerInfo (names, levels, config schemas). */
export async function describePack(): Promise<PolicyDescription[]> {
    const svc = analyzerService();
    const empty = { serializeBinary: () => new Uint8Array(), deserializeBinary: () => ({}) };
    const info: analyzerproto.AnalyzerInfo = await new Promise((resolve, reject) =>
        svc.getAnalyzerInfo.call(undefined, { request: empty.deserializeBinary() }, (err, resp) => (err ? reject(err) : resolve(resp))),
    );
    const { policiesByConcern } = require("../policies") as typeof import("../policies");
    const concernOf = new Map<string, string>();
    for (const [concern, list] of Object.entries(policiesByConcern)) for (const p of list) concernOf.set(p.name, concern);
    return info.getPoliciesList().map((p) => ({
        name: p.getName(),
        concern: concernOf.get(p.getName()) ?? "?",
        type: p.getPolicyType() === analyzerproto.PolicyType.POLICY_TYPE_STACK ? "stack" : "resource",
        enforcementLevel: PROTO_TO_LEVEL[p.getEnforcementlevel()] ?? "advisory",
        severity: ["", "low", "medium", "high", "critical"][p.getSeverity()] || undefined,
        description: p.getDescription(),
        remediationSteps: p.getRemediationSteps(),
        configKeys: Object.keys(p.getConfigschema()?.getProperties()?.toJavaScript() ?? {}),
    }));
}
