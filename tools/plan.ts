/**
 * The resource plan of a stack from the mocked run: what `pulumi preview` would create, counted
 * by top-level component and by resource type. Pure over the recorded graph.
 */
import type { RecordedResource, StackRun } from "./offline/types";

export interface ResourcePlan {
    stack: string;
    total: number;
    /** Top-level component (or `(stack)` for resources created at the root) -> type -> count. */
    byComponent: Record<string, Record<string, number>>;
    byType: Record<string, number>;
    protectedCount: number;
    regions: Record<string, number>;
}

const ROOT = "(stack)";

/** The top-level ancestor of a resource below the stack: `<type> <name>`, e.g. `platform:network:Network network`. */
export function topLevelComponent(run: StackRun, r: RecordedResource, index = new Map(run.resources.map((x) => [x.urn, x]))): string {
    let cur: RecordedResource | undefined = r;
    let top: RecordedResource | undefined;
    while (cur && cur.type !== "pulumi:pulumi:Stack") {
        top = cur;
        cur = cur.parent ? index.get(cur.parent) : undefined;
    }
    return top && top !== r ? `${top.name} (${top.type})` : ROOT;
}

export function planOf(run: StackRun): ResourcePlan {
    const index = new Map(run.resources.map((x) => [x.urn, x]));
    const plan: ResourcePlan = { stack: run.stack, total: 0, byComponent: {}, byType: {}, protectedCount: 0, regions: {} };
    for (const r of run.resources) {
        if (!r.custom || r.type.startsWith("pulumi:providers:")) {
            continue;
        }
        plan.total++;
        const component = topLevelComponent(run, r, index);
        plan.byComponent[component] ??= {};
        plan.byComponent[component][r.type] = (plan.byComponent[component][r.type] ?? 0) + 1;
        plan.byType[r.type] = (plan.byType[r.type] ?? 0) + 1;
        if (r.options.protect) {
            plan.protectedCount++;
        }
        if (r.region) {
            plan.regions[r.region] = (plan.regions[r.region] ?? 0) + 1;
        }
    }
    return plan;
}

export function formatPlan(plan: ResourcePlan): string {
    const lines: string[] = [];
    lines.push(`Resource plan for stack '${plan.stack}': ${plan.total} resources to create (${plan.protectedCount} protected)`);
    lines.push(`  by region: ${Object.entries(plan.regions).map(([r, n]) => `${r} ${n}`).join(", ")}`);
    for (const [component, types] of Object.entries(plan.byComponent).sort(([a], [b]) => a.localeCompare(b))) {
        const count = Object.values(types).reduce((a, b) => a + b, 0);
        lines.push(`  ${component}: ${count}`);
        for (const [type, n] of Object.entries(types).sort(([, a], [, b]) => b - a || 0)) {
            lines.push(`      ${String(n).padStart(4)}  ${type}`);
        }
    }
    return lines.join("\n");
}
