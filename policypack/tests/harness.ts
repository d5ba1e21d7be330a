/**
 * Test harness for the policies: builds recorded resource graphs (the shape tools/offline/run.ts
 * records) and runs them through the offline analyzer, i.e. through the same analyzer service
 * @pulumi/policy serves to the engine (Configure, ConfigureStack, Analyze, AnalyzeStack).
 */
import * as assert from "assert";
import { analyze, PolicyReport, RecordedResource } from "../offline/analyze";

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
            propertyDependencies: {},
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
                if (c.level) {
                    const levels = report.diagnostics.filter((d) => d.policyName === c.policy).map((d) => d.enforcementLevel);
                    assert.ok(levels.every((l) => l === c.level), `expected ${c.level}, got ${levels.join(", ")}`);
                }
            } else {
                assert.ok(!names.includes(c.policy), `expected ${c.policy} to stay silent; it reported:\n${messages(report, c.policy).join("\n")}`);
            }
        });
    }
}
