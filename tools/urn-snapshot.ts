/**
 * URN snapshot: the committed list of every resource URN each stack's program registers
 * (`tests/snapshots/urns.<stack>.txt`), so that a rename or a move, which the engine carries out
 * as delete + create (a replacement of a database, a bucket, a key...), is a reviewed change and
 * never an accident of a refactor.
 *
 *   ts-node --transpile-only tools/urn-snapshot.ts --update [stack ...]   (npm run snapshot:update)
 *   ts-node --transpile-only tools/urn-snapshot.ts [--check] [stack ...]  (exit 1 on any difference)
 *
 * Without stack names it covers every `Pulumi.<stack>.yaml` of the repository.
 * The pure helpers (parse, diff, alias suggestions, the explanation) are tested in
 * tests/urn-snapshot.test.ts; the same test compares each stack's run with its snapshot.
 */
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT, runStack } from "./offline/run";
import type { StackRun } from "./offline/types";

export const SNAPSHOT_DIR = path.join(REPO_ROOT, "tests", "snapshots");
export const UPDATE_COMMAND = "npm run snapshot:update";

export function snapshotPath(stack: string): string {
    return path.join(SNAPSHOT_DIR, `urns.${stack}.txt`);
}

/** The stacks that have a `Pulumi.<stack>.yaml` in the repository, sorted. */
export function repoStacks(root: string = REPO_ROOT): string[] {
    return fs
        .readdirSync(root)
        .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/** Every URN of a run (root stack, providers, components and custom resources), sorted, unique. */
export function urnsOf(run: StackRun): string[] {
    return [...new Set(run.resources.map((r) => r.urn))].sort();
}

export interface ParsedUrn {
    stack: string;
    project: string;
    /** The qualified type: the parents' types and the resource's own, joined by `$`. */
    qualifiedType: string;
    /** The resource's own type (the last element of the chain). */
    type: string;
    /** The parents' type chain (empty for top-level resources). */
    parentChain: string;
    name: string;
}

/** `urn:pulumi:<stack>::<project>::<qualified type>::<name>`; the name may itself contain `::`. */
export function parseUrn(urn: string): ParsedUrn {
    const parts = urn.split("::");
    const head = /^urn:pulumi:(.+)$/.exec(parts[0] ?? "");
    if (!head || parts.length < 4 || parts[2] === "") {
        throw new Error(`not a Pulumi URN: ${urn}`);
    }
    const stack = head[1];
    const [, project, qualifiedType] = parts;
    const name = parts.slice(3).join("::");
    const chain = qualifiedType.split("$");
    return { stack, project, qualifiedType, type: chain[chain.length - 1], parentChain: chain.slice(0, -1).join("$"), name };
}

export function formatSnapshot(stack: string, urns: readonly string[]): string {
    const header = [
        `# URN snapshot of stack '${stack}': every resource the program registers, ${urns.length} URNs.`,
        "# A URN is the resource's identity (type chain + logical name): a line that disappears means the",
        "# resource is DELETED or REPLACED in the real stack. Review every change of this file.",
        `# Regenerate on purpose: ${UPDATE_COMMAND}  (or add \`aliases\` to keep the old identity).`,
    ];
    return `${[...header, ...[...urns].sort()].join("\n")}\n`;
}

/** The URNs of a snapshot file's text (comments and blank lines ignored). */
export function parseSnapshot(text: string): string[] {
    return text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== "" && !l.startsWith("#"));
}

export interface UrnDiff {
    /** In the snapshot, not in the program: deleted or replaced in the real stack. */
    removed: string[];
    /** In the program, not in the snapshot: new resources (or the new identity of a moved one). */
    added: string[];
}

export function diffUrns(expected: readonly string[], actual: readonly string[]): UrnDiff {
    const want = new Set(expected);
    const have = new Set(actual);
    return {
        removed: [...want].filter((u) => !have.has(u)).sort(),
        added: [...have].filter((u) => !want.has(u)).sort(),
    };
}

export interface AliasSuggestion {
    removed: string;
    added: string;
    /** The resource option to add to the resource that now has the `added` URN. */
    option: string;
}

/**
 * Pairs removed and added URNs that look like the same resource renamed (same type and parents,
 * other name) or moved (same type and name, other parents), with the `aliases` option that keeps
 * its identity. A move (identical name) is the strongest signal; a rename is offered when it is the
 * only removal and the only addition of that type under those parents, or when the names are close.
 * Each URN is paired at most once. `known` (the snapshot's URNs) lets a move name the old parent's
 * URN when exactly one resource had that type chain.
 */
export function suggestAliases(diff: UrnDiff, known: readonly string[] = []): AliasSuggestion[] {
    const out: AliasSuggestion[] = [];
    const usedAdded = new Set<string>();
    const added = diff.added.map((u) => ({ urn: u, p: parseUrn(u) }));
    const removed = diff.removed.map((u) => ({ urn: u, p: parseUrn(u) }));
    for (const { urn, p: r } of removed) {
        const sameType = added.filter((a) => !usedAdded.has(a.urn) && a.p.type === r.type);
        const move = sameType.filter((a) => a.p.name === r.name && a.p.parentChain !== r.parentChain);
        const renames = sameType.filter((a) => a.p.parentChain === r.parentChain && a.p.name !== r.name);
        const siblingsGone = removed.filter((x) => x.p.type === r.type && x.p.parentChain === r.parentChain).length;
        let hit: { urn: string; p: ParsedUrn } | undefined;
        let option: string;
        if (move.length === 1) {
            hit = move[0];
            option = r.parentChain === ""
                ? "aliases: [{ parent: pulumi.rootStackResource }]  // it was a top-level resource"
                : `aliases: [{ parent: "${oldParentUrn(r, known) ?? `<URN of the old ${r.parentChain.split("$").pop()} parent>`}" }]  // or the old parent resource object`;
        } else {
            hit = renames.length === 1 && siblingsGone === 1 ? renames[0] : closest(r.name, renames);
            option = `aliases: [{ name: "${r.name}" }]`;
        }
        if (!hit) {
            continue;
        }
        usedAdded.add(hit.urn);
        out.push({ removed: urn, added: hit.urn, option });
    }
    return out;
}

function oldParentUrn(child: ParsedUrn, known: readonly string[]): string | undefined {
    const candidates = known.filter((u) => {
        const p = parseUrn(u);
        return p.qualifiedType === child.parentChain && p.stack === child.stack && p.project === child.project;
    });
    return candidates.length === 1 ? candidates[0] : undefined;
}

/** The one candidate whose name is close to `name` (after their common prefix), if exactly one is. */
function closest<T extends { p: ParsedUrn }>(name: string, candidates: T[]): T | undefined {
    const close = candidates.filter((c) => similar(name, c.p.name));
    return close.length === 1 ? close[0] : undefined;
}

/** `network-flowlogs` ~ `network-flow-logs`, `data-db-writer-1` ~ `data-db-writer-a`; not `documents` ~ `audit-logs`. */
export function similar(a: string, b: string): boolean {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    const x = a.slice(i).replace(/[-_.]/g, "");
    const y = b.slice(i).replace(/[-_.]/g, "");
    const longest = Math.max(x.length, y.length);
    return longest === 0 || x.includes(y) || y.includes(x) || editDistance(x, y) <= Math.max(1, Math.floor(longest * 0.34));
}

function editDistance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_v, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let prev = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const cur = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
            prev = cur;
        }
    }
    return row[b.length];
}

/** The failure message of the snapshot check: what changed, what it means and the two ways out. */
export function explainDiff(stack: string, diff: UrnDiff, known: readonly string[] = []): string {
    const lines: string[] = [];
    const file = path.relative(REPO_ROOT, snapshotPath(stack));
    if (diff.removed.length > 0) {
        lines.push(
            `URN snapshot of stack '${stack}': ${diff.removed.length} URN(s) of ${file} are gone from the program.`,
            `In a real 'pulumi up -s ${stack}' each of these resources would be DELETED, or REPLACED (deleted and`,
            "created anew) when it was renamed or moved: for a database, bucket, table, key or secret that is data loss.",
            ...diff.removed.map((u) => `  - ${u}`),
        );
    }
    if (diff.added.length > 0) {
        lines.push(
            `URN snapshot of stack '${stack}': ${diff.added.length} URN(s) are new (not in ${file}); review that each is a resource you meant to add:`,
            ...diff.added.map((u) => `  + ${u}`),
        );
    }
    const aliases = suggestAliases(diff, known);
    if (aliases.length > 0) {
        lines.push("These look like renamed or moved resources; keep their identity with an alias on the new resource:");
        for (const a of aliases) {
            lines.push(`  ${parseUrn(a.added).name} (${parseUrn(a.added).type}): ${a.option}`);
        }
    }
    lines.push(
        "How to fix:",
        "  - a rename or move you did not intend: restore the old logical name / parent (names are `${name}-<role>`, stable forever);",
        '  - an intended rename or move: keep the identity with `aliases`, e.g. `{ parent: this, aliases: [{ name: "old-name" }] }`',
        "    or, after moving under a component, `aliases: [{ parent: pulumi.rootStackResource }]` (old top-level) / `[{ parent: oldParent }]`;",
        `  - an intended deletion, replacement or addition: run '${UPDATE_COMMAND}' and commit the snapshot so reviewers see it.`,
    );
    return lines.join("\n");
}

export interface CheckResult {
    stack: string;
    diff: UrnDiff;
    /** Undefined when the snapshot file does not exist. */
    expected?: string[];
    actual: string[];
}

export async function checkStack(stack: string, run?: StackRun): Promise<CheckResult> {
    const actual = urnsOf(run ?? (await runStack(stack)));
    const file = snapshotPath(stack);
    if (!fs.existsSync(file)) {
        return { stack, actual, diff: { removed: [], added: actual } };
    }
    const expected = parseSnapshot(fs.readFileSync(file, "utf8"));
    return { stack, expected, actual, diff: diffUrns(expected, actual) };
}

export async function updateStack(stack: string): Promise<{ file: string; diff: UrnDiff; count: number; created: boolean }> {
    const result = await checkStack(stack);
    fs.mkdirSync(SNAPSHOT_DIR, { recursive: true });
    fs.writeFileSync(snapshotPath(stack), formatSnapshot(stack, result.actual));
    return { file: snapshotPath(stack), diff: result.diff, count: result.actual.length, created: result.expected === undefined };
}

async function main(argv: string[]): Promise<number> {
    const update = argv.includes("--update");
    const unknown = argv.filter((a) => a.startsWith("-") && a !== "--update" && a !== "--check");
    if (unknown.length > 0) {
        console.error(`urn-snapshot: unknown option(s) ${unknown.join(", ")}; usage: urn-snapshot.ts [--update|--check] [stack ...]`);
        return 2;
    }
    const stacks = argv.filter((a) => !a.startsWith("-"));
    const all = repoStacks();
    for (const s of stacks) {
        if (!all.includes(s)) {
            console.error(`urn-snapshot: no Pulumi.${s}.yaml; stacks of this repository: ${all.join(", ")}`);
            return 2;
        }
    }
    let failed = false;
    for (const stack of stacks.length > 0 ? stacks : all) {
        if (update) {
            const r = await updateStack(stack);
            const change = r.created ? "new file" : r.diff.removed.length + r.diff.added.length === 0 ? "unchanged" : `-${r.diff.removed.length} +${r.diff.added.length}`;
            console.log(`${path.relative(REPO_ROOT, r.file)}: ${r.count} URNs (${change})`);
            if (!r.created) {
                for (const u of r.diff.removed) console.log(`  - ${u}   (deleted or replaced in the real stack)`);
                for (const u of r.diff.added) console.log(`  + ${u}`);
            }
        } else {
            const r = await checkStack(stack);
            if (r.expected === undefined) {
                console.log(`${stack}: no snapshot yet (${path.relative(REPO_ROOT, snapshotPath(stack))}); create it with ${UPDATE_COMMAND}`);
                failed = true;
            } else if (r.diff.removed.length + r.diff.added.length > 0) {
                console.log(explainDiff(stack, r.diff, r.expected));
                failed = true;
            } else {
                console.log(`${stack}: ${r.actual.length} URNs match the snapshot`);
            }
        }
    }
    return failed ? 1 : 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (err) => {
            console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
            process.exit(1);
        },
    );
}
