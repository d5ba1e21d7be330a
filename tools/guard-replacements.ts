/**
 * Replacement guard for real previews: reads `pulumi preview --json` output and fails when a
 * stateful resource (a database, cache, table, bucket, key, secret, file system, network...) would
 * be REPLACED or DELETED, naming the resource and the property that forces it, unless that
 * resource is explicitly allowed.
 *
 *   npm run guard:replacements -- preview-prod.json [more.json ...] [--allow <urn|glob|name>]...
 *   ALLOW_REPLACE="<urn|glob|name>,..." npm run guard:replacements -- preview-prod.json
 *
 * Input: the document `pulumi preview --json` prints (pkg/backend/display/json.go previewDigest):
 * `{ config, steps: [{ op, urn, provider, oldState, newState, diffReasons, replaceReasons,
 * detailedDiff: { "<prop>": { kind, inputDiff } } }], diagnostics, duration, changeSummary }`,
 * where oldState/newState are apitype.ResourceV3 (`type`, `inputs`, `outputs`, `protect`,
 * `retainOnDelete`, ...). A replacement appears as one `replace` step (current CLIs) or as the
 * `create-replacement` / `replace` / `delete-replaced` trio: both are understood, once per URN.
 *
 * Exit codes: 0 nothing stateful is replaced or deleted (or all of it is allowed); 1 blocked
 * changes; 2 the input is not a usable preview (no steps: the preview failed - see diagnostics).
 */
import * as fs from "fs";

/** Resource types whose replacement or deletion loses data or breaks what depends on them. */
export const STATEFUL_TYPES: Readonly<Record<string, string>> = {
    "aws:rds/cluster:Cluster": "Aurora cluster: the database and its automated backups",
    "aws:rds/clusterInstance:ClusterInstance": "Aurora instance: a writer or reader of the database",
    "aws:rds/instance:Instance": "RDS instance: the database",
    "aws:rds/globalCluster:GlobalCluster": "Aurora global database",
    "aws:elasticache/replicationGroup:ReplicationGroup": "Redis replication group: cached and session data",
    "aws:elasticache/cluster:Cluster": "ElastiCache cluster",
    "aws:elasticache/serverlessCache:ServerlessCache": "ElastiCache serverless cache",
    "aws:dynamodb/table:Table": "DynamoDB table: its items",
    "aws:s3/bucket:Bucket": "S3 bucket: its objects (and its globally unique name)",
    "aws:s3/bucketV2:BucketV2": "S3 bucket: its objects (and its globally unique name)",
    "aws:kms/key:Key": "KMS key: everything encrypted with it becomes unreadable",
    "aws:kms/replicaKey:ReplicaKey": "KMS replica key",
    "aws:secretsmanager/secret:Secret": "Secrets Manager secret: its value and rotation",
    "aws:efs/fileSystem:FileSystem": "EFS file system: its files",
    "aws:ec2/subnet:Subnet": "subnet: every ENI, NAT, endpoint and database subnet group in it",
    "aws:ec2/vpc:Vpc": "VPC: the whole network",
    "aws:cognito/userPool:UserPool": "Cognito user pool: every user and password",
    "aws:ecr/repository:Repository": "ECR repository: its images",
    "aws:sqs/queue:Queue": "SQS queue: messages in flight",
    "aws:backup/vault:Vault": "Backup vault: its recovery points",
    "aws:route53/zone:Zone": "Route 53 zone: a new zone gets new name servers (delegation breaks)",
    "aws:opensearch/domain:Domain": "OpenSearch domain: its indices",
    "random:index/randomPassword:RandomPassword": "generated password: a new value rotates the credential it feeds (the database master password) under running clients",
};

/** Step ops that destroy the resource's current physical instance. */
const REPLACE_OPS = new Set(["replace", "create-replacement", "delete-replaced", "read-replacement", "import-replacement", "discard-replaced"]);
const DELETE_OPS = new Set(["delete"]);

export interface PropertyDiff {
    kind: string;
    inputDiff?: boolean;
}

export interface ResourceState {
    urn?: string;
    type?: string;
    id?: string;
    inputs?: Record<string, unknown>;
    outputs?: Record<string, unknown>;
    parent?: string;
    protect?: boolean;
    retainOnDelete?: boolean;
    [key: string]: unknown;
}

export interface PreviewStep {
    op: string;
    urn: string;
    provider?: string;
    oldState?: ResourceState;
    newState?: ResourceState;
    diffReasons?: string[];
    replaceReasons?: string[];
    detailedDiff?: Record<string, PropertyDiff> | null;
}

export interface PreviewDigest {
    config?: Record<string, unknown>;
    steps?: PreviewStep[];
    diagnostics?: { message?: string; severity?: string; urn?: string }[];
    changeSummary?: Record<string, number>;
    duration?: number;
}

export type Verdict = "blocked" | "allowed" | "retained" | "not-stateful";

export interface Finding {
    urn: string;
    name: string;
    type: string;
    /** `replace` or `delete`. */
    action: "replace" | "delete";
    /** The properties that force the replacement (replaceReasons, else the `*-replace` diff kinds). */
    reasons: string[];
    verdict: Verdict;
    /** Why the type is guarded (empty when it is not). */
    why: string;
    /** The allow pattern that matched. */
    allowedBy?: string;
    /** For a delete: resources of the same type and parents created in the same preview (a rename?). */
    createdAlongside: string[];
    protect: boolean;
}

export interface GuardResult {
    findings: Finding[];
    blocked: Finding[];
    counts: Record<string, number>;
    steps: number;
}

/** The last element of the URN's type chain, used when a step carries no state. */
export function typeFromUrn(urn: string): string {
    const qualified = urn.split("::")[2] ?? "";
    const chain = qualified.split("$");
    return chain[chain.length - 1];
}

function qualifiedTypeOf(urn: string): string {
    return urn.split("::")[2] ?? "";
}

export function nameFromUrn(urn: string): string {
    return urn.split("::").slice(3).join("::");
}

/**
 * An allow pattern matches a URN when it is the URN itself, a glob over the URN (`*` any text,
 * `?` one character), or a bare logical name (no `::`, no `*`), which matches `...::<name>`.
 */
export function allowMatches(pattern: string, urn: string): boolean {
    const p = pattern.trim();
    if (p === "") {
        return false;
    }
    if (p === urn) {
        return true;
    }
    if (!p.includes("::") && !/[*?]/.test(p)) {
        return nameFromUrn(urn) === p;
    }
    const re = new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
    return re.test(urn);
}

/** ALLOW_REPLACE: URNs, globs or names separated by commas, whitespace or newlines. */
export function parseAllowEnv(value: string | undefined): string[] {
    return (value ?? "").split(/[\s,]+/).filter((s) => s !== "");
}

function reasonsOf(steps: PreviewStep[]): string[] {
    const out = new Set<string>();
    for (const s of steps) {
        for (const r of s.replaceReasons ?? []) out.add(r);
    }
    if (out.size === 0) {
        for (const s of steps) {
            for (const [prop, d] of Object.entries(s.detailedDiff ?? {})) {
                if (d && typeof d.kind === "string" && d.kind.endsWith("-replace")) out.add(prop);
            }
        }
    }
    return [...out];
}

/** Parses the preview text; tolerates log lines before or after the JSON document. */
export function parsePreview(text: string, source = "preview"): PreviewDigest {
    try {
        return JSON.parse(text) as PreviewDigest;
    } catch {
        const start = text.search(/^\{/m);
        const end = text.lastIndexOf("}");
        if (start >= 0 && end > start) {
            try {
                return JSON.parse(text.slice(start, end + 1)) as PreviewDigest;
            } catch {
                // fall through
            }
        }
        throw new Error(`${source}: not the JSON document of 'pulumi preview --json' (could not parse it)`);
    }
}

export function evaluate(digest: PreviewDigest, allow: readonly string[], stateful: Readonly<Record<string, string>> = STATEFUL_TYPES): GuardResult {
    const steps = digest.steps ?? [];
    const byUrn = new Map<string, PreviewStep[]>();
    const counts: Record<string, number> = {};
    for (const s of steps) {
        counts[s.op] = (counts[s.op] ?? 0) + 1;
        if (REPLACE_OPS.has(s.op) || DELETE_OPS.has(s.op)) {
            byUrn.set(s.urn, [...(byUrn.get(s.urn) ?? []), s]);
        }
    }
    const created = steps.filter((s) => s.op === "create").map((s) => s.urn);
    const findings: Finding[] = [];
    for (const [urn, group] of byUrn) {
        const action: Finding["action"] = group.some((s) => REPLACE_OPS.has(s.op)) ? "replace" : "delete";
        const state = group.map((s) => s.oldState ?? s.newState).find((x) => x !== undefined);
        const type = group.map((s) => s.newState?.type ?? s.oldState?.type).find((t) => t !== undefined) ?? typeFromUrn(urn);
        const why = stateful[type] ?? "";
        const allowedBy = allow.find((p) => allowMatches(p, urn));
        const retained = action === "delete" && group.some((s) => s.oldState?.retainOnDelete === true);
        const verdict: Verdict = why === "" ? "not-stateful" : allowedBy !== undefined ? "allowed" : retained ? "retained" : "blocked";
        findings.push({
            urn,
            name: nameFromUrn(urn),
            type,
            action,
            reasons: action === "replace" ? reasonsOf(group) : [],
            verdict,
            why,
            allowedBy,
            createdAlongside: action === "delete" ? created.filter((c) => qualifiedTypeOf(c) === qualifiedTypeOf(urn)) : [],
            protect: Boolean(state?.protect),
        });
    }
    const rank: Record<Verdict, number> = { blocked: 0, allowed: 1, retained: 2, "not-stateful": 3 };
    findings.sort((a, b) => rank[a.verdict] - rank[b.verdict] || a.urn.localeCompare(b.urn));
    return { findings, blocked: findings.filter((f) => f.verdict === "blocked"), counts, steps: steps.length };
}

function because(f: Finding): string {
    if (f.action === "delete") {
        return "the program no longer declares it (removed, or renamed/moved without an alias)";
    }
    return f.reasons.length > 0 ? `forced by a change of ${f.reasons.join(", ")}` : "the provider gave no property (see the preview's diff for this URN)";
}

export function formatReport(source: string, digest: PreviewDigest, result: GuardResult): string {
    const lines: string[] = [];
    const summary = Object.entries(result.counts)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([op, n]) => `${n} ${op}`)
        .join(", ");
    const stack = nameFromStack(digest, result);
    lines.push(`replacement guard: ${source}${stack ? ` (stack ${stack})` : ""}: ${result.steps} steps${summary ? ` - ${summary}` : ""}`);
    for (const f of result.findings) {
        const tag = { blocked: "BLOCKED ", allowed: "allowed ", retained: "retained", "not-stateful": "ok      " }[f.verdict];
        lines.push(`  ${tag} ${f.action.padEnd(7)} ${f.type} '${f.name}': ${because(f)}`);
        if (f.verdict === "blocked" || f.verdict === "allowed") {
            lines.push(`           ${f.why}${f.protect ? "; protected: the engine will refuse until protect is lifted" : ""}`);
        }
        if (f.verdict === "allowed") {
            lines.push(`           allowed by '${f.allowedBy}'`);
        }
        if (f.verdict === "retained") {
            lines.push("           retainOnDelete: removed from the stack but kept in AWS (adopt it again with 'pulumi import')");
        }
        for (const c of f.createdAlongside) {
            lines.push(`           a rename? '${nameFromUrn(c)}' of the same type is created: give it aliases: [{ name: "${f.name}" }] to keep this one`);
        }
        if (f.verdict === "blocked") {
            lines.push(`           urn: ${f.urn}`);
        }
    }
    if (result.findings.length === 0) {
        lines.push("  nothing is replaced or deleted");
    }
    if (result.blocked.length > 0) {
        lines.push(
            `FAILED: ${result.blocked.length} stateful resource(s) would be replaced or deleted.`,
            "  - not intended? restore the property value or the logical name (a renamed or moved resource needs",
            '    `aliases: [{ name: "old-name" }]` or `[{ parent: oldParent }]`, see docs/safe-changes.md);',
            "  - intended (with a backup/migration plan)? allow exactly these URNs:",
            ...result.blocked.map((f) => `      --allow '${f.urn}'`),
            "    or ALLOW_REPLACE='<urn>,<urn>' in the job's environment.",
        );
    } else {
        lines.push("passed: no stateful resource is replaced or deleted without an explicit allow.");
    }
    return lines.join("\n");
}

function nameFromStack(digest: PreviewDigest, result: GuardResult): string | undefined {
    const urn = digest.steps?.[0]?.urn ?? result.findings[0]?.urn;
    return urn ? /^urn:pulumi:([^:]+)::/.exec(urn)?.[1] : undefined;
}

export interface CliOutcome {
    code: number;
    output: string;
}

export function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env, read: (f: string) => string = (f) => fs.readFileSync(f, "utf8")): CliOutcome {
    const files: string[] = [];
    const allow = parseAllowEnv(env.ALLOW_REPLACE);
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--allow") {
            const v = argv[++i];
            if (v === undefined) return { code: 2, output: "guard-replacements: --allow needs a URN, a glob or a logical name" };
            allow.push(v);
        } else if (a.startsWith("--allow=")) {
            allow.push(a.slice("--allow=".length));
        } else if (a === "--help" || a === "-h") {
            return { code: 0, output: "usage: guard-replacements.ts <preview.json>... [--allow <urn|glob|name>]... (env ALLOW_REPLACE)" };
        } else if (a.startsWith("-")) {
            return { code: 2, output: `guard-replacements: unknown option ${a}` };
        } else {
            files.push(a);
        }
    }
    if (files.length === 0) {
        return { code: 2, output: "guard-replacements: give the file(s) written by 'pulumi preview --json > preview-<stack>.json'" };
    }
    const out: string[] = [];
    let code = 0;
    for (const file of files) {
        let digest: PreviewDigest;
        try {
            digest = parsePreview(read(file), file);
        } catch (err) {
            out.push(`guard-replacements: ${(err as Error).message}`);
            code = Math.max(code, 2);
            continue;
        }
        if (!Array.isArray(digest.steps)) {
            const errors = (digest.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => `  ${(d.message ?? "").trim()}`);
            out.push(`guard-replacements: ${file} has no steps: the preview did not complete, so nothing can be judged.`, ...errors);
            code = Math.max(code, 2);
            continue;
        }
        const result = evaluate(digest, allow);
        out.push(formatReport(file, digest, result));
        if (result.blocked.length > 0) code = Math.max(code, 1);
    }
    return { code, output: out.join("\n\n") };
}

if (require.main === module) {
    const { code, output } = runCli(process.argv.slice(2));
    (code === 0 ? console.log : console.error)(output);
    process.exit(code);
}
