/**
 * Least-privilege IAM (seed 001 AC-SEC-5 and its least-privilege examples, 000 INFRA-010).
 * Mandatory by default, and FAIL CLOSED: a policy document that is unknown at preview time is
 * reported as a violation ("could not be verified") instead of the framework's advisory skip,
 * unless the policy's config says `unknownAtPreview: "defer"` (first deployment of a fresh stack;
 * see `failClosed` in util.ts).
 */
import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { ALLOWED_MANAGED_POLICIES, UNSCOPABLE_ACTIONS } from "../allowlists";
import {
    actionMatches,
    conditionKeys,
    configOf,
    failClosed,
    forTypes,
    isSetOrUnknown,
    isUnknownValueError,
    parsePolicyDocument,
    principalValues,
    ReportViolation,
    safe,
    Statement,
    stmtLabel,
    unknownAtPreviewSchema,
} from "./util";

/** Identity-based policy documents: [type, property] pairs (Role inline policies handled apart). */
const IDENTITY_DOC_TYPES: Record<string, string> = {
    "aws:iam/policy:Policy": "policy",
    "aws:iam/rolePolicy:RolePolicy": "policy",
    "aws:iam/userPolicy:UserPolicy": "policy",
    "aws:iam/groupPolicy:GroupPolicy": "policy",
};

/** Resource-based policy documents by type and property. */
export const RESOURCE_POLICY_TYPES: Record<string, string> = {
    "aws:s3/bucketPolicy:BucketPolicy": "policy",
    "aws:s3/bucket:Bucket": "policy",
    "aws:s3/bucketV2:BucketV2": "policy",
    "aws:sqs/queuePolicy:QueuePolicy": "policy",
    "aws:sqs/queue:Queue": "policy",
    "aws:sns/topicPolicy:TopicPolicy": "policy",
    "aws:sns/topic:Topic": "policy",
    "aws:kms/key:Key": "policy",
    "aws:kms/keyPolicy:KeyPolicy": "policy",
    "aws:secretsmanager/secretPolicy:SecretPolicy": "policy",
    "aws:secretsmanager/secret:Secret": "policy",
    "aws:ecr/repositoryPolicy:RepositoryPolicy": "policy",
    "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": "policyDocument",
    "aws:opensearch/domainPolicy:DomainPolicy": "accessPolicies",
};

interface NamedDoc {
    label: string;
    statements: Statement[];
}

/**
 * The identity-based documents of a resource (policy, role inline policies), parsed, and the
 * first UnknownValueError met while reading them (a document, or the list of inline policies,
 * unknown at preview). The caller checks every readable document and then throws `unknown`, so a
 * known document is judged the same whether another one is unknown or not. Unparsable JSON is
 * reported.
 */
function identityDocs(args: ResourceValidationArgs, report: ReportViolation): { docs: NamedDoc[]; unknown?: Error } {
    const docs: NamedDoc[] = [];
    let unknown: Error | undefined;
    const guard = (read: () => void) => {
        try {
            read();
        } catch (e) {
            if (!isUnknownValueError(e)) throw e;
            unknown ??= e;
        }
    };
    const add = (label: string, raw: () => unknown) =>
        guard(() => {
            const doc = raw();
            if (doc === undefined || doc === null || doc === "") return;
            try {
                docs.push({ label, statements: parsePolicyDocument(doc) });
            } catch (e) {
                if (e instanceof SyntaxError) report(`${label} is not valid JSON: ${e.message}`);
                else throw e;
            }
        });
    const prop = IDENTITY_DOC_TYPES[args.type];
    if (prop) add(prop, () => args.props[prop]);
    if (args.type === "aws:iam/role:Role") {
        guard(() => {
            const inline = args.props["inlinePolicies"];
            if (!Array.isArray(inline)) return;
            for (let i = 0; i < inline.length; i++) {
                // A name unknown at preview only changes the label: the document is what is judged.
                const name = safe(() => (inline[i] as { name?: string }).name);
                add(`inlinePolicies[${name ?? i}]`, () => (inline[i] as { policy?: unknown }).policy);
            }
        });
    }
    return { docs, unknown };
}

const IDENTITY_TYPES = [...Object.keys(IDENTITY_DOC_TYPES), "aws:iam/role:Role"];

function identityPolicy(
    check: (doc: NamedDoc, args: ResourceValidationArgs, report: ReportViolation) => void,
): ResourceValidationPolicy["validateResource"] {
    return forTypes(
        IDENTITY_TYPES,
        failClosed("The policy document", (args, report) => {
            const { docs, unknown } = identityDocs(args, report);
            for (const doc of docs) check(doc, args, report);
            if (unknown) throw unknown;
        }),
    );
}

export const iamNoWildcardActions: ResourceValidationPolicy = {
    name: "iam-no-wildcard-actions",
    description:
        "IAM Allow statements must name actions: `*`, `service:*` and Allow+NotAction grant every current and future action " +
        "of a service, which is never least privilege (AC-SEC-5).",
    remediationSteps: "Replace the wildcard with the exact actions the workload calls (for example s3:GetObject, s3:PutObject).",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: { properties: { ...unknownAtPreviewSchema } },
    validateResource: identityPolicy((doc, _args, report) => {
        doc.statements.forEach((s, i) => {
            if (s.Effect !== "Allow") return;
            if (s.NotAction.length > 0) report(`${doc.label} ${stmtLabel(s, i)} uses Allow with NotAction.`);
            for (const a of s.Action) {
                if (a === "*" || /^[a-z0-9-]+:\*$/i.test(a)) report(`${doc.label} ${stmtLabel(s, i)} allows '${a}'.`);
            }
        });
    }),
};

export const iamNoWildcardResources: ResourceValidationPolicy = {
    name: "iam-no-wildcard-resources",
    description:
        "IAM Allow statements must name resource ARNs; `Resource: \"*\"` (or NotResource) is only accepted when every action " +
        "in the statement is one AWS cannot scope (the UNSCOPABLE_ACTIONS allowlist shared with the program).",
    remediationSteps:
        "Scope the statement to the ARNs it needs (table, bucket/*, queue, secret ARNs); put unscopable actions such as " +
        "ecr:GetAuthorizationToken in their own statement; or extend additionalAllowedActions in the pack config with a justification.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            allowedActions: {
                type: "array",
                items: { type: "string" },
                default: [...UNSCOPABLE_ACTIONS],
                description: "Actions allowed on Resource \"*\" (replaces the default list from policypack/allowlists.ts).",
            },
            additionalAllowedActions: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Extra actions allowed on Resource \"*\", added to allowedActions.",
            },
            ...unknownAtPreviewSchema,
        },
    },
    validateResource: identityPolicy((doc, args, report) => {
        const cfg = configOf(args, { allowedActions: [...UNSCOPABLE_ACTIONS], additionalAllowedActions: [] as string[] });
        const allowed = new Set([...cfg.allowedActions, ...cfg.additionalAllowedActions].map((a) => a.toLowerCase()));
        doc.statements.forEach((s, i) => {
            if (s.Effect !== "Allow") return;
            if (s.NotResource.length > 0) {
                report(`${doc.label} ${stmtLabel(s, i)} uses Allow with NotResource.`);
                return;
            }
            if (!s.Resource.includes("*")) return;
            const bad = s.Action.filter((a) => !allowed.has(a.toLowerCase()));
            if (bad.length > 0) report(`${doc.label} ${stmtLabel(s, i)} allows ${bad.join(", ")} on Resource "*".`);
        });
    }),
};

/** Actions that let a principal grant itself more rights. */
export const ESCALATION_ACTIONS = [
    "iam:AttachGroupPolicy",
    "iam:AttachRolePolicy",
    "iam:AttachUserPolicy",
    "iam:CreatePolicy",
    "iam:CreatePolicyVersion",
    "iam:DeleteRolePermissionsBoundary",
    "iam:DeleteUserPermissionsBoundary",
    "iam:PutGroupPolicy",
    "iam:PutRolePolicy",
    "iam:PutUserPolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:PutUserPermissionsBoundary",
    "iam:SetDefaultPolicyVersion",
    "iam:UpdateAssumeRolePolicy",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
    "iam:AddUserToGroup",
];

export const iamNoPrivilegeEscalation: ResourceValidationPolicy = {
    name: "iam-no-privilege-escalation",
    description:
        "Workload roles must not be able to raise their own privileges: no iam:PassRole on `*` (it hands any role to a " +
        "service they control) and no iam:*Policy*/access-key/login-profile/boundary actions.",
    remediationSteps:
        "Scope iam:PassRole to the exact role ARNs with a Condition on iam:PassedToService; move IAM administration to " +
        "the deployment role (not in this program), or list a reviewed action in allowedActions.",
    enforcementLevel: "mandatory",
    severity: "critical",
    configSchema: {
        properties: {
            allowedActions: {
                type: "array",
                items: { type: "string" },
                default: [],
                description: "Escalation actions explicitly accepted (exact names, e.g. iam:CreatePolicyVersion for a reviewed admin role).",
            },
            ...unknownAtPreviewSchema,
        },
    },
    validateResource: identityPolicy((doc, args, report) => {
        const { allowedActions } = configOf(args, { allowedActions: [] as string[] });
        const accepted = new Set(allowedActions.map((a) => a.toLowerCase()));
        doc.statements.forEach((s, i) => {
            if (s.Effect !== "Allow") return;
            const wildcardResource = s.Resource.some((r) => r === "*" || /:role\/\*$/.test(r)) || s.NotResource.length > 0;
            const hits = new Set<string>();
            for (const a of s.Action) {
                if (wildcardResource && actionMatches(a, "iam:PassRole") && !accepted.has("iam:passrole")) hits.add(`${a} (iam:PassRole on a wildcard resource)`);
                for (const e of ESCALATION_ACTIONS) {
                    if (actionMatches(a, e) && !accepted.has(e.toLowerCase())) hits.add(a === e ? e : `${a} (covers ${e})`);
                }
                if (/^iam:[A-Za-z*?]*Policy[A-Za-z*?]*$/.test(a) && !/^iam:(Get|List|Simulate|Tag|Untag)/i.test(a) && !accepted.has(a.toLowerCase())) hits.add(a);
            }
            if (hits.size > 0) report(`${doc.label} ${stmtLabel(s, i)} allows privilege escalation: ${[...hits].join(", ")}.`);
        });
    }),
};

/** Normalises a managed policy ARN so that the partition does not matter. */
function normaliseManagedArn(arn: string): string {
    return arn.replace(/^arn:[^:]+:iam::aws:policy\//, "arn:aws:iam::aws:policy/");
}

export const iamManagedPolicyAllowlist: ResourceValidationPolicy = {
    name: "iam-managed-policy-allowlist",
    description:
        "Only AWS managed policies on the allowlist (ALLOWED_MANAGED_POLICIES, shared with the program) may be attached: most " +
        "managed policies are broad (ReadOnlyAccess reads every secret's metadata, *FullAccess are admin for a service).",
    remediationSteps: "Replace the managed policy with an inline least-privilege policy, or add it to allowedManagedPolicies after review.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            allowedManagedPolicies: {
                type: "array",
                items: { type: "string" },
                default: [...ALLOWED_MANAGED_POLICIES],
                description: "AWS managed policy ARNs that may be attached.",
            },
        },
    },
    validateResource: forTypes(
        [
            "aws:iam/role:Role",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            "aws:iam/userPolicyAttachment:UserPolicyAttachment",
            "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
            "aws:iam/policyAttachment:PolicyAttachment",
            "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
        ],
        (args, report) => {
            const { allowedManagedPolicies } = configOf(args, { allowedManagedPolicies: [...ALLOWED_MANAGED_POLICIES] });
            const allowed = new Set(allowedManagedPolicies.map(normaliseManagedArn));
            // An AWS managed policy ARN is always a literal known at preview; an unknown ARN is the
            // output of a policy created in this stack (customer managed), so it is skipped.
            const prop = args.type === "aws:iam/role:Role" ? "managedPolicyArns" : args.type.endsWith("AttachmentsExclusive") ? "policyArns" : "policyArn";
            const raw = safe(() => args.props[prop]);
            const list: unknown[] = Array.isArray(raw) ? Array.from({ length: raw.length }, (_, i) => safe(() => raw[i])) : [raw];
            for (const a of list) {
                if (typeof a !== "string") continue;
                if (/^arn:[^:]+:iam::aws:policy\//.test(a) && !allowed.has(normaliseManagedArn(a))) report(`AWS managed policy '${a}' is not on the allowlist.`);
            }
        },
    ),
};

export const iamTrustPolicyPrincipals: ResourceValidationPolicy = {
    name: "iam-trust-policy-principals",
    description:
        "Role trust policies must name who may assume the role: no `*`/`\"AWS\": \"*\"` principal, and federated (OIDC/SAML) " +
        "principals only with a Condition that pins the audience/subject (otherwise any GitHub repository could assume it).",
    remediationSteps:
        "Trust a service principal (ecs-tasks.amazonaws.com) with aws:SourceAccount/aws:SourceArn conditions, a specific role " +
        "ARN, or an OIDC provider with StringEquals on <provider>:aud and StringLike on <provider>:sub.",
    enforcementLevel: "mandatory",
    severity: "critical",
    configSchema: { properties: { ...unknownAtPreviewSchema } },
    validateResource: forTypes(
        ["aws:iam/role:Role"],
        failClosed("The trust policy", (args, report) => {
            const raw = args.props["assumeRolePolicy"];
            let statements: Statement[];
            try {
                statements = parsePolicyDocument(raw);
            } catch (e) {
                if (e instanceof SyntaxError) return report(`assumeRolePolicy is not valid JSON: ${e.message}`);
                throw e;
            }
            statements.forEach((s, i) => {
                if (s.Effect !== "Allow") return;
                const p = principalValues(s.Principal);
                const keys = conditionKeys(s);
                if (s.NotPrincipal !== undefined) report(`${stmtLabel(s, i)} uses NotPrincipal in a trust policy.`);
                if (p.any && !keys.some((k) => ["aws:principalorgid", "aws:principalarn", "aws:principalaccount"].includes(k))) {
                    report(`${stmtLabel(s, i)} lets any AWS principal ("*") assume the role.`);
                }
                if (p.federated.length > 0) {
                    const pinned = keys.some((k) => /:(aud|sub|amr)$/.test(k) || k === "saml:aud");
                    if (!pinned) report(`${stmtLabel(s, i)} trusts federated principal ${p.federated.join(", ")} without an aud/sub Condition.`);
                }
            });
        }),
    ),
};

export const lambdaPermissionSource: ResourceValidationPolicy = {
    name: "lambda-permission-source",
    description:
        "aws.lambda.Permission for a service principal must restrict the caller with sourceArn (or sourceAccount for s3): " +
        "without it any account's bucket, topic or rule can invoke the function (confused deputy). Principal \"*\" only with principalOrgId or an AWS_IAM function URL.",
    remediationSteps: "Set sourceArn to the invoking resource's ARN (rule, topic, API execution ARN); for S3 also set sourceAccount.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: { properties: { ...unknownAtPreviewSchema } },
    validateResource: forTypes(
        ["aws:lambda/permission:Permission"],
        failClosed("The Lambda permission", (args, report) => {
            const principal = String(args.props["principal"] ?? "");
            const hasSourceArn = isSetOrUnknown(() => args.props["sourceArn"]);
            const hasSourceAccount = isSetOrUnknown(() => args.props["sourceAccount"]);
            if (principal === "*") {
                const org = isSetOrUnknown(() => args.props["principalOrgId"]);
                if (!org && safe(() => args.props["functionUrlAuthType"]) !== "AWS_IAM") report("principal \"*\" lets anyone invoke the function.");
                return;
            }
            if (!principal.endsWith(".amazonaws.com")) return; // an account or role principal is already specific
            if (principal === "s3.amazonaws.com") {
                if (!hasSourceArn && !hasSourceAccount) report("s3.amazonaws.com permission needs sourceArn (bucket ARN) or sourceAccount.");
                return;
            }
            if (!hasSourceArn) report(`${principal} permission needs sourceArn.`);
        }),
    ),
};

/** Condition keys that make a `*` principal specific. */
export const RESTRICTING_CONDITION_KEYS = [
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceowner",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourcevpce",
    "aws:sourcevpc",
    "aws:sourceorgid",
    "kms:calleraccount",
    "kms:viaservice",
];

export const resourcePolicyNotPublic: ResourceValidationPolicy = {
    name: "resource-policy-not-public",
    description:
        "Resource policies (S3 bucket, SQS queue, SNS topic, KMS key, secret, ECR repository, log resource policy) must never " +
        "Allow Principal \"*\" without a condition that pins the caller (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID, " +
        "aws:SourceVpce...): that is a public resource. Deny statements (such as TLS-only) are fine.",
    remediationSteps:
        "Name the principal (a role ARN or a service principal) and add aws:SourceArn/aws:SourceAccount conditions for service " +
        "principals; serve public web content through CloudFront with an origin access control instead of a public bucket.",
    enforcementLevel: "mandatory",
    severity: "critical",
    configSchema: { properties: { ...unknownAtPreviewSchema } },
    validateResource: forTypes(
        Object.keys(RESOURCE_POLICY_TYPES),
        failClosed("The resource policy", (args, report) => {
            const prop = RESOURCE_POLICY_TYPES[args.type];
            const raw = args.props[prop];
            if (raw === undefined || raw === null || raw === "") return;
            let statements: Statement[];
            try {
                statements = parsePolicyDocument(raw);
            } catch (e) {
                if (e instanceof SyntaxError) return report(`${prop} is not valid JSON: ${e.message}`);
                throw e;
            }
            statements.forEach((s, i) => {
                if (s.Effect !== "Allow") return;
                const p = principalValues(s.Principal);
                const restricted = conditionKeys(s).some((k) => RESTRICTING_CONDITION_KEYS.includes(k));
                if ((p.any || s.NotPrincipal !== undefined) && !restricted) {
                    report(`${prop} ${stmtLabel(s, i)} allows ${s.Action.join(", ") || "actions"} to any principal without a restricting condition.`);
                }
            });
        }),
    ),
};

export const iamNoLongLivedCredentials: ResourceValidationPolicy = {
    name: "iam-no-long-lived-credentials",
    description:
        "The platform must not create IAM users, access keys or console passwords: workloads use roles, CI uses OIDC and humans " +
        "use SSO; a key created here also lands in the stack state.",
    remediationSteps: "Use an IAM role (task role, Lambda role, OIDC-federated CI role) instead; set allowUsers only for a reviewed exception.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            allowUsers: { type: "boolean", default: false, description: "Accept aws.iam.User resources (keys and login profiles stay forbidden)." },
        },
    },
    validateResource: forTypes(
        ["aws:iam/user:User", "aws:iam/accessKey:AccessKey", "aws:iam/userLoginProfile:UserLoginProfile"],
        (args, report) => {
            const { allowUsers } = configOf(args, { allowUsers: false });
            if (args.type === "aws:iam/user:User" && allowUsers) return;
            report(`${args.type} creates long-lived credentials.`);
        },
    ),
};

export const iamPolicies = [
    iamNoWildcardActions,
    iamNoWildcardResources,
    iamNoPrivilegeEscalation,
    iamManagedPolicyAllowlist,
    iamTrustPolicyPrincipals,
    lambdaPermissionSource,
    resourcePolicyNotPublic,
    iamNoLongLivedCredentials,
];
