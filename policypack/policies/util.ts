/**
 * Shared helpers for the policies: safe property access under the preview-time unknown-checking
 * proxy, environment detection, effective tags, IAM policy-document parsing and resource
 * correlation for stack policies.
 */
import {
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    StackValidation,
    StackValidationArgs,
} from "@pulumi/policy";
import taggableTypeList = require("./taggable-types.json");

/** Resource types whose inputs have `tags` (the AWS provider computes `tagsAll` for them). */
export const TAGGABLE_TYPES: ReadonlySet<string> = new Set<string>(taggableTypeList as string[]);

// ------------------------------------------------------------------------------------------------
// Unknown values.
//
// During `pulumi preview` the engine sends values that are not known yet (an ARN of a resource
// that is still to be created) as sentinel strings. @pulumi/policy wraps the properties in a proxy
// that throws `UnknownValueError` when such a value is read; the server catches that error and
// turns it into an ADVISORY "can't run policy during preview" diagnostic. For most policies that
// is acceptable (the check runs again on `pulumi up`), but an IAM document that cannot be read is
// one we cannot vouch for: IAM policies therefore catch the error themselves and report a
// violation at their own level (fail closed), see `failClosed`.
//
// Each of those policies has the config property `unknownAtPreview` ("fail" by default). "defer"
// hands the unknown back to the framework (its advisory "can't run ... during preview"): for the
// FIRST deployment of a fresh stack, whose documents name ids that do not exist yet. `pulumi up`
// analyzes every resource again before creating or updating it, with its inputs resolved, so the
// check then runs on the real document (policypack/README.md "Unknown values and failing closed").
// A value that IS known is judged the same way in both modes.
// ------------------------------------------------------------------------------------------------

/** The sentinel strings the engine uses for unknown values (see @pulumi/policy/proxy.js). */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
    "030794c1-ac77-496b-92df-f27374a8bd58", // asset
    "e48ece36-62e2-4504-bad9-02848725956a", // archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** True for the error @pulumi/policy's proxy throws on reading an unknown value. */
export function isUnknownValueError(e: unknown): e is Error {
    return e instanceof Error && (e.constructor?.name === "UnknownValueError" || / can't be known during preview$/.test(e.message));
}

/** The value produced by `read()`, or `undefined` when it is unknown at preview time. */
export function safe<T>(read: () => T): T | undefined {
    try {
        return read();
    } catch (e) {
        if (isUnknownValueError(e)) return undefined;
        throw e;
    }
}

/** True when reading the value (deeply) would throw because part of it is unknown. */
export function isUnknown(read: () => unknown): boolean {
    try {
        deepRead(read());
        return false;
    } catch (e) {
        if (isUnknownValueError(e)) return true;
        throw e;
    }
}

/** Touches every nested value so that the proxy throws on any unknown inside. */
export function deepRead(v: unknown): unknown {
    if (Array.isArray(v)) {
        for (const x of v) deepRead(x);
    } else if (v !== null && typeof v === "object") {
        for (const k of Object.keys(v)) deepRead((v as Record<string, unknown>)[k]);
    } else if (typeof v === "string" && UNKNOWN_SENTINELS.has(v)) {
        // A raw sentinel that escaped the proxy (a value read from an unproxied copy).
        throw new UnknownSentinelError();
    }
    return v;
}

class UnknownSentinelError extends Error {
    constructor() {
        super("value can't be known during preview");
    }
}

/** What a fail-closed policy does with a value it cannot read at preview (config `unknownAtPreview`). */
export const UNKNOWN_AT_PREVIEW_MODES = ["fail", "defer"] as const;
export type UnknownAtPreview = (typeof UNKNOWN_AT_PREVIEW_MODES)[number];

/** The config key, declared by every policy that fails closed (and only by those). */
export const UNKNOWN_AT_PREVIEW_KEY = "unknownAtPreview";

/** configSchema fragment for the policies that fail closed on unknown values. */
export const unknownAtPreviewSchema: PolicyConfigSchema["properties"] = {
    [UNKNOWN_AT_PREVIEW_KEY]: {
        type: "string",
        enum: [...UNKNOWN_AT_PREVIEW_MODES],
        default: "fail",
        description:
            "What to do with a document that is unknown at preview. \"fail\" (default): report a violation at the policy's level (fail closed). " +
            "\"defer\": let @pulumi/policy report its advisory \"can't run policy ... during preview\"; `pulumi up` analyzes the resource again " +
            "with its inputs resolved and enforces the policy then. Only for the first deployment of a fresh stack " +
            "(policypack/config/<stack>.first-deploy.json). Known values are judged the same in both modes.",
    },
};

/**
 * The configured `unknownAtPreview` mode. Anything but exactly "defer" is "fail": the engine
 * rejects other values against the schema, and should one get through, failing closed is the safe reading.
 */
export function unknownAtPreviewOf(args: { getConfig<C extends object>(): C }): UnknownAtPreview {
    const v = args.getConfig<{ unknownAtPreview?: unknown }>()[UNKNOWN_AT_PREVIEW_KEY];
    return v === "defer" ? "defer" : "fail";
}

/** @pulumi/policy's proxy module: its server turns exactly this class (`instanceof`) into the advisory. */
interface PolicyProxyModule {
    UnknownValueError?: new (unknownTypeSentinel: unknown, props: string[]) => Error & { unknownTypeSentinel?: unknown; props?: string[] };
    unknownStringValue?: unknown;
}

function policyProxy(): PolicyProxyModule {
    // `UnknownValueError` is @internal (proxy.d.ts declares nothing), hence the untyped require. It
    // resolves to the same module instance as the server's `require("./proxy")`.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require("@pulumi/policy/proxy") as PolicyProxyModule;
}

/**
 * The framework's own `UnknownValueError` for `e` (the one the proxy threw, or an equivalent for a
 * raw sentinel found by `deepRead`), with `note` appended to its message; undefined when
 * @pulumi/policy no longer exposes the class (the caller then fails closed).
 */
export function frameworkUnknown(e: Error, note: string): Error | undefined {
    const { UnknownValueError, unknownStringValue } = policyProxy();
    if (typeof UnknownValueError !== "function") return undefined;
    const original = e as Error & { unknownTypeSentinel?: unknown; props?: string[] };
    const out = new UnknownValueError(original.unknownTypeSentinel ?? unknownStringValue, Array.isArray(original.props) ? original.props : []);
    out.message = `${e.message}; ${note}`;
    return out;
}

/**
 * Wraps a validation so that an unknown value makes it report a violation instead of letting the
 * framework downgrade it to an advisory "can't run during preview" note (fail closed). Used by
 * every IAM policy that reads a document. With the policy's config `unknownAtPreview: "defer"` the
 * unknown is re-thrown as the framework's UnknownValueError instead (its advisory; `pulumi up`
 * checks the resource again with the value known). Violations of known values reported before
 * the unknown was met stand in both modes.
 */
export function failClosed(what: string, validate: ResourceValidation): ResourceValidation {
    return async (args, report) => {
        try {
            await validate(args, report);
        } catch (e) {
            if (!isUnknownValueError(e)) throw e;
            if (unknownAtPreviewOf(args) === "defer") {
                const deferred = frameworkUnknown(e, `deferred by unknownAtPreview "defer": checked again when \`pulumi up\` creates or updates '${args.name}' with the value known`);
                if (deferred) throw deferred;
            }
            report(
                `${what} of '${args.name}' could not be verified (${e.message}); IAM checks fail closed. ` +
                    "Build the document from values known at preview (ARNs from names with pulumi.interpolate) or move the statement with the unknown value to its own policy. " +
                    "For the first deployment of a fresh stack only: policypack/config/<stack>.first-deploy.json (unknownAtPreview: \"defer\").",
            );
        }
    };
}

/** A resource validation that runs only for the given type tokens. */
export function forTypes(types: readonly string[], validate: ResourceValidation): ResourceValidation {
    const set = new Set(types);
    return (args, report) => {
        if (!set.has(args.type)) return;
        return validate(args, report);
    };
}

// ------------------------------------------------------------------------------------------------
// Environment.
// ------------------------------------------------------------------------------------------------

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;

/** configSchema fragment for policies whose verdict depends on the environment. */
export const environmentSchema: PolicyConfigSchema["properties"] = {
    environment: {
        type: "string",
        enum: [...ENVIRONMENTS],
        description:
            "The environment this stack is (dev, staging, prod). When unset the policy reads the resource's " +
            "tagsAll.Environment (the provider's default tags), so set it in the per-stack config file to be explicit.",
    },
};

/**
 * The environment a resource belongs to: the policy config's `environment` key when set,
 * otherwise the resource's effective `Environment` tag.
 */
export function environmentOf(configured: string | undefined, props: Record<string, any>, provider?: { props: Record<string, any> }): string | undefined {
    if (configured) return configured.toLowerCase();
    const tags = effectiveTags(props, provider);
    const env = tags?.["Environment"];
    return typeof env === "string" ? env.toLowerCase() : undefined;
}

/** The environment of a stack: the configured one or the first Environment tag found. */
export function stackEnvironment(configured: string | undefined, resources: PolicyResource[]): string | undefined {
    if (configured) return configured.toLowerCase();
    for (const r of resources) {
        const env = environmentOf(undefined, r.props, r.provider);
        if (env) return env;
    }
    return undefined;
}

// ------------------------------------------------------------------------------------------------
// Tags.
// ------------------------------------------------------------------------------------------------

function parseMaybeJson(v: unknown): unknown {
    if (typeof v === "string") {
        try {
            return JSON.parse(v);
        } catch {
            return undefined;
        }
    }
    return v;
}

/** The provider's default tags (`defaultTags.tags`; provider inputs carry it as JSON text). */
export function providerDefaultTags(provider?: { props: Record<string, any> }): Record<string, string> {
    if (!provider) return {};
    const dt = parseMaybeJson(safe(() => provider.props["defaultTags"])) as { tags?: Record<string, string> } | undefined;
    const tags = dt && typeof dt === "object" ? dt.tags : undefined;
    return tags && typeof tags === "object" ? { ...tags } : {};
}

/**
 * The tags a resource will carry: `tagsAll` as the AWS provider computed it during Check (default
 * tags merged with the resource's tags). When `tagsAll` is absent or unknown, the same merge is
 * done here from the provider's default tags and the resource's `tags`.
 */
export function effectiveTags(props: Record<string, any>, provider?: { props: Record<string, any> }): Record<string, string> | undefined {
    const all = safe(() => props["tagsAll"]);
    if (all && typeof all === "object" && Object.keys(all).length > 0) return plain(all) as Record<string, string>;
    const own = safe(() => props["tags"]);
    const merged: Record<string, string> = { ...providerDefaultTags(provider) };
    if (own && typeof own === "object") {
        for (const k of Object.keys(own)) {
            const v = safe(() => (own as Record<string, string>)[k]);
            if (v !== undefined && v !== null) merged[k] = v;
        }
    }
    return merged;
}

/** Copies a proxied value into plain data, replacing unknown parts with undefined. */
export function plain(v: unknown): unknown {
    if (Array.isArray(v)) return Array.from({ length: v.length }, (_, i) => plain(safe(() => v[i])));
    if (v !== null && typeof v === "object") {
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(v)) out[k] = plain(safe(() => (v as Record<string, unknown>)[k]));
        return out;
    }
    return v;
}

// ------------------------------------------------------------------------------------------------
// IAM documents.
// ------------------------------------------------------------------------------------------------

export interface Statement {
    Sid?: string;
    Effect: string;
    Action: string[];
    NotAction: string[];
    Resource: string[];
    NotResource: string[];
    Principal?: unknown;
    NotPrincipal?: unknown;
    Condition?: Record<string, Record<string, unknown>>;
}

function asList(v: unknown): string[] {
    if (v === undefined || v === null) return [];
    return Array.isArray(v) ? v.map((x) => String(x)) : [String(v)];
}

/**
 * Parses a policy document given as JSON text or an object (Pulumi accepts both). Reading any
 * unknown part throws UnknownValueError (so callers wrapped in `failClosed` report it).
 * Throws a plain Error for text that is not JSON.
 */
export function parsePolicyDocument(doc: unknown): Statement[] {
    deepRead(doc);
    const parsed = typeof doc === "string" ? JSON.parse(doc) : plain(doc);
    if (!parsed || typeof parsed !== "object") return [];
    deepRead(parsed);
    const raw = (parsed as Record<string, unknown>)["Statement"];
    const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    return list.map((s: any) => ({
        Sid: s.Sid,
        Effect: String(s.Effect ?? ""),
        Action: asList(s.Action),
        NotAction: asList(s.NotAction),
        Resource: asList(s.Resource),
        NotResource: asList(s.NotResource),
        Principal: s.Principal,
        NotPrincipal: s.NotPrincipal,
        Condition: s.Condition,
    }));
}

/** Describes a statement for messages: its Sid or its index. */
export function stmtLabel(s: Statement, i: number): string {
    return s.Sid ? `statement '${s.Sid}'` : `statement #${i + 1}`;
}

/** Matches an IAM action against a pattern with `*` and `?` wildcards, case-insensitively. */
export function actionMatches(pattern: string, action: string): boolean {
    const re = new RegExp("^" + pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") + "$", "i");
    return re.test(action);
}

/** The AWS principals of a Principal element: "*" for the anonymous/any principal. */
export function principalValues(p: unknown): { aws: string[]; service: string[]; federated: string[]; any: boolean } {
    const out = { aws: [] as string[], service: [] as string[], federated: [] as string[], any: false };
    if (p === undefined || p === null) return out;
    if (p === "*") {
        out.any = true;
        return out;
    }
    if (typeof p === "object") {
        const o = p as Record<string, unknown>;
        out.aws = asList(o["AWS"]);
        out.service = asList(o["Service"]);
        out.federated = asList(o["Federated"]);
        if (out.aws.includes("*") || asList(o["CanonicalUser"]).includes("*")) out.any = true;
    }
    return out;
}

/** Condition keys (lower-cased) used anywhere in a statement's Condition block. */
export function conditionKeys(s: Statement): string[] {
    const keys: string[] = [];
    for (const op of Object.keys(s.Condition ?? {})) {
        const block = s.Condition![op];
        if (block && typeof block === "object") keys.push(...Object.keys(block).map((k) => k.toLowerCase()));
    }
    return keys;
}

// ------------------------------------------------------------------------------------------------
// Stack correlation.
// ------------------------------------------------------------------------------------------------

/** Values by which another resource may refer to this one (id, ARN, name...). */
export function identities(r: PolicyResource, keys: readonly string[] = ["id", "arn", "name", "bucket"]): Set<string> {
    const out = new Set<string>();
    for (const k of keys) {
        const v = safe(() => r.props[k]);
        if (typeof v === "string" && v !== "" && !UNKNOWN_SENTINELS.has(v)) out.add(v);
    }
    return out;
}

/**
 * True when property `prop` of `from` refers to `target`: the engine's property dependencies say
 * so, or the value equals one of the target's identities (id, ARN, name).
 *
 * Property dependencies are consulted ALWAYS, not only when the value is unknown: they are the
 * engine's own record of where a value came from, identical in the first preview of a fresh stack
 * (ids and ARNs unknown) and in every later preview, so a policy gives the same verdict in both,
 * and they also match references by an attribute outside `keys` (a secret referenced by name).
 * The value comparison adds what dependencies cannot show: a literal id (another stack's resource,
 * a graph recorded without dependencies). The one imprecision: a value computed from several
 * resources (`pulumi.all([a.id, b.id]).apply(...)`) depends on all of them and counts as referring
 * to each.
 */
export function refersTo(from: PolicyResource, prop: string, target: PolicyResource, keys?: readonly string[]): boolean {
    if ((from.propertyDependencies[prop] ?? []).some((d) => d.urn === target.urn)) return true;
    const ids = identities(target, keys);
    const v = safe(() => from.props[prop]);
    const values = Array.isArray(v) ? (plain(v) as unknown[]) : [v];
    return values.some((x) => typeof x === "string" && ids.has(x));
}

export function ofTypes(resources: PolicyResource[], types: readonly string[]): PolicyResource[] {
    const set = new Set(types);
    return resources.filter((r) => set.has(r.type));
}

export type { PolicyConfigSchema, ReportViolation, ResourceValidationArgs, StackValidation, StackValidationArgs };

/** `getConfig` with the schema defaults applied (the engine applies them too; this keeps tests honest). */
export function configOf<T extends object>(args: { getConfig<C extends object>(): C }, defaults: T): T {
    const c = args.getConfig<Partial<T>>();
    const out = { ...defaults } as Record<string, unknown>;
    for (const [k, v] of Object.entries(c)) if (v !== undefined) out[k] = v;
    return out as T;
}

/**
 * True when the value is set, or is unknown at preview time (an unknown value is a reference to a
 * resource being created, such as the ARN of a new KMS key: it will be set).
 */
export function isSetOrUnknown(read: () => unknown): boolean {
    try {
        const v = read();
        if (typeof v === "string" && UNKNOWN_SENTINELS.has(v)) return true;
        return v !== undefined && v !== null && v !== "";
    } catch (e) {
        if (isUnknownValueError(e)) return true;
        throw e;
    }
}

/** A KMS key reference that is a customer managed key (not `alias/aws/...`); unknown counts as a new CMK. */
export function isCmkRef(read: () => unknown): boolean {
    try {
        const v = read();
        if (typeof v === "string" && UNKNOWN_SENTINELS.has(v)) return true;
        return typeof v === "string" && v.trim() !== "" && !/(^|:)alias\/aws\//.test(v);
    } catch (e) {
        if (isUnknownValueError(e)) return true;
        throw e;
    }
}
