/**
 * Typed, validated configuration of one stack of the deployments project.
 *
 * `parseDeploymentsConfig` is pure (tests call it with plain objects); `loadDeploymentsConfig`
 * is the only reader of `pulumi.Config`. Every problem is reported at once with its key path and
 * the command that fixes it.
 */
import * as pulumi from "@pulumi/pulumi";

export const PLATFORM_STACKS = ["dev", "staging", "prod"] as const;
export type PlatformStack = (typeof PLATFORM_STACKS)[number];

export interface DeploymentsConfig {
    /** Platform stack these settings and roles are for (the name of this deployments stack). */
    readonly stack: PlatformStack;
    readonly pulumiOrg: string;
    readonly platformProject: string;
    /** The platform's `platform:project` slug; physical names are `<slug>-<stack>-…`. */
    readonly platformSlug: string;
    /** "owner/name" */
    readonly repository: string;
    readonly awsAccountId: string;
    readonly region: string;
    readonly drRegion: string;
    /** Branch deployed on push, without `refs/heads/`. */
    readonly branch: string;
    readonly deployCommits: boolean;
    readonly previewPullRequests: boolean;
    readonly paths: readonly string[];
    readonly driftScheduleCron: string | undefined;
    readonly slackWebhookUrl: pulumi.Input<string>;
    readonly approvers: readonly string[];
    readonly escEnvironment: string | undefined;
    readonly createGithubOidcProvider: boolean;
    readonly createPulumiOidcProvider: boolean;
    readonly createPulumiOidcIssuer: boolean;
    readonly ciTeam: string;
    readonly deployTeam: string;
    readonly stackTagKey: string;
    /** Prefix of every physical name of the platform stack: `<platformSlug>-<stack>`. Deploy grants are scoped to it. */
    readonly namePrefix: string;
    /**
     * Prefix of the bootstrap roles and policies created here: `delivery-<stack>`. Deliberately
     * outside `namePrefix`, so the deploy role's IAM grants never match its own role or policies.
     */
    readonly bootstrapPrefix: string;
}

/** Files whose change must redeploy the platform. Anything else (docs, workflows) does not. */
export const DEFAULT_PATHS: readonly string[] = [
    "index.ts",
    "components/**",
    "Pulumi.yaml",
    "package.json",
    "package-lock.json",
];

export function defaultBranch(stack: PlatformStack): string {
    return stack === "prod" ? "release" : "main";
}

const KEY = "platform-deployments";

type Raw = Record<string, unknown>;

/** Parses and validates raw config values (already JSON-decoded) for one stack. */
export function parseDeploymentsConfig(stackName: string, raw: Raw, slackWebhookUrl?: pulumi.Input<string>): DeploymentsConfig {
    const problems: string[] = [];
    const fix = (key: string, example: string) => `pulumi config set ${key} ${example} -s ${stackName}`;

    if (!(PLATFORM_STACKS as readonly string[]).includes(stackName)) {
        problems.push(`stack: expected one of ${PLATFORM_STACKS.join(", ")} (one deployments stack per platform stack), got "${stackName}" - pulumi stack select dev|staging|prod`);
    }
    const stack = stackName as PlatformStack;

    const str = (key: string, pattern: RegExp, what: string, example: string, fallback?: string): string => {
        const v = raw[key] ?? fallback;
        if (typeof v !== "string" || !pattern.test(v)) {
            problems.push(`${KEY}:${key}: expected ${what}, got ${JSON.stringify(v)} - ${fix(key, example)}`);
            return "";
        }
        return v;
    };
    const bool = (key: string, fallback: boolean): boolean => {
        const v = raw[key];
        if (v === undefined) return fallback;
        if (typeof v === "boolean") return v;
        if (v === "true" || v === "false") return v === "true";
        problems.push(`${KEY}:${key}: expected true or false, got ${JSON.stringify(v)} - ${fix(key, String(fallback))}`);
        return fallback;
    };
    const strList = (key: string, fallback: readonly string[]): readonly string[] => {
        const v = raw[key];
        if (v === undefined) return fallback;
        if (Array.isArray(v) && v.every((x) => typeof x === "string" && x.length > 0)) return v as string[];
        problems.push(`${KEY}:${key}: expected a list of non-empty strings, got ${JSON.stringify(v)} - pulumi config set --path '${key}[0]' <value> -s ${stackName}`);
        return fallback;
    };

    const pulumiOrg = str("pulumiOrg", /^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "a Pulumi organization name", "acme");
    const platformProject = str("platformProject", /^[A-Za-z0-9_.-]+$/, "a Pulumi project name", "platform", "platform");
    const platformSlug = str("platformSlug", /^[a-z][a-z0-9]{1,20}$/, "the platform's platform:project slug (lower-case letters and digits)", "ragplatform");
    const repository = str("repository", /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'a GitHub repository "owner/name"', "acme/aws-platform");
    const awsAccountId = str("awsAccountId", /^\d{12}$/, "a 12-digit AWS account id (quoted)", '"123456789012"');
    const region = str("region", /^[a-z]{2}(-gov)?-[a-z]+-\d$/, "an AWS region such as ap-northeast-1", "ap-northeast-1", "ap-northeast-1");
    const drRegion = str("drRegion", /^[a-z]{2}(-gov)?-[a-z]+-\d$/, "an AWS region such as us-west-2", "us-west-2", "us-west-2");
    if (region !== "" && region === drRegion) {
        problems.push(`${KEY}:drRegion: must differ from region (${region}) - ${fix("drRegion", "us-west-2")}`);
    }
    const branch = str("branch", /^(?!refs\/)[A-Za-z0-9._\/-]+$/, "a branch name without refs/heads/", defaultBranch(stack), defaultBranch(stack));
    if (stack === "prod" && branch === "main" && raw["deployCommits"] !== false) {
        problems.push(`${KEY}:branch: prod must not deploy every push to main; use the reviewed release branch - ${fix("branch", "release")}`);
    }
    const driftRaw = raw["driftScheduleCron"];
    let driftScheduleCron: string | undefined;
    if (driftRaw !== undefined) {
        if (typeof driftRaw === "string" && driftRaw.trim().split(/\s+/).length === 5) driftScheduleCron = driftRaw.trim();
        else problems.push(`${KEY}:driftScheduleCron: expected a 5-field cron expression, got ${JSON.stringify(driftRaw)} - ${fix("driftScheduleCron", '"0 */6 * * *"')}`);
    }
    const escEnvironment = raw["escEnvironment"] === undefined ? undefined : str("escEnvironment", /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'an ESC environment "project/name"', "platform/prod");
    const approvers = strList("approvers", []);
    if (approvers.length > 0 && escEnvironment === undefined) {
        problems.push(`${KEY}:approvers: set escEnvironment too; approvals guard an ESC environment - ${fix("escEnvironment", "platform/" + stackName)}`);
    }
    if (stack === "prod" && approvers.length === 0) {
        problems.push(`${KEY}:approvers: prod needs at least one approving Pulumi team for its ESC environment - pulumi config set --path 'approvers[0]' platform-leads -s ${stackName}`);
    }
    if (slackWebhookUrl === undefined) {
        problems.push(`${KEY}:slackWebhookUrl: required (deployment notifications) - pulumi config set --secret slackWebhookUrl https://hooks.slack.com/services/... -s ${stackName}`);
    }
    const ciTeam = str("ciTeam", /^[A-Za-z0-9_.-]+$/, "a Pulumi team name", "platform-ci", "platform-ci");
    const deployTeam = str("deployTeam", /^[A-Za-z0-9_.-]+$/, "a Pulumi team name", "platform-deployers", "platform-deployers");
    const stackTagKey = str("stackTagKey", /^[A-Za-z0-9_.:\/=+@-]{1,128}$/, "an AWS tag key", "Environment", "Environment");

    const cfg: DeploymentsConfig = {
        stack,
        pulumiOrg,
        platformProject,
        platformSlug,
        repository,
        awsAccountId,
        region,
        drRegion,
        branch,
        deployCommits: bool("deployCommits", true),
        previewPullRequests: bool("previewPullRequests", stack === "dev"),
        paths: strList("paths", [...DEFAULT_PATHS, `Pulumi.${stackName}.yaml`]),
        driftScheduleCron,
        slackWebhookUrl: slackWebhookUrl ?? "",
        approvers,
        escEnvironment,
        createGithubOidcProvider: bool("createGithubOidcProvider", true),
        createPulumiOidcProvider: bool("createPulumiOidcProvider", true),
        createPulumiOidcIssuer: bool("createPulumiOidcIssuer", false),
        ciTeam,
        deployTeam,
        stackTagKey,
        namePrefix: `${platformSlug}-${stackName}`,
        bootstrapPrefix: `delivery-${stackName}`,
    };
    if (problems.length > 0) {
        throw new Error(`Invalid deployments configuration for stack "${stackName}":\n  - ${problems.join("\n  - ")}`);
    }
    return Object.freeze(cfg);
}

/** Reads this stack's config (the only place that touches pulumi.Config). */
export function loadDeploymentsConfig(): DeploymentsConfig {
    const config = new pulumi.Config(KEY);
    const keys = [
        "pulumiOrg", "platformProject", "platformSlug", "repository", "awsAccountId", "region", "drRegion", "branch",
        "deployCommits", "previewPullRequests", "paths", "driftScheduleCron", "approvers", "escEnvironment",
        "createGithubOidcProvider", "createPulumiOidcProvider", "createPulumiOidcIssuer", "ciTeam", "deployTeam",
        "stackTagKey",
    ];
    const raw: Raw = {};
    for (const key of keys) {
        const text = config.get(key);
        if (text === undefined) continue;
        try {
            raw[key] = JSON.parse(text);
        } catch {
            raw[key] = text;
        }
    }
    // Numbers-as-strings such as the account id must stay strings.
    const account = config.get("awsAccountId");
    if (account !== undefined) raw["awsAccountId"] = account;
    return parseDeploymentsConfig(pulumi.getStack(), raw, config.getSecret("slackWebhookUrl"));
}
