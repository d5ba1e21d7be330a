/**
 * Text, Markdown and JSON forms of a CostReport: text for the terminal and the offline preview
 * report, Markdown for the PR comment, JSON (`toCostJson`) for machines and the comment's data.
 */
import type { CostReport } from "./model";

const usd = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const r2 = (n: number) => Math.round(n * 100) / 100;

function budgetLine(report: CostReport): string {
    const b = report.budget;
    if (b.status === "no-budget" || b.limitUsd === undefined) {
        return "Budget: none configured (add aws:budgets/budget:Budget or platform:monitoring.budget.monthlyUsd)";
    }
    const from = b.source === "aws:budgets/budget:Budget" ? `budget ${b.name}` : "platform:monitoring.budget.monthlyUsd";
    const pct = `${Math.round(b.percentOfBudget ?? 0)}%`;
    return b.status === "over"
        ? `Budget: OVER — estimate ${usd(b.estimateUsd)} is ${usd(-(b.headroomUsd ?? 0))} above ${usd(b.limitUsd)}/month (${pct}, ${from})`
        : `Budget: under — estimate ${usd(b.estimateUsd)} is ${pct} of ${usd(b.limitUsd)}/month, headroom ${usd(b.headroomUsd ?? 0)} (${from})`;
}

/** Plain-text report for terminals and the offline preview report. */
export function formatCostReport(report: CostReport, opts: { details?: boolean } = {}): string {
    const out: string[] = [];
    out.push(`Cost estimate — ${report.project}/${report.stack} (${report.mainRegion}), USD per month, on-demand list prices`);
    out.push(`Price table ${report.priceTable.version} as of ${report.priceTable.asOf}`);
    const range = Math.abs(report.totalAtMinimumUsd - report.totalMonthlyUsd) >= 0.005 ? ` (at minimum capacity ${usd(report.totalAtMinimumUsd)})` : "";
    out.push(`Total: ${usd(report.totalMonthlyUsd)}${range}`);
    out.push(budgetLine(report));
    out.push("");
    out.push("By component:");
    for (const g of report.byComponent) out.push(`  ${usd(g.monthlyUsd).padStart(12)}  ${g.key} (${g.resources} priced)`);
    out.push("");
    out.push("By resource type:");
    for (const g of report.byType) out.push(`  ${usd(g.monthlyUsd).padStart(12)}  ${g.key} x${g.resources}`);
    out.push("");
    out.push("Top resources:");
    const top = opts.details ? report.lines : report.lines.slice(0, 12);
    for (const l of top) {
        out.push(`  ${usd(l.monthlyUsd).padStart(12)}  ${l.name} [${l.type}] ${l.region}`);
        for (const i of l.items) {
            if (!opts.details && i.monthlyUsd === 0) continue;
            out.push(`  ${"".padStart(12)}    ${usd(i.monthlyUsd)} = ${i.description} @ $${i.unitUsd}/${i.unit}`);
        }
        for (const n of l.notes) out.push(`  ${"".padStart(12)}    note: ${n}`);
    }
    if (!opts.details && report.lines.length > top.length) out.push(`  ... ${report.lines.length - top.length} more (use --details)`);
    out.push("");
    out.push(`Not priced (${report.notPriced.length}) — these may cost money and are NOT in the total:`);
    if (report.notPriced.length === 0) out.push("  (none)");
    for (const n of report.notPriced) out.push(`  ${n.type} ${n.name} (${n.component}, ${n.region}): ${n.reason}`);
    out.push("");
    out.push(`Free (${report.free.reduce((t, f) => t + f.count, 0)} resources): ${report.free.map((f) => `${f.type.replace(/^aws:/, "")} x${f.count}`).join(", ") || "(none)"}`);
    if (report.warnings.length) {
        out.push("");
        out.push("Warnings:");
        for (const w of report.warnings) out.push(`  - ${w}`);
    }
    out.push("");
    out.push("Assumptions (platform:cost; defaults from seed 001):");
    out.push(`  ${JSON.stringify(report.assumptions)}`);
    out.push(`Not modelled: ${report.notModelled.join("; ")}.`);
    out.push("Prices marked (verify) are list prices to check against the AWS Price List API.");
    return out.join("\n");
}

/** Compact, JSON-able form for the PR comment and for machines (numbers rounded to cents). */
export function toCostJson(report: CostReport) {
    return {
        project: report.project,
        stack: report.stack,
        currency: report.currency,
        mainRegion: report.mainRegion,
        priceTable: { version: report.priceTable.version, asOf: report.priceTable.asOf },
        totalMonthlyUsd: r2(report.totalMonthlyUsd),
        totalAtMinimumUsd: r2(report.totalAtMinimumUsd),
        budget: {
            source: report.budget.source,
            name: report.budget.name,
            limitUsd: report.budget.limitUsd,
            status: report.budget.status,
            headroomUsd: report.budget.headroomUsd === undefined ? undefined : r2(report.budget.headroomUsd),
            percentOfBudget: report.budget.percentOfBudget === undefined ? undefined : r2(report.budget.percentOfBudget),
        },
        byComponent: report.byComponent.map((g) => ({ component: g.key, monthlyUsd: r2(g.monthlyUsd), resources: g.resources })),
        byType: report.byType.map((g) => ({ type: g.key, monthlyUsd: r2(g.monthlyUsd), resources: g.resources })),
        resources: report.lines.map((l) => ({
            urn: l.urn,
            name: l.name,
            type: l.type,
            component: l.component,
            region: l.region,
            monthlyUsd: r2(l.monthlyUsd),
            atMinimumUsd: r2(l.atMinimumUsd),
            items: l.items.map((i) => ({ description: i.description, quantity: i.quantity, unit: i.unit, unitUsd: i.unitUsd, monthlyUsd: r2(i.monthlyUsd), priceSource: i.priceSource })),
            notes: l.notes,
        })),
        notPriced: report.notPriced,
        free: report.free,
        assumptions: report.assumptions,
        warnings: report.warnings,
        notModelled: report.notModelled,
    };
}

export type CostJson = ReturnType<typeof toCostJson>;

/** Markdown section for the PR comment (one stack). */
export function formatCostMarkdown(report: CostReport): string {
    const out: string[] = [];
    const b = report.budget;
    const badge = b.status === "over" ? "🔴 over budget" : b.status === "under" ? "🟢 within budget" : "⚪ no budget";
    out.push(`### Cost estimate: \`${report.stack}\` — ${usd(report.totalMonthlyUsd)}/month ${badge}`);
    out.push("");
    out.push(budgetLine(report));
    out.push("");
    out.push("| Component | USD/month | Priced resources |");
    out.push("|---|---:|---:|");
    for (const g of report.byComponent) out.push(`| ${g.key} | ${usd(g.monthlyUsd)} | ${g.resources} |`);
    out.push("");
    out.push("<details><summary>By resource type</summary>");
    out.push("");
    out.push("| Type | USD/month | Count |");
    out.push("|---|---:|---:|");
    for (const g of report.byType) out.push(`| \`${g.key}\` | ${usd(g.monthlyUsd)} | ${g.resources} |`);
    out.push("");
    out.push("</details>");
    if (report.notPriced.length) {
        out.push("");
        out.push(`**Not priced (${report.notPriced.length})** — not in the total:`);
        for (const n of report.notPriced) out.push(`- \`${n.type}\` ${n.name}: ${n.reason}`);
    }
    out.push("");
    out.push(`<sub>Price table ${report.priceTable.version} (as of ${report.priceTable.asOf}), on-demand list prices in ${report.mainRegion}; usage assumptions from \`platform:cost\` (defaults: seed 001). Not modelled: ${report.notModelled.join("; ")}.</sub>`);
    return out.join("\n");
}

/** One table over several stacks (top of the PR comment): estimate, budget, verdict, not priced. */
export function formatCostSummaryMarkdown(reports: CostReport[]): string {
    const out = ["| Stack | Estimate (USD/month) | Budget | Status | Not priced |", "|---|---:|---:|---|---:|"];
    for (const r of reports) {
        const b = r.budget;
        const status = b.status === "over" ? "🔴 over" : b.status === "under" ? `🟢 ${Math.round(b.percentOfBudget ?? 0)}%` : "⚪ none";
        out.push(`| \`${r.stack}\` | ${usd(r.totalMonthlyUsd)} | ${b.limitUsd === undefined ? "—" : usd(b.limitUsd)} | ${status} | ${r.notPriced.length} |`);
    }
    return out.join("\n");
}
