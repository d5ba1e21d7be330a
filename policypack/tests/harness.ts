/**
 * Test harness for the policies: builds recorded resource graphs (the shape tools/offline/run.ts
 * records) and runs them through the offline analyzer, i.e. through the same analyzer service
 * @pulumi/policy serves to the engine (Configure, ConfigureStack, Analyze, AnalyzeStack).
 */
import * as assert from "assert";
import { analyze, PolicyReport, RecordedResource } from "../offline/analyze";
import { UNKNOWN_SENTINELS } from "../policies/util";

/** The engine's sentinel for an unknown string value during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const DEFAULT_TAGS = { Environment: "dev", Project: "platform", Owner: "platform-team", ManagedBy: "pulumi" };

export interface AddOptions {
    /** Extra output state (merged over the inputs and the generated id/arn). */
    state?: Record<string, any>;
    protect?: boolean;
    parent?: string;
    /** Provider URN; null for no provider. Defaults to the graph's aws provider. */
    provider?: string | null;
    dependsOn?: string[];
    /**
     * The engine's property dependencies: for each input property, the resources (or URNs) its
     * value came from. Stack policies receive them as `PolicyResource.propertyDependencies` and use
     * them to correlate resources while ids are unknown (the first preview of a fresh stack).
     */
    deps?: Record<string, (RecordedResource | string)[]>;
    /**
     * Input properties a real program builds from values known at preview (an ARN assembled from
     * a bucket name and the account id): `firstPreview()` keeps them known (and still records
     * their property dependencies).
     */
    knownAtPreview?: string[];
}

/** AddOptions.knownAtPreview of each record. */
const KNOWN_AT_PREVIEW = new WeakMap<RecordedResource, string[]>();

/** `AddOptions.deps` as recorded: property -> URNs. */
export function depUrns(deps: AddOptions["deps"] = {}): Record<string, string[]> {
    return Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, v.map((x) => (typeof x === "string" ? x : x.urn))]));
}

export class Graph {
    readonly project = "aws-platform";
    readonly resources: RecordedResource[] = [];
    readonly providerUrn: string;

    constructor(
        readonly stack = "test",
        defaultTags: Record<string, string> | null = DEFAULT_TAGS,
    ) {
        this.resources.push(this.record("pulumi:pulumi:Stack", `${this.project}-${stack}`, {}, false, { provider: null }));
        const inputs: Record<string, any> = { region: "ap-northeast-1" };
        // The AWS provider SDK sends defaultTags as JSON text.
        if (defaultTags) inputs["defaultTags"] = JSON.stringify({ tags: defaultTags });
        const p = this.record("pulumi:providers:aws", "main", inputs, true, { provider: null });
        this.resources.push(p);
        this.providerUrn = p.urn;
    }

    private record(type: string, name: string, inputs: Record<string, any>, custom: boolean, o: AddOptions = {}): RecordedResource {
        const urn = `urn:pulumi:${this.stack}::${this.project}::${type}::${name}`;
        const service = type.split(":")[1]?.split("/")[0] ?? "x";
        const computed = custom && type.startsWith("aws:") ? { id: `${name}-id`, arn: `arn:aws:${service}:ap-northeast-1:123456789012:${name}` } : {};
        return {
            urn,
            type,
            name,
            custom,
            inputs,
            state: { ...computed, ...inputs, ...(o.state ?? {}) },
            parent: o.parent,
            provider: o.provider === null ? undefined : (o.provider ?? (type.startsWith("aws:") ? this.providerUrn : undefined)),
            region: type.startsWith("aws:") ? "ap-northeast-1" : undefined,
            propertyDependencies: depUrns(o.deps),
            options: {
                protect: o.protect ?? false,
                retainOnDelete: false,
                deleteBeforeReplace: false,
                ignoreChanges: [],
                aliases: 0,
                dependsOn: o.dependsOn ?? [],
                additionalSecretOutputs: [],
                replaceOnChanges: [],
            },
        };
    }

    /** Adds a custom resource; returns its record (use `.state.id` / `.state.arn` to refer to it). */
    add(type: string, name: string, inputs: Record<string, any> = {}, o: AddOptions = {}): RecordedResource {
        const r = this.record(type, name, inputs, true, o);
        if (o.knownAtPreview) KNOWN_AT_PREVIEW.set(r, o.knownAtPreview);
        this.resources.push(r);
        return r;
    }
}

/** Runs the pack over the graph. */
export function check(g: Graph, policyConfig?: Record<string, unknown>, stackTags?: Record<string, string>): Promise<PolicyReport> {
    return analyze(g.resources, { stack: g.stack, project: g.project, policyConfig, stackTags });
}

/** Sorted unique names of the policies that reported, optionally only for one resource or level. */
export function fired(report: PolicyReport, filter: { urn?: string; level?: string } = {}): string[] {
    return [
        ...new Set(
            report.diagnostics
                .filter((d) => (filter.urn === undefined || d.urn === filter.urn) && (filter.level === undefined || d.enforcementLevel === filter.level))
                .map((d) => d.policyName),
        ),
    ].sort();
}

export function messages(report: PolicyReport, policy: string): string[] {
    return report.diagnostics.filter((d) => d.policyName === policy).map((d) => d.message);
}

/** One table row: a policy, a graph that complies with it and one that violates it. */
export interface PolicyCase {
    policy: string;
    title: string;
    build: (g: Graph) => void;
    /** true: the policy must fire; false: it must stay silent. */
    violates: boolean;
    config?: Record<string, unknown>;
    stack?: string;
    defaultTags?: Record<string, string> | null;
    /** A substring the violation message must contain. */
    expectMessage?: string;
    /** Expected enforcement level of the violation. */
    level?: "advisory" | "mandatory";
    /** Expected levels of all the policy's diagnostics, one per diagnostic (for a mix of levels). */
    levels?: ("advisory" | "mandatory")[];
    /** The logical names of exactly the resources the policy must report (violating cases). */
    reported?: string[];
}

/** Registers one mocha test per case. */
export function runCases(cases: PolicyCase[]): void {
    for (const c of cases) {
        it(`${c.policy}: ${c.violates ? "violation" : "compliant"} - ${c.title}`, async () => {
            const g = new Graph(c.stack ?? "test", c.defaultTags === undefined ? DEFAULT_TAGS : c.defaultTags);
            c.build(g);
            const report = await check(g, c.config);
            const names = fired(report);
            if (c.violates) {
                assert.ok(names.includes(c.policy), `expected ${c.policy} to fire; fired: ${names.join(", ") || "none"}`);
                if (c.expectMessage) {
                    const ms = messages(report, c.policy);
                    assert.ok(ms.some((m) => m.includes(c.expectMessage!)), `expected a message containing '${c.expectMessage}', got:\n${ms.join("\n")}`);
                }
                if (c.reported) {
                    const names = [...new Set(report.diagnostics.filter((d) => d.policyName === c.policy).map((d) => d.resourceName ?? "(stack)"))].sort();
                    assert.deepStrictEqual(names, [...c.reported].sort(), `${c.policy} reported other resources:\n${messages(report, c.policy).join("\n")}`);
                }
                if (c.level) {
                    const levels = report.diagnostics.filter((d) => d.policyName === c.policy).map((d) => d.enforcementLevel);
                    assert.ok(levels.every((l) => l === c.level), `expected ${c.level}, got ${levels.join(", ")}`);
                }
                if (c.levels) {
                    const levels = report.diagnostics.filter((d) => d.policyName === c.policy).map((d) => d.enforcementLevel);
                    assert.deepStrictEqual(levels.sort(), [...c.levels].sort(), `levels of ${c.policy}:\n${messages(report, c.policy).join("\n")}`);
                }
            } else {
                assert.ok(!names.includes(c.policy), `expected ${c.policy} to stay silent; it reported:\n${messages(report, c.policy).join("\n")}`);
            }
        });
    }
}

// ------------------------------------------------------------------------------------------------
// First preview of a fresh stack.
// ------------------------------------------------------------------------------------------------

/** Properties the AWS provider fills with an auto-generated name during Check: known at preview (as in tools/offline/run.ts). */
export const AUTONAMED_PROPERTIES: readonly string[] = ["name", "bucket", "clusterIdentifier", "identifier", "replicationGroupId", "family", "functionName"];

const SENTINELS = UNKNOWN_SENTINELS;

export interface FirstPreviewOptions {
    /**
     * Also make every ARN literal unknown (AWS managed policy ARNs excepted): a fixture's constant
     * key, topic or role ARN stands for a resource that a real program would create in the same
     * update, whose ARN the first preview does not know.
     */
    arnLiterals?: boolean;
}

/**
 * The graph as the FIRST `pulumi preview` of a fresh stack shows it, the way
 * `runStack(stack, { firstPreview: true })` records the program:
 * - a resource's computed attributes (every state key that is neither an input nor an
 *   auto-generated name: id, arn, dnsName...) are the engine's UNKNOWN sentinel;
 * - an input value equal to, or built from (a string containing), another resource's computed
 *   attribute is UNKNOWN as a whole (an interpolated string with an unknown part is unknown), and
 *   the engine records where it came from: the top-level property gets that resource's URN in
 *   `propertyDependencies`.
 * Inputs that are literals or auto-generated names stay known, as do the properties a fixture
 * declares `knownAtPreview`. Returns new records.
 */
export function firstPreview(resources: RecordedResource[], opts: FirstPreviewOptions = {}): RecordedResource[] {
    const isAws = (r: RecordedResource) => r.custom && r.type.startsWith("aws:");
    const computedKeys = (r: RecordedResource) => Object.keys(r.state).filter((k) => r.state[k] !== undefined && r.inputs[k] === undefined && !AUTONAMED_PROPERTIES.includes(k));
    const computed = resources.filter(isAws).map((r) => ({
        urn: r.urn,
        values: computedKeys(r)
            .map((k) => r.state[k])
            .filter((v): v is string => typeof v === "string" && v.length >= 4 && !SENTINELS.has(v)),
    }));
    return resources.map((r) => {
        if (!isAws(r)) return r;
        const deps = new Map<string, Set<string>>(Object.entries(r.propertyDependencies ?? {}).map(([k, v]) => [k, new Set(v)]));
        const keepKnown = KNOWN_AT_PREVIEW.get(r) ?? [];
        const mark = (v: unknown, prop: string): unknown => {
            if (typeof v === "string") {
                if (SENTINELS.has(v)) return v;
                const sources = computed.filter((c) => c.urn !== r.urn && c.values.some((x) => v === x || v.includes(x)));
                if (sources.length > 0) {
                    const set = deps.get(prop) ?? new Set<string>();
                    for (const s of sources) set.add(s.urn);
                    deps.set(prop, set);
                    return keepKnown.includes(prop) ? v : UNKNOWN;
                }
                if (opts.arnLiterals && /^arn:aws[a-z-]*:/.test(v) && !/^arn:aws[a-z-]*:iam::aws:policy\//.test(v)) return UNKNOWN;
                return v;
            }
            if (Array.isArray(v)) return v.map((x) => mark(x, prop));
            if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mark(x, prop)]));
            return v;
        };
        const inputs = Object.fromEntries(Object.entries(r.inputs).map(([k, v]) => [k, mark(v, k)]));
        const state: Record<string, any> = { ...inputs };
        for (const k of AUTONAMED_PROPERTIES) if (inputs[k] === undefined && typeof r.state[k] === "string") state[k] = r.state[k];
        for (const k of computedKeys(r)) state[k] = UNKNOWN;
        const out: RecordedResource = { ...r, inputs, state, propertyDependencies: Object.fromEntries([...deps].map(([k, v]) => [k, [...v]])) };
        KNOWN_AT_PREVIEW.set(out, keepKnown);
        return out;
    });
}
