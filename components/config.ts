/**
 * The typed, validated stack configuration: the only module that reads Pulumi config.
 *
 * `Pulumi.<stack>.yaml` -> `loadStackConfig()` -> one deeply frozen `StackConfig`. Every problem is
 * collected and reported at once, each with its key path, what was expected and the command that
 * fixes it, before any resource is registered. Each tier owns its section schema beside its
 * component (`components/<tier>/schema.ts`); this file composes them and adds the base keys.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import * as network from "./network/schema";
import * as edge from "./edge/schema";
import * as data from "./data/schema";
import * as compute from "./compute/schema";
import * as monitoring from "./monitoring/schema";
import * as cost from "../cost/schema";
import { ConfigProblem, ENVIRONMENTS, Environment, regionName, Report, slug } from "./validation";

/** The Pulumi project name, which is also the config namespace (`platform:<key>`). */
export const CONFIG_NAMESPACE = "platform";

/** Base keys: `aws:region` plus the scalar `platform:*` keys. */
const baseSchema = z
    .object({
        /** `aws:region`: the stack's main region. */
        region: regionName,
        /** Environment name; drives tags and the production invariants. */
        environment: z.enum(ENVIRONMENTS),
        /** Short project slug used in resource names and the Project tag. */
        project: slug,
        /** Owning team, the Owner tag (seed 001 AC-OPS-4). */
        owner: z.string().min(1, "expected the owning team, e.g. platform-team"),
        /** Optional CostCenter tag. */
        costCenter: z.string().min(1).optional(),
        /** Region for DR replicas (seed 001: us-west-2). @default us-west-2 */
        drRegion: regionName.default("us-west-2"),
        /**
         * Protect stateful resources (databases, buckets, tables, keys, secrets) from deletion and
         * replacement (`protect`, deletion protection). Prod must keep it; dev may switch it off.
         * @default true
         */
        protectData: z.boolean().default(true),
        /**
         * Name of the IAM managed policy put as permissions boundary on every role the platform
         * creates (deployments/ creates `delivery-<stack>-boundary` and lets its deploy role create
         * only roles that carry it). Unset: no boundary.
         */
        permissionsBoundary: z
            .string()
            .regex(/^[\w+=,.@-]{1,128}$/, "expected an IAM policy name such as delivery-prod-boundary")
            .optional(),
        /** More tags applied through the providers' default tags. */
        extraTags: z.record(z.string(), z.string()).default({}),
    })
    .strict();

/**
 * The config sections, one per tier. A tier adds its section here: `key: module`, where the module
 * exports `schema` and optionally `crossCheck(cfg, report)` and `secretKeys`.
 */
const SECTIONS = {
    network,
    edge,
    data,
    compute,
    monitoring,
    cost,
} as const;

interface SectionModule {
    schema: z.ZodType;
    crossCheck?: (cfg: StackConfig, report: Report) => void;
    secretKeys?: readonly string[];
}

type SectionConfigs = { readonly [K in keyof typeof SECTIONS]: DeepReadonly<z.output<(typeof SECTIONS)[K]["schema"]>> };

type DeepReadonly<T> = T extends (infer U)[]
    ? ReadonlyArray<DeepReadonly<U>>
    : T extends pulumi.Output<any>
      ? T
      : T extends object
        ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
        : T;

export type StackConfig = DeepReadonly<z.output<typeof baseSchema>> &
    SectionConfigs & {
        /** The Pulumi stack name (dev, staging, prod, or a personal stack). */
        readonly stack: string;
        readonly environment: Environment;
        /** Default tags every AWS resource carries through the providers. */
        readonly tags: Readonly<Record<string, string>>;
        /** Secret config values (`pulumi config set --secret <key>`), undefined when not set. */
        readonly secrets: Readonly<Record<string, pulumi.Output<string> | undefined>>;
    };

/** Thrown when the stack configuration is invalid; the message lists every problem. */
export class ConfigError extends pulumi.RunError {
    constructor(
        readonly stack: string,
        readonly problems: readonly ConfigProblem[],
    ) {
        super(formatProblems(stack, problems));
        this.name = "ConfigError";
    }
}

export function formatProblems(stack: string, problems: readonly ConfigProblem[]): string {
    const lines = problems.map((p) => `  - ${p.path}: ${p.message}\n      fix: ${p.fix}`);
    const noun = problems.length === 1 ? "problem" : "problems";
    return `Stack configuration of '${stack}' has ${problems.length} ${noun} (no resource was created):\n${lines.join("\n")}`;
}

const BASE_KEYS = Object.keys(baseSchema.shape) as (keyof z.output<typeof baseSchema>)[];
const SECRET_KEYS: readonly string[] = Object.values(SECTIONS as Record<string, SectionModule>).flatMap((s) => s.secretKeys ?? []);

/** The config key a user types for a base key (`aws:region` or `platform:<key>`). */
function configKeyOf(key: string): string {
    return key === "region" ? "aws:region" : `${CONFIG_NAMESPACE}:${key}`;
}

function defaultFix(path: string, stack: string): string {
    if (path.includes(":")) {
        return `pulumi config set ${path} <value> --stack ${stack}`;
    }
    const [head] = path.split(/[.[]/);
    if (path === head) {
        return `pulumi config set ${configKeyOf(head)} <value> --stack ${stack}`;
    }
    return `pulumi config set --path '${path}' <value> --stack ${stack}`;
}

function pathText(path: ReadonlyArray<PropertyKey>): string {
    return path
        .map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
        .join("");
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
    let v: any = root;
    for (const p of path) {
        if (v === null || typeof v !== "object") {
            return undefined;
        }
        v = v[p as any];
    }
    return v;
}

function describe(v: unknown): string {
    if (v === undefined) {
        return "nothing (the key is not set)";
    }
    const text = JSON.stringify(v);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Validates a raw configuration (base keys by name, sections as plain objects) into a frozen
 * StackConfig. Pure: no Pulumi runtime needed, which is what the config tests use.
 *
 * @param raw      `{ region, environment, project, owner, ..., network: {...}, data: {...} }`
 * @param stack    the stack name, for messages
 * @param secrets  secret values already read by `loadStackConfig`
 * @param unknownKeys  config keys in the `platform` namespace that no schema declares
 */
export function parseStackConfig(
    raw: Record<string, unknown>,
    stack: string,
    secrets: Record<string, pulumi.Output<string> | undefined> = {},
    unknownKeys: readonly string[] = [],
): StackConfig {
    const problems: ConfigProblem[] = [];
    const add = (path: string, message: string, fix?: string) => problems.push({ path, message, fix: fix ?? defaultFix(path, stack) });

    for (const key of unknownKeys) {
        const known = [...BASE_KEYS.filter((k) => k !== "region"), ...Object.keys(SECTIONS), ...SECRET_KEYS].sort();
        add(key, `unknown key; expected one of ${known.map((k) => `${CONFIG_NAMESPACE}:${k}`).join(", ")}`, `pulumi config rm ${key} --stack ${stack} (or fix its spelling)`);
    }

    const rawBase: Record<string, unknown> = {};
    for (const k of BASE_KEYS) {
        if (raw[k] !== undefined) {
            rawBase[k] = raw[k];
        }
    }
    const parsed: Record<string, unknown> = {};
    const collect = (section: string | undefined, result: z.ZodSafeParseResult<unknown>, input: unknown) => {
        if (result.success) {
            if (section) {
                parsed[section] = result.data;
            } else {
                Object.assign(parsed, result.data);
            }
            return;
        }
        for (const issue of result.error.issues) {
            const path = section ? [section, ...issue.path] : issue.path;
            const got = valueAt(input, issue.path);
            const key = pathText(path);
            const shown = section === undefined && issue.path.length === 1 ? configKeyOf(String(issue.path[0])) : key;
            const missing = got === undefined && issue.code === "invalid_type";
            const message = missing ? `required, expected ${issue.expected} (the key is not set)` : issue.code === "unrecognized_keys" ? issue.message : `${issue.message}, got ${describe(got)}`;
            add(shown, message, issue.code === "unrecognized_keys" ? `remove the key(s) from ${CONFIG_NAMESPACE}:${key || "<root>"} in Pulumi.${stack}.yaml (or fix their spelling)` : undefined);
        }
    };
    collect(undefined, baseSchema.safeParse(rawBase), rawBase);
    for (const [name, mod] of Object.entries(SECTIONS as Record<string, SectionModule>)) {
        collect(name, mod.schema.safeParse(raw[name] ?? {}), raw[name] ?? {});
    }
    if (problems.length > 0) {
        throw new ConfigError(stack, problems);
    }

    const base = parsed as z.output<typeof baseSchema>;
    const tags: Record<string, string> = {
        ...base.extraTags,
        Environment: base.environment,
        Project: base.project,
        Owner: base.owner,
        ManagedBy: "pulumi",
        ...(base.costCenter !== undefined ? { CostCenter: base.costCenter } : {}),
    };
    for (const reserved of ["Environment", "Project", "Owner", "ManagedBy", "CostCenter"]) {
        if (base.extraTags[reserved] !== undefined) {
            add(`extraTags.${reserved}`, `${reserved} is set by the platform and cannot be overridden here`, `pulumi config rm --path 'extraTags.${reserved}' --stack ${stack}`);
        }
    }
    if (base.environment === "prod" && !base.protectData) {
        add("protectData", "prod must protect its stateful resources", `pulumi config set ${CONFIG_NAMESPACE}:protectData true --stack ${stack}`);
    }
    const cfg = { ...parsed, stack, tags, secrets: { ...secrets } } as unknown as StackConfig;
    for (const mod of Object.values(SECTIONS as Record<string, SectionModule>)) {
        mod.crossCheck?.(cfg, add);
    }
    if (problems.length > 0) {
        throw new ConfigError(stack, problems);
    }
    return deepFreeze(cfg);
}

function deepFreeze<T>(value: T): T {
    if (value !== null && typeof value === "object" && !Object.isFrozen(value) && !pulumi.Output.isInstance(value)) {
        for (const v of Object.values(value as object)) {
            deepFreeze(v);
        }
        Object.freeze(value);
    }
    return value;
}

/**
 * Reads the current stack's configuration from the Pulumi runtime and validates it. Throws a
 * ConfigError listing every problem; the program calls this before creating any resource.
 */
export function loadStackConfig(): StackConfig {
    const stack = pulumi.getStack();
    const platform = new pulumi.Config(CONFIG_NAMESPACE);
    const aws = new pulumi.Config("aws");
    const problems: ConfigProblem[] = [];
    const raw: Record<string, unknown> = { region: aws.get("region") };
    for (const key of BASE_KEYS) {
        if (key === "region") {
            continue;
        }
        const text = platform.get(key);
        raw[key] = text === undefined ? undefined : parseMaybeJson(text);
    }
    for (const key of Object.keys(SECTIONS)) {
        const text = platform.get(key);
        if (text === undefined) {
            continue;
        }
        try {
            raw[key] = JSON.parse(text);
        } catch {
            problems.push({ path: key, message: `expected a structured object, got the text ${describe(text)}`, fix: `write ${CONFIG_NAMESPACE}:${key} as a YAML mapping in Pulumi.${stack}.yaml` });
        }
    }
    const secrets: Record<string, pulumi.Output<string> | undefined> = {};
    for (const key of SECRET_KEYS) {
        secrets[key] = platform.getSecret(key);
    }
    const known = new Set<string>([...BASE_KEYS, ...Object.keys(SECTIONS), ...SECRET_KEYS].map((k) => `${CONFIG_NAMESPACE}:${k}`));
    const unknownKeys = Object.keys(pulumi.runtime.allConfig()).filter((k) => k.startsWith(`${CONFIG_NAMESPACE}:`) && !known.has(k));
    if (problems.length > 0) {
        throw new ConfigError(stack, problems);
    }
    return parseStackConfig(raw, stack, secrets, unknownKeys);
}

/** Scalar config values arrive as text; numbers, booleans and objects are JSON. */
function parseMaybeJson(text: string): unknown {
    if (/^[[{]/.test(text) || text === "true" || text === "false") {
        try {
            return JSON.parse(text);
        } catch {
            return text;
        }
    }
    return text;
}
