/**
 * Report formatters for the offline policy preview: plain text for the terminal, Markdown and JSON
 * for a pull-request comment.
 */
import type { PolicyDiagnostic, PolicyReport } from "./analyze";

interface PolicyGroup {
    policyName: string;
    level: PolicyDiagnostic["enforcementLevel"];
    description: string;
    items: PolicyDiagnostic[];
}

/** Diagnostics grouped by level (mandatory first), then by policy, then sorted by resource. */
export function groupDiagnostics(report: PolicyReport): PolicyGroup[] {
    const groups = new Map<string, PolicyGroup>();
    for (const d of report.diagnostics) {
        const key = `${d.enforcementLevel}\u0000${d.policyName}`;
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { policyName: d.policyName, level: d.enforcementLevel, description: d.description, items: [] }));
        g.items.push(d);
    }
    const rank = (l: string) => (l === "mandatory" || l === "remediate" ? 0 : 1);
    return [...groups.values()]
        .sort((a, b) => rank(a.level) - rank(b.level) || a.policyName.localeCompare(b.policyName))
        .map((g) => ({ ...g, items: g.items.sort((a, b) => (a.urn ?? "").localeCompare(b.urn ?? "") || a.message.localeCompare(b.message)) }));
}

export const FIRST_PREVIEW_LABEL = "first preview of a fresh stack: ids and ARNs unknown";

/** The stack's name in tables: marked when it is the first-preview run. */
function stackLabel(r: PolicyReport): string {
    return r.firstPreview ? `${r.stack} (first preview)` : r.stack;
}

function where(d: PolicyDiagnostic): string {
    if (!d.urn) return "(stack)";
    return d.resourceType && d.resourceName ? `${d.resourceType} '${d.resourceName}'` : d.urn;
}

function summary(report: PolicyReport): string {
    return (
        `${report.counts.mandatory} mandatory, ${report.counts.advisory} advisory violation(s) ` +
        `over ${report.resourcesAnalyzed} resources and ${report.policiesEnabled} enabled policies`
    );
}

/** Human-readable report for the terminal. */
export function formatText(report: PolicyReport): string {
    const lines: string[] = [];
    lines.push(`Policy preview of ${report.project}/${report.stack}${report.firstPreview ? ` (${FIRST_PREVIEW_LABEL})` : ""} with ${report.policyPack.name}@${report.policyPack.version}`);
    lines.push(summary(report));
    for (const g of groupDiagnostics(report)) {
        lines.push("");
        lines.push(`${g.level.toUpperCase()}  ${g.policyName}  (${g.items.length})`);
        lines.push(`  why: ${g.description}`);
        let last = "";
        for (const d of g.items) {
            const w = where(d);
            if (w !== last) lines.push(`  - ${w}`);
            last = w;
            for (const m of d.message.split("\n")) lines.push(`      ${m}`);
        }
    }
    lines.push("");
    lines.push(report.passed ? "PASSED: no mandatory violations." : "FAILED: mandatory violations block this change (pulumi preview would fail).");
    return lines.join("\n");
}

/** Markdown for a pull-request comment (GitHub). */
export function formatMarkdown(reports: PolicyReport[]): string {
    const lines: string[] = ["### Policy preview", "", "| Stack | Result | Mandatory | Advisory | Resources |", "|---|---|---|---|---|"];
    for (const r of reports) {
        lines.push(`| ${stackLabel(r)} | ${r.passed ? "passed" : "**failed**"} | ${r.counts.mandatory} | ${r.counts.advisory} | ${r.resourcesAnalyzed} |`);
    }
    for (const r of reports) {
        const groups = groupDiagnostics(r);
        if (groups.length === 0) continue;
        lines.push("", `<details><summary>${stackLabel(r)}: ${summary(r)}</summary>`, "");
        for (const g of groups) {
            lines.push(`**${g.level}** \`${g.policyName}\` (${g.items.length}): ${g.description}`, "");
            for (const d of g.items) lines.push(`- ${where(d)}: ${d.message.replace(/\n/g, " ")}`);
            lines.push("");
        }
        lines.push("</details>");
    }
    return lines.join("\n");
}

/**
 * The JSON document written for CI. Top level: `passed`, `counts` and `violations` (every stack's,
 * each with its `stack`), which is what .github/workflows/pr-report.yml reads; `stacks` has the
 * per-stack detail and `markdown` a ready PR-comment body.
 */
export function toJson(reports: PolicyReport[]): string {
    const violations = reports.flatMap((r) => r.diagnostics.map((d) => ({ stack: r.stack, ...(r.firstPreview ? { firstPreview: true } : {}), ...d })));
    return JSON.stringify(
        {
            passed: reports.every((r) => r.passed),
            counts: {
                mandatory: reports.reduce((n, r) => n + r.counts.mandatory, 0),
                advisory: reports.reduce((n, r) => n + r.counts.advisory, 0),
            },
            violations,
            stacks: reports.map((r) => ({
                stack: r.stack,
                firstPreview: r.firstPreview === true,
                project: r.project,
                policyPack: r.policyPack,
                passed: r.passed,
                counts: r.counts,
                resourcesAnalyzed: r.resourcesAnalyzed,
                levels: r.levels,
                violations: r.diagnostics,
            })),
            markdown: formatMarkdown(reports),
        },
        null,
        2,
    );
}
