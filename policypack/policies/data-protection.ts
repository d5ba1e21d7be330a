/**
 * Data protection (DESIGN.md "Data safety", seed 001 S3 design, 002 §1.3 private S3 behind CloudFront).
 * Prod-only checks read the environment from the policy config key `environment` or, when unset,
 * from the resource's tagsAll.Environment.
 */
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { BUCKET_TYPES } from "./encryption";
import { configOf, environmentOf, environmentSchema, forTypes, isSetOrUnknown, ofTypes, plain, refersTo, safe } from "./util";

export const STATEFUL_TYPES = [
    "aws:rds/cluster:Cluster",
    "aws:rds/instance:Instance",
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:elasticache/serverlessCache:ServerlessCache",
    "aws:dynamodb/table:Table",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:kms/key:Key",
    "aws:secretsmanager/secret:Secret",
    "aws:efs/fileSystem:FileSystem",
];

export const prodStatefulProtected: ResourceValidationPolicy = {
    name: "prod-stateful-protected",
    description:
        "In prod, stateful resources (Aurora/RDS, Redis, DynamoDB, S3, KMS keys, secrets, EFS) must carry the `protect` resource " +
        "option: Pulumi then refuses to delete or replace them, so a rename or a bad refactor fails the preview instead of dropping data.",
    remediationSteps:
        "Pass { protect: true } (and retainOnDelete: true where the data must outlive the stack) for prod; the components do this " +
        "from the stack's data-safety config. To really remove one: `pulumi state unprotect <urn>` in a reviewed change.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            ...environmentSchema,
            types: { type: "array", items: { type: "string" }, default: STATEFUL_TYPES, description: "Resource types that must be protected in prod." },
        },
    },
    validateResource: (args, report) => {
        const cfg = configOf(args, { environment: undefined as string | undefined, types: STATEFUL_TYPES });
        if (!cfg.types.includes(args.type)) return;
        if (environmentOf(cfg.environment, args.props, args.provider) !== "prod") return;
        if (args.opts.protect !== true) report(`${args.type} '${args.name}' is stateful and must be protected in prod.`);
    },
};

export const rdsFinalSnapshot: ResourceValidationPolicy = {
    name: "rds-final-snapshot",
    description: "In prod, deleting a database must leave a final snapshot (skipFinalSnapshot false with a finalSnapshotIdentifier): the last line of defence after deletion protection.",
    remediationSteps: "Set skipFinalSnapshot: false and finalSnapshotIdentifier: `${name}-final`.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: { properties: { ...environmentSchema } },
    validateResource: forTypes(["aws:rds/cluster:Cluster", "aws:rds/instance:Instance"], (args, report) => {
        const cfg = configOf(args, { environment: undefined as string | undefined });
        if (environmentOf(cfg.environment, args.props, args.provider) !== "prod") return;
        if (safe(() => args.props["skipFinalSnapshot"]) === true) report("skipFinalSnapshot must be false in prod.");
        else if (!isSetOrUnknown(() => args.props["finalSnapshotIdentifier"])) report("finalSnapshotIdentifier must be set in prod.");
    }),
};

export const dynamodbDeletionProtection: ResourceValidationPolicy = {
    name: "dynamodb-deletion-protection",
    description: "In prod, DynamoDB tables must set deletionProtectionEnabled so that neither Pulumi nor the console can delete a table holding production data.",
    remediationSteps: "Set deletionProtectionEnabled: true.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: { properties: { ...environmentSchema } },
    validateResource: forTypes(["aws:dynamodb/table:Table"], (args, report) => {
        const cfg = configOf(args, { environment: undefined as string | undefined });
        if (environmentOf(cfg.environment, args.props, args.provider) !== "prod") return;
        if (safe(() => args.props["deletionProtectionEnabled"]) !== true) report("deletionProtectionEnabled must be true in prod.");
    }),
};

const PAB_KEYS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

export const s3BlockPublicAccess: StackValidationPolicy = {
    name: "s3-block-public-access",
    description:
        "Every S3 bucket must have a BucketPublicAccessBlock with all four settings true (002 §1.3: private buckets, public " +
        "content only through CloudFront): it overrides any later ACL or policy mistake.",
    remediationSteps: "Add an aws.s3.BucketPublicAccessBlock { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }.",
    enforcementLevel: "mandatory",
    severity: "critical",
    validateStack: (args, report) => {
        const blocks = ofTypes(args.resources, ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"]);
        for (const b of ofTypes(args.resources, BUCKET_TYPES)) {
            const mine = blocks.filter((p) => refersTo(p, "bucket", b, ["id", "bucket"]));
            const ok = mine.some((p) => PAB_KEYS.every((k) => safe(() => p.props[k]) === true));
            if (!ok) report(`Bucket '${b.name}' has no public access block with ${PAB_KEYS.join(", ")} all true.`, b.urn);
        }
    },
};

const PUBLIC_ACLS = ["public-read", "public-read-write", "authenticated-read"];
const PUBLIC_GRANTEES = ["http://acs.amazonaws.com/groups/global/AllUsers", "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"];

export const s3NoPublicAcl: ResourceValidationPolicy = {
    name: "s3-no-public-acl",
    description: "Buckets must not grant access through public canned ACLs or grants to AllUsers/AuthenticatedUsers: ACL-based access bypasses bucket policies and is invisible in IAM reviews.",
    remediationSteps: "Remove the ACL; use aws.s3.BucketOwnershipControls with objectOwnership \"BucketOwnerEnforced\" (ACLs disabled) and grant access by bucket policy.",
    enforcementLevel: "mandatory",
    severity: "critical",
    validateResource: forTypes(
        ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2", "aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"],
        (args, report) => {
            const acl = safe(() => args.props["acl"]);
            if (typeof acl === "string" && PUBLIC_ACLS.includes(acl)) report(`Canned ACL '${acl}' makes the bucket public.`);
            const grants = [
                ...(((safe(() => plain(args.props["accessControlPolicy"]?.grants)) as any[]) ?? []).map((g) => g?.grantee?.uri)),
                ...(((safe(() => plain(args.props["grants"])) as any[]) ?? []).map((g) => g?.uri)),
            ];
            for (const uri of grants) if (PUBLIC_GRANTEES.includes(uri)) report(`Grant to ${uri} makes the bucket public.`);
        },
    ),
};

export const secretRotation: StackValidationPolicy = {
    name: "secret-rotation",
    description: "Secrets Manager secrets should rotate automatically (aws.secretsmanager.SecretRotation; 002 secrets with rotation): a leaked credential then expires on its own.",
    remediationSteps: "Add an aws.secretsmanager.SecretRotation { secretId, rotationLambdaArn, rotationRules: { automaticallyAfterDays: 30 } }, or use RDS-managed master passwords (manageMasterUserPassword).",
    enforcementLevel: "advisory",
    severity: "medium",
    configSchema: {
        properties: {
            exemptSecrets: { type: "array", items: { type: "string" }, default: [], description: "Logical names of secrets that cannot rotate (third-party API keys)." },
        },
    },
    validateStack: (args, report) => {
        const { exemptSecrets } = configOf(args, { exemptSecrets: [] as string[] });
        const rotations = ofTypes(args.resources, ["aws:secretsmanager/secretRotation:SecretRotation"]);
        for (const s of ofTypes(args.resources, ["aws:secretsmanager/secret:Secret"])) {
            if (exemptSecrets.includes(s.name)) continue;
            if (!rotations.some((r) => refersTo(r, "secretId", s, ["id", "arn"]))) report(`Secret '${s.name}' has no rotation.`, s.urn);
        }
    },
};

export const ecrImageScanning: ResourceValidationPolicy = {
    name: "ecr-image-integrity",
    description: "ECR repositories should scan images on push and use immutable tags: a tag that can be overwritten lets a deployed version change silently.",
    remediationSteps: "Set imageScanningConfiguration: { scanOnPush: true } and imageTagMutability: \"IMMUTABLE\".",
    enforcementLevel: "advisory",
    severity: "medium",
    validateResource: forTypes(["aws:ecr/repository:Repository"], (args, report) => {
        if (safe(() => args.props["imageScanningConfiguration"]?.scanOnPush) !== true) report("imageScanningConfiguration.scanOnPush must be true.");
        const m = safe(() => args.props["imageTagMutability"]) ?? "MUTABLE";
        if (!String(m).startsWith("IMMUTABLE")) report(`imageTagMutability is '${m}', expected IMMUTABLE.`);
    }),
};

export const dataProtectionPolicies = [
    prodStatefulProtected,
    rdsFinalSnapshot,
    dynamodbDeletionProtection,
    s3BlockPublicAccess,
    s3NoPublicAcl,
    secretRotation,
    ecrImageScanning,
];
