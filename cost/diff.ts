/**
 * Cost change between two estimates of the same stack (for example `main` and a pull request):
 * what a change adds or removes per month, so a PR comment can say "+$45.26/month (one more NAT
 * gateway)" and a reviewer sees a cost jump before it reaches the bill (seed 002 §7.2 wants cost
 * anomalies caught; Cost Anomaly Detection catches them after the fact, this catches them in review).
 *
 * Works on the JSON form (`toCostJson`) so the baseline can be a file produced on `main`.
 */
import type { CostJson } from "./format";

export interface CostChange {
    key: string;
    type: string;
    component: string;
    beforeUsd: number;
    afterUsd: number;
    deltaUsd: number;
    change: "added" | "removed" | "changed";
}

export interface CostDiff {
    stack: string;
    beforeUsd: number;
    afterUsd: number;
    deltaUsd: number;
    /** Percent change of the total (Infinity from zero). */
    deltaPercent: number;
    byComponent: { component: string; beforeUsd: number; afterUsd: number; deltaUsd: number }[];
    resources: CostChange[];
    /** Resource types newly in the not-priced list. */
    newlyNotPriced: string[];
    priceTableChanged: boolean;
    assumptionsChanged: boolean;
}

const r2 = (n: number) => Math.round(n * 100) / 100;
const keyOf = (r: CostJson["resources"][number]) => r.urn || `${r.type}::${r.name}`;

/** Differences of `after` against `before`; changes under half a cent are ignored. */
export function diffCostJson(before: CostJson, after: CostJson): CostDiff {
    const b = new Map(before.resources.map((r) => [keyOf(r), r]));
    const a = new Map(after.resources.map((r) => [keyOf(r), r]));
    const resources: CostChange[] = [];
    for (const [key, r] of a) {
        const old = b.get(key);
        const delta = r.monthlyUsd - (old?.monthlyUsd ?? 0);
        if (!old || Math.abs(delta) >= 0.005) {
            resources.push({ key, type: r.type, component: r.component, beforeUsd: old?.monthlyUsd ?? 0, afterUsd: r.monthlyUsd, deltaUsd: r2(delta), change: old ? "changed" : "added" });
        }
    }
    for (const [key, r] of b) {
        if (!a.has(key)) resources.push({ key, type: r.type, component: r.component, beforeUsd: r.monthlyUsd, afterUsd: 0, deltaUsd: r2(-r.monthlyUsd), change: "removed" });
    }
    resources.sort((x, y) => Math.abs(y.deltaUsd) - Math.abs(x.deltaUsd) || x.key.localeCompare(y.key));
    const components = new Set([...before.byComponent.map((c) => c.component), ...after.byComponent.map((c) => c.component)]);
    const usdOf = (j: CostJson, c: string) => j.byComponent.find((x) => x.component === c)?.monthlyUsd ?? 0;
    const byComponent = [...components]
        .map((c) => ({ component: c, beforeUsd: usdOf(before, c), afterUsd: usdOf(after, c), deltaUsd: r2(usdOf(after, c) - usdOf(before, c)) }))
        .filter((c) => c.deltaUsd !== 0)
        .sort((x, y) => Math.abs(y.deltaUsd) - Math.abs(x.deltaUsd));
    const oldUnpriced = new Set(before.notPriced.map((n) => n.type));
    const deltaUsd = r2(after.totalMonthlyUsd - before.totalMonthlyUsd);
    return {
        stack: after.stack,
        beforeUsd: before.totalMonthlyUsd,
        afterUsd: after.totalMonthlyUsd,
        deltaUsd,
        deltaPercent: before.totalMonthlyUsd > 0 ? (deltaUsd / before.totalMonthlyUsd) * 100 : deltaUsd === 0 ? 0 : Infinity,
        byComponent,
        resources,
        newlyNotPriced: [...new Set(after.notPriced.map((n) => n.type).filter((t) => !oldUnpriced.has(t)))].sort(),
        priceTableChanged: before.priceTable.version !== after.priceTable.version,
        assumptionsChanged: JSON.stringify(before.assumptions) !== JSON.stringify(after.assumptions),
    };
}

const signed = (n: number) => `${n >= 0 ? "+" : "-"}$${Math.abs(n).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** Text (and Markdown-friendly) summary of a diff, most expensive changes first. */
export function formatCostDiff(diff: CostDiff, limit = 10): string {
    const out: string[] = [];
    const pct = Number.isFinite(diff.deltaPercent) ? ` (${diff.deltaPercent >= 0 ? "+" : ""}${diff.deltaPercent.toFixed(1)}%)` : "";
    out.push(`Cost change for ${diff.stack}: ${signed(diff.deltaUsd)}/month${pct}, $${diff.beforeUsd.toFixed(2)} -> $${diff.afterUsd.toFixed(2)}`);
    for (const c of diff.byComponent) out.push(`  ${signed(c.deltaUsd).padStart(12)}  ${c.component}`);
    if (diff.resources.length) out.push("  Resources:");
    for (const r of diff.resources.slice(0, limit)) out.push(`  ${signed(r.deltaUsd).padStart(12)}  ${r.change.padEnd(7)} ${r.key.split("::").pop()} [${r.type}]`);
    if (diff.resources.length > limit) out.push(`  ... ${diff.resources.length - limit} more`);
    if (diff.newlyNotPriced.length) out.push(`  Newly not priced (not in the totals): ${diff.newlyNotPriced.join(", ")}`);
    if (diff.priceTableChanged) out.push("  Note: the price table changed between the two estimates.");
    if (diff.assumptionsChanged) out.push("  Note: the usage assumptions (platform:cost) changed between the two estimates.");
    return out.join("\n");
}
