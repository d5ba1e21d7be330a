/**
 * The full list of policies of the pack, grouped by concern. `../index.ts` builds the PolicyPack
 * from this list; tests and the offline analyzer import it without starting the analyzer server.
 */
import { PolicyPackArgs } from "@pulumi/policy";
import { dataProtectionPolicies } from "./data-protection";
import { encryptionPolicies } from "./encryption";
import { iamPolicies } from "./iam";
import { loggingPolicies } from "./logging";
import { networkPolicies } from "./network";
import { resiliencePolicies } from "./resilience";
import { taggingPolicies } from "./tagging";

/** The pack's name: also the `name` PulumiPolicy.yaml and `pulumi policy publish` use. */
export const PACK_NAME = "platform-policypack";

/** Policies by concern, for the README, reports and tests. */
export const policiesByConcern = {
    encryption: encryptionPolicies,
    tagging: taggingPolicies,
    iam: iamPolicies,
    network: networkPolicies,
    logging: loggingPolicies,
    resilience: resiliencePolicies,
    "data-protection": dataProtectionPolicies,
} as const;

export const policies: PolicyPackArgs["policies"] = Object.values(policiesByConcern).flat();

/** Arguments of the PolicyPack (index.ts) and of the offline analyzer's server. */
export const packArgs: PolicyPackArgs = {
    policies,
    enforcementLevel: "advisory",
    displayName: "Platform guardrails",
    description:
        "Encryption, tagging, least-privilege IAM, network exposure, logging, resilience and data protection for the AWS platform.",
    provider: "aws",
    tags: ["aws", "security", "platform"],
};
