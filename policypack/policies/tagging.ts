/**
 * Tagging (seed 001 AC-OPS-4): cost allocation, ownership and incident routing depend on tags.
 * Mandatory by default. Tags are read from `tagsAll`, which the AWS provider fills during Check by
 * merging its `defaultTags` with the resource's own `tags`, exactly as a real preview shows them.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { configOf, effectiveTags, TAGGABLE_TYPES } from "./util";

export const DEFAULT_REQUIRED_TAGS = ["Environment", "Project", "Owner", "ManagedBy"];
export const DEFAULT_ENVIRONMENTS = ["dev", "staging", "prod"];

/** Types that have a `tags` input but where AWS does not keep tags in a way the team can use. */
const TAG_EXEMPT = new Set<string>([]);

export const requiredTags: ResourceValidationPolicy = {
    name: "required-tags",
    description:
        "Every taggable AWS resource must carry the required tags (default Environment, Project, Owner, ManagedBy; AC-OPS-4) " +
        "with non-empty values, so that cost reports, ownership and incident routing cover the whole estate.",
    remediationSteps:
        "Set the tags once on the stack's aws.Provider defaultTags.tags (the program does this from config) and only add " +
        "resource-specific tags on the resource; check that no resource uses a provider without defaultTags.",
    enforcementLevel: "mandatory",
    severity: "medium",
    configSchema: {
        properties: {
            requiredTags: {
                type: "array",
                items: { type: "string" },
                default: DEFAULT_REQUIRED_TAGS,
                description: "Tag keys every taggable resource must carry.",
            },
        },
    },
    validateResource: (args, report) => {
        if (!TAGGABLE_TYPES.has(args.type) || TAG_EXEMPT.has(args.type)) return;
        const { requiredTags: keys } = configOf(args, { requiredTags: DEFAULT_REQUIRED_TAGS });
        const tags = effectiveTags(args.props, args.provider) ?? {};
        const missing = keys.filter((k) => typeof tags[k] !== "string" || tags[k].trim() === "");
        if (missing.length > 0) report(`Missing required tags: ${missing.join(", ")} (tagsAll has: ${Object.keys(tags).join(", ") || "none"}).`);
    },
};

export const environmentTagValue: ResourceValidationPolicy = {
    name: "environment-tag-value",
    description:
        "The Environment tag must be one of the known environments (default dev, staging, prod): dashboards, budgets " +
        "and the prod-only policies of this pack key on it, and a typo (\"production\") silently escapes them.",
    remediationSteps: "Fix the Environment value in the provider's defaultTags (stack config), or extend allowedEnvironments.",
    enforcementLevel: "mandatory",
    severity: "medium",
    configSchema: {
        properties: {
            allowedEnvironments: {
                type: "array",
                items: { type: "string" },
                default: DEFAULT_ENVIRONMENTS,
                description: "Accepted values of the Environment tag.",
            },
        },
    },
    validateResource: (args, report) => {
        if (!TAGGABLE_TYPES.has(args.type)) return;
        const { allowedEnvironments } = configOf(args, { allowedEnvironments: DEFAULT_ENVIRONMENTS });
        const env = (effectiveTags(args.props, args.provider) ?? {})["Environment"];
        if (env === undefined) return; // required-tags reports the missing tag
        if (!allowedEnvironments.includes(env)) report(`Environment tag '${env}' is not one of ${allowedEnvironments.join(", ")}.`);
    },
};

export const taggingPolicies = [requiredTags, environmentTagValue];
