/**
 * Encryption at rest and in transit (seed 001 AC-SEC-1..3, 000 INFRA-012, 002 §4).
 * Mandatory by default: an unencrypted data store cannot be fixed after the fact without a copy.
 */
import { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
    configOf,
    forTypes,
    frameworkUnknown,
    isCmkRef,
    isSetOrUnknown,
    isUnknown,
    ofTypes,
    parsePolicyDocument,
    plain,
    refersTo,
    safe,
    unknownAtPreviewOf,
    unknownAtPreviewSchema,
} from "./util";

export const BUCKET_TYPES = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"] as const;
const SSE_TYPES = [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
];
export const BUCKET_POLICY_TYPES = ["aws:s3/bucketPolicy:BucketPolicy"] as const;

/** True for a KMS key reference that is a customer managed key (not an `alias/aws/...` AWS managed key). */
export function isCustomerManagedKey(v: unknown): boolean {
    return typeof v === "string" && v.trim() !== "" && !/(^|:)alias\/aws\//.test(v);
}

function kmsRuleOk(rules: any): boolean {
    const list: any[] = Array.isArray(rules) ? rules : rules ? [rules] : [];
    return (
        safe(() =>
            list.some((r) => {
                const d = r?.applyServerSideEncryptionByDefault;
                const alg = d?.sseAlgorithm;
                return !!d && (alg === "aws:kms" || alg === "aws:kms:dsse") && isCmkRef(() => d.kmsMasterKeyId);
            }),
        ) ?? false
    );
}

export const s3BucketSseKms: StackValidationPolicy = {
    name: "s3-bucket-sse-kms",
    description:
        "Every S3 bucket must default-encrypt objects with SSE-KMS under a customer managed key (AC-SEC-1): the key policy " +
        "then controls who can read the data and every use is logged in CloudTrail, which SSE-S3 cannot give.",
    remediationSteps:
        "Add an aws.s3.BucketServerSideEncryptionConfiguration for the bucket with rules[0].applyServerSideEncryptionByDefault " +
        "= { sseAlgorithm: \"aws:kms\", kmsMasterKeyId: <your CMK ARN> } and bucketKeyEnabled: true.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            sseS3Exceptions: {
                type: "object",
                additionalProperties: { type: "string", minLength: 10 },
                default: {},
                description:
                    "Buckets (logical names) allowed SSE-S3 (AES256) instead of SSE-KMS, each with the reason: only where the AWS " +
                    "service writing to the bucket cannot use KMS (ALB access logs accept SSE-S3 only). They must still be encrypted.",
            },
        },
    },
    validateStack: (args, report) => {
        const { sseS3Exceptions } = configOf(args, { sseS3Exceptions: {} as Record<string, string> });
        const sses = ofTypes(args.resources, SSE_TYPES);
        for (const b of ofTypes(args.resources, BUCKET_TYPES)) {
            const inline = safe(() => b.props["serverSideEncryptionConfiguration"]?.rule ?? b.props["serverSideEncryptionConfiguration"]?.rules);
            if (inline && kmsRuleOk(inline)) continue;
            const mine = sses.filter((s) => refersTo(s, "bucket", b, ["id", "bucket"]));
            const excepted = sseS3Exceptions[b.name] !== undefined;
            if (mine.length === 0) {
                report(`Bucket '${b.name}' has no BucketServerSideEncryptionConfiguration with aws:kms and a customer managed key.`, b.urn);
            } else if (excepted && mine.some((s) => aes256RuleOk(safe(() => s.props["rules"])))) {
                continue;
            } else if (!mine.some((s) => kmsRuleOk(safe(() => s.props["rules"])))) {
                report(`Bucket '${b.name}' is encrypted, but not with aws:kms under a customer managed key (kmsMasterKeyId).`, b.urn);
            }
        }
    },
};

/** True when the rules default-encrypt with SSE-S3 (AES256). */
function aes256RuleOk(rules: unknown): boolean {
    const list = Array.isArray(rules) ? rules : rules ? [rules] : [];
    return list.some((r: any) => safe(() => r?.applyServerSideEncryptionByDefault?.sseAlgorithm) === "AES256");
}

/** True when a bucket policy denies every request made without TLS. */
export function deniesInsecureTransport(doc: unknown): boolean {
    let statements;
    try {
        statements = parsePolicyDocument(doc);
    } catch {
        return false;
    }
    return statements.some((s) => {
        if (s.Effect !== "Deny") return false;
        const cond = s.Condition ?? {};
        const bool = (cond["Bool"] ?? {}) as Record<string, unknown>;
        const key = Object.keys(bool).find((k) => k.toLowerCase() === "aws:securetransport");
        const v = key ? bool[key] : undefined;
        const vals = Array.isArray(v) ? v : [v];
        const covers = s.Action.some((a) => a === "*" || a.toLowerCase() === "s3:*");
        return covers && vals.some((x) => String(x) === "false");
    });
}

export const s3BucketTlsOnly: StackValidationPolicy = {
    name: "s3-bucket-tls-only",
    description:
        "Every S3 bucket must have a bucket policy that denies requests without TLS (aws:SecureTransport = false), " +
        "because S3 still answers plain HTTP and a signed request over HTTP exposes data in transit (AC-SEC-3).",
    remediationSteps:
        "Add an aws.s3.BucketPolicy with a statement { Effect: \"Deny\", Principal: \"*\", Action: \"s3:*\", Resource: " +
        "[bucketArn, `${bucketArn}/*`], Condition: { Bool: { \"aws:SecureTransport\": \"false\" } } }.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: { properties: { ...unknownAtPreviewSchema } },
    validateStack: (args, report) => {
        const defer = unknownAtPreviewOf(args) === "defer";
        const deferred: string[] = [];
        const policies = ofTypes(args.resources, BUCKET_POLICY_TYPES);
        for (const b of ofTypes(args.resources, BUCKET_TYPES)) {
            const inline = safe(() => b.props["policy"]);
            if (inline && deniesInsecureTransport(inline)) continue;
            const mine = policies.filter((p) => refersTo(p, "bucket", b, ["id", "bucket"]));
            if (mine.some((p) => deniesInsecureTransport(safe(() => p.props["policy"])))) continue;
            // A bucket policy that cannot be read yet (built from an ARN unknown at preview) is an
            // IAM document: like resource-policy-not-public, this check fails closed on it, unless
            // unknownAtPreview is "defer" (then the framework's advisory, after every known bucket
            // has been judged as always).
            const unreadable = mine.filter((p) => isUnknown(() => p.props["policy"]));
            if (unreadable.length > 0 && defer) {
                deferred.push(`'${b.name}' (${unreadable.map((p) => `'${p.name}'`).join(", ")})`);
            } else if (unreadable.length > 0) {
                report(
                    `Bucket '${b.name}': bucket policy ${unreadable.map((p) => `'${p.name}'`).join(", ")} could not be verified (its document is unknown at preview); IAM checks fail closed. ` +
                        "Build the document from values known at preview (the ARN from the bucket name: arn:aws:s3:::<bucket>). " +
                        "For the first deployment of a fresh stack only: policypack/config/<stack>.first-deploy.json (unknownAtPreview: \"defer\").",
                    b.urn,
                );
            } else {
                report(`Bucket '${b.name}' has no bucket policy denying aws:SecureTransport=false.`, b.urn);
            }
        }
        if (deferred.length > 0) {
            const unknown = frameworkUnknown(
                new Error("the bucket policy document of " + deferred.join(", ") + " can't be known during preview"),
                "deferred by unknownAtPreview \"defer\": checked again by the stack analysis at the end of `pulumi up`, with the created bucket policies",
            );
            if (unknown) throw unknown;
            for (const d of deferred) report(`Bucket ${d}: bucket policy could not be verified (unknown at preview) and @pulumi/policy offers no UnknownValueError to defer it; IAM checks fail closed.`);
        }
    },
};

export const rdsStorageEncrypted: ResourceValidationPolicy = {
    name: "rds-storage-encrypted",
    description:
        "Aurora clusters and RDS instances must set storageEncrypted with a customer managed kmsKeyId (AC-SEC-2): " +
        "encryption can only be chosen at creation, later it takes a snapshot copy and a restore.",
    remediationSteps: "Set storageEncrypted: true and kmsKeyId: <CMK ARN> on the aws.rds.Cluster / aws.rds.Instance.",
    enforcementLevel: "mandatory",
    severity: "high",
    validateResource: forTypes(["aws:rds/cluster:Cluster", "aws:rds/instance:Instance"], (args, report) => {
        if (args.type === "aws:rds/instance:Instance" && safe(() => args.props["replicateSourceDb"])) return;
        if (safe(() => args.props["storageEncrypted"]) !== true) report("storageEncrypted must be true.");
        if (!isCmkRef(() => args.props["kmsKeyId"])) report("kmsKeyId must name a customer managed KMS key.");
    }),
};

export const elasticacheEncrypted: ResourceValidationPolicy = {
    name: "elasticache-encrypted",
    description:
        "Redis/Valkey must encrypt at rest and in transit (atRestEncryptionEnabled, transitEncryptionEnabled): cached " +
        "sessions and query results are as sensitive as the database, and clients inside the VPC must not talk in clear text.",
    remediationSteps:
        "Use an aws.elasticache.ReplicationGroup with atRestEncryptionEnabled: true, transitEncryptionEnabled: true and kmsKeyId; " +
        "standalone aws.elasticache.Cluster nodes cannot encrypt at rest.",
    enforcementLevel: "mandatory",
    severity: "high",
    validateResource: forTypes(["aws:elasticache/replicationGroup:ReplicationGroup", "aws:elasticache/cluster:Cluster"], (args, report) => {
        if (args.type === "aws:elasticache/cluster:Cluster") {
            const engine = String(safe(() => args.props["engine"]) ?? "");
            if (isSetOrUnknown(() => args.props["replicationGroupId"])) return; // a member (the group's id may be unknown at preview): the group is checked
            if (engine === "redis" || engine === "valkey") {
                report("A standalone Redis/Valkey cluster cannot encrypt at rest: use an aws.elasticache.ReplicationGroup.");
            }
            return;
        }
        const atRest = safe(() => args.props["atRestEncryptionEnabled"]);
        if (atRest !== true && atRest !== "true") report("atRestEncryptionEnabled must be true.");
        if (safe(() => args.props["transitEncryptionEnabled"]) !== true) report("transitEncryptionEnabled must be true.");
    }),
};

export const dynamodbCmkEncryption: ResourceValidationPolicy = {
    name: "dynamodb-cmk-encryption",
    description:
        "DynamoDB tables must use serverSideEncryption with a customer managed kmsKeyArn: the default AWS owned key cannot " +
        "be audited or restricted by key policy (INFRA-012).",
    remediationSteps: "Set serverSideEncryption: { enabled: true, kmsKeyArn: <CMK ARN> } on the aws.dynamodb.Table.",
    enforcementLevel: "mandatory",
    severity: "high",
    validateResource: forTypes(["aws:dynamodb/table:Table"], (args, report) => {
        const enabled = safe(() => args.props["serverSideEncryption"]?.enabled);
        if (enabled !== true || !isCmkRef(() => args.props["serverSideEncryption"]?.kmsKeyArn)) {
            report("serverSideEncryption must be { enabled: true, kmsKeyArn: <customer managed key> }.");
        }
    }),
};

export const sqsEncrypted: ResourceValidationPolicy = {
    name: "sqs-encrypted",
    description:
        "SQS queues must be encrypted at rest: with a customer managed key (kmsMasterKeyId) or, unless requireCustomerManagedKey " +
        "is set, with SQS managed SSE (sqsManagedSseEnabled), which works with SNS and EventBridge without key-policy grants.",
    remediationSteps:
        "Set kmsMasterKeyId: <CMK ARN> (and grant the producing services kms:GenerateDataKey/Decrypt in the key policy) " +
        "or sqsManagedSseEnabled: true.",
    enforcementLevel: "mandatory",
    severity: "medium",
    configSchema: {
        properties: {
            requireCustomerManagedKey: {
                type: "boolean",
                default: false,
                description: "When true only kmsMasterKeyId with a customer managed key is accepted.",
            },
        },
    },
    validateResource: forTypes(["aws:sqs/queue:Queue"], (args, report) => {
        const { requireCustomerManagedKey } = configOf(args, { requireCustomerManagedKey: false });
        const cmk = isCmkRef(() => args.props["kmsMasterKeyId"]);
        const managed = safe(() => args.props["sqsManagedSseEnabled"]) === true;
        if (cmk) return;
        if (requireCustomerManagedKey) report("kmsMasterKeyId must name a customer managed KMS key (requireCustomerManagedKey is on).");
        else if (!managed) report("Set kmsMasterKeyId (customer managed key) or sqsManagedSseEnabled: true.");
    }),
};

export const snsEncrypted: ResourceValidationPolicy = {
    name: "sns-encrypted",
    description:
        "SNS topics must set kmsMasterKeyId to a customer managed key: the AWS managed alias/aws/sns key cannot grant " +
        "CloudWatch alarms or EventBridge the right to publish, so the topic would be either unencrypted or silent.",
    remediationSteps: "Set kmsMasterKeyId: <CMK ARN> and allow cloudwatch.amazonaws.com/events.amazonaws.com kms:GenerateDataKey*, kms:Decrypt in its key policy.",
    enforcementLevel: "mandatory",
    severity: "medium",
    validateResource: forTypes(["aws:sns/topic:Topic"], (args, report) => {
        if (!isCmkRef(() => args.props["kmsMasterKeyId"])) report("kmsMasterKeyId must name a customer managed KMS key.");
    }),
};

function truthy(v: unknown): boolean {
    return v === true || v === "true";
}

export const blockStorageEncrypted: ResourceValidationPolicy = {
    name: "block-storage-encrypted",
    description:
        "EBS volumes, instance and launch-template block devices and EFS file systems must be encrypted: disks outlive the " +
        "instances that use them (snapshots, detached volumes) and encryption cannot be added in place.",
    remediationSteps:
        "Set encrypted: true (and kmsKeyId) on aws.ebs.Volume / aws.efs.FileSystem, rootBlockDevice.encrypted on aws.ec2.Instance, " +
        "blockDeviceMappings[].ebs.encrypted = \"true\" on aws.ec2.LaunchTemplate.",
    enforcementLevel: "mandatory",
    severity: "high",
    validateResource: forTypes(
        ["aws:ebs/volume:Volume", "aws:efs/fileSystem:FileSystem", "aws:ec2/instance:Instance", "aws:ec2/launchTemplate:LaunchTemplate"],
        (args, report) => {
            const p = args.props;
            switch (args.type) {
                case "aws:ebs/volume:Volume":
                case "aws:efs/fileSystem:FileSystem":
                    if (!truthy(safe(() => p["encrypted"]))) report("encrypted must be true.");
                    return;
                case "aws:ec2/instance:Instance": {
                    const root = safe(() => plain(p["rootBlockDevice"])) as { encrypted?: boolean } | undefined;
                    if (!truthy(root?.encrypted)) report("rootBlockDevice.encrypted must be true.");
                    const extra = (safe(() => plain(p["ebsBlockDevices"])) as { encrypted?: boolean; deviceName?: string }[] | undefined) ?? [];
                    for (const d of extra) if (!truthy(d.encrypted)) report(`ebsBlockDevices '${d.deviceName ?? "?"}' must be encrypted.`);
                    return;
                }
                default: {
                    const maps = (safe(() => plain(p["blockDeviceMappings"])) as { deviceName?: string; ebs?: { encrypted?: unknown } }[] | undefined) ?? [];
                    for (const m of maps) if (m.ebs && !truthy(m.ebs.encrypted)) report(`blockDeviceMappings '${m.deviceName ?? "?"}' ebs.encrypted must be "true".`);
                }
            }
        },
    ),
};

export const logGroupKms: ResourceValidationPolicy = {
    name: "log-group-kms",
    description:
        "CloudWatch log groups must be encrypted with a customer managed kmsKeyId: application logs carry request data and " +
        "identifiers, and a CMK lets the security team revoke read access independently of IAM.",
    remediationSteps: "Set kmsKeyId: <CMK ARN> on the aws.cloudwatch.LogGroup and allow logs.<region>.amazonaws.com in the key policy.",
    enforcementLevel: "mandatory",
    severity: "medium",
    validateResource: forTypes(["aws:cloudwatch/logGroup:LogGroup"], (args, report) => {
        if (!isCmkRef(() => args.props["kmsKeyId"])) report("kmsKeyId must name a customer managed KMS key.");
    }),
};

export const secretCmk: ResourceValidationPolicy = {
    name: "secret-cmk",
    description:
        "Secrets Manager secrets must be encrypted with a customer managed kmsKeyId (AC-SEC-6): with the default " +
        "aws/secretsmanager key anyone with secretsmanager:GetSecretValue in the account can read it; a CMK adds a second gate.",
    remediationSteps: "Set kmsKeyId: <CMK ARN> on the aws.secretsmanager.Secret.",
    enforcementLevel: "mandatory",
    severity: "high",
    validateResource: forTypes(["aws:secretsmanager/secret:Secret"], (args, report) => {
        if (!isCmkRef(() => args.props["kmsKeyId"])) report("kmsKeyId must name a customer managed KMS key.");
    }),
};

export const kmsKeyRotation: ResourceValidationPolicy = {
    name: "kms-key-rotation",
    description:
        "Symmetric KMS keys must enable automatic rotation (enableKeyRotation) so that key material is replaced yearly " +
        "without re-encrypting data (CIS AWS 3.6).",
    remediationSteps: "Set enableKeyRotation: true (optionally rotationPeriodInDays) on the aws.kms.Key.",
    enforcementLevel: "mandatory",
    severity: "medium",
    validateResource: forTypes(["aws:kms/key:Key"], (args, report) => {
        const spec = safe(() => args.props["customerMasterKeySpec"] ?? args.props["keySpec"]) ?? "SYMMETRIC_DEFAULT";
        const usage = safe(() => args.props["keyUsage"]) ?? "ENCRYPT_DECRYPT";
        if (spec !== "SYMMETRIC_DEFAULT" || usage !== "ENCRYPT_DECRYPT") return; // asymmetric/HMAC keys cannot rotate
        if (safe(() => args.props["enableKeyRotation"]) !== true) report("enableKeyRotation must be true.");
    }),
};

export const DEFAULT_SSL_POLICIES = [
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
    "ELBSecurityPolicy-TLS-1-2-2017-01",
    "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
    "ELBSecurityPolicy-FS-1-2-2019-08",
    "ELBSecurityPolicy-FS-1-2-Res-2019-08",
    "ELBSecurityPolicy-FS-1-2-Res-2020-10",
];

export const albListenerTls: ResourceValidationPolicy = {
    name: "alb-listener-tls",
    description:
        "Load balancer listeners must terminate TLS 1.2+ (HTTPS/TLS with an allowed sslPolicy); a plain HTTP listener is " +
        "only allowed when every default action redirects to HTTPS (AC-SEC-3).",
    remediationSteps:
        "Use protocol \"HTTPS\" with certificateArn and sslPolicy \"ELBSecurityPolicy-TLS13-1-2-2021-06\"; make port 80 a " +
        "listener whose defaultActions are [{ type: \"redirect\", redirect: { protocol: \"HTTPS\", port: \"443\", statusCode: \"HTTP_301\" } }].",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            allowedSslPolicies: {
                type: "array",
                items: { type: "string" },
                default: DEFAULT_SSL_POLICIES,
                description: "ELB security policies accepted on HTTPS/TLS listeners (TLS 1.2 minimum).",
            },
            plainHttpExceptions: {
                type: "object",
                additionalProperties: { type: "string", minLength: 10 },
                default: {},
                description: "Listeners (logical names) allowed to serve plain HTTP, each with the reason: a reviewed, visible exception (for example an origin-only listener behind CloudFront while no custom domain, hence no certificate, exists).",
            },
        },
    },
    validateResource: forTypes(["aws:lb/listener:Listener", "aws:alb/listener:Listener"], (args, report) => {
        const { allowedSslPolicies, plainHttpExceptions } = configOf(args, { allowedSslPolicies: DEFAULT_SSL_POLICIES, plainHttpExceptions: {} as Record<string, string> });
        const protocol = String(safe(() => args.props["protocol"]) ?? "HTTP").toUpperCase();
        if (protocol === "HTTPS" || protocol === "TLS") {
            const pol = safe(() => args.props["sslPolicy"]);
            if (typeof pol !== "string" || !allowedSslPolicies.includes(pol)) {
                report(`sslPolicy '${pol ?? "(provider default)"}' is not an allowed TLS 1.2+ policy (${allowedSslPolicies[0]} recommended).`);
            }
            return;
        }
        if (protocol === "HTTP") {
            const actions = (safe(() => plain(args.props["defaultActions"])) as { type?: string; redirect?: { protocol?: string } }[] | undefined) ?? [];
            const allRedirect = actions.length > 0 && actions.every((a) => a.type === "redirect" && String(a.redirect?.protocol).toUpperCase() === "HTTPS");
            if (!allRedirect && plainHttpExceptions[args.name] === undefined) report("A plain HTTP listener may only redirect to HTTPS.");
            return;
        }
        // TCP/UDP listeners (network load balancers) carry their own protocol; not HTTP traffic.
    }),
};

export const DEFAULT_CF_MIN_PROTOCOLS = ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"];

export const cloudfrontViewerHttps: ResourceValidationPolicy = {
    name: "cloudfront-viewer-https",
    description:
        "CloudFront distributions must force HTTPS for viewers on every cache behaviour (redirect-to-https or https-only) and, " +
        "with a custom certificate, require TLSv1.2_2021 or newer (AC-SEC-3, 002 §1.3).",
    remediationSteps:
        "Set viewerProtocolPolicy: \"redirect-to-https\" on defaultCacheBehavior and every orderedCacheBehaviors entry; set " +
        "viewerCertificate.minimumProtocolVersion: \"TLSv1.2_2021\" and sslSupportMethod: \"sni-only\".",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            allowedMinimumProtocolVersions: {
                type: "array",
                items: { type: "string" },
                default: DEFAULT_CF_MIN_PROTOCOLS,
                description: "viewerCertificate.minimumProtocolVersion values accepted with a custom certificate.",
            },
        },
    },
    validateResource: forTypes(["aws:cloudfront/distribution:Distribution"], (args, report) => {
        const { allowedMinimumProtocolVersions } = configOf(args, { allowedMinimumProtocolVersions: DEFAULT_CF_MIN_PROTOCOLS });
        const ok = ["redirect-to-https", "https-only"];
        const def = safe(() => args.props["defaultCacheBehavior"]?.viewerProtocolPolicy);
        if (!ok.includes(String(def))) report(`defaultCacheBehavior.viewerProtocolPolicy is '${def}', expected redirect-to-https or https-only.`);
        const ordered = (safe(() => plain(args.props["orderedCacheBehaviors"])) as { pathPattern?: string; viewerProtocolPolicy?: string }[] | undefined) ?? [];
        for (const b of ordered) {
            if (!ok.includes(String(b.viewerProtocolPolicy))) report(`orderedCacheBehaviors '${b.pathPattern}' viewerProtocolPolicy is '${b.viewerProtocolPolicy}'.`);
        }
        // A certificate created in the same update (ACM in us-east-1) has an unknown ARN at preview: it is still a custom certificate.
        const vc = () => args.props["viewerCertificate"];
        const customCert = isSetOrUnknown(() => vc()?.acmCertificateArn) || isSetOrUnknown(() => vc()?.iamCertificateId);
        const minVersion = safe(() => vc()?.minimumProtocolVersion);
        if (customCert && !isUnknown(() => vc()?.minimumProtocolVersion) && !allowedMinimumProtocolVersions.includes(String(minVersion))) {
            report(`viewerCertificate.minimumProtocolVersion is '${minVersion}', expected one of ${allowedMinimumProtocolVersions.join(", ")}.`);
        }
    }),
};

export const cloudfrontOriginHttps: ResourceValidationPolicy = {
    name: "cloudfront-origin-https",
    description:
        "CloudFront must reach custom origins (ALB, API Gateway) over https-only with TLSv1.2 only: otherwise traffic is " +
        "re-sent in clear text across the internet between the edge and the origin.",
    remediationSteps: "Set customOriginConfig.originProtocolPolicy: \"https-only\" and originSslProtocols: [\"TLSv1.2\"] on every custom origin; use S3 origins with an origin access control.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            plainHttpExceptions: {
                type: "object",
                additionalProperties: { type: "string", minLength: 10 },
                default: {},
                description: "Origins allowed http-only, as `<distribution logical name>/<originId>` with the reason: a reviewed, visible exception (for example an ALB origin without a certificate because no custom domain exists yet).",
            },
        },
    },
    validateResource: forTypes(["aws:cloudfront/distribution:Distribution"], (args, report) => {
        const { plainHttpExceptions } = configOf(args, { plainHttpExceptions: {} as Record<string, string> });
        const origins = (safe(() => plain(args.props["origins"])) as { originId?: string; customOriginConfig?: { originProtocolPolicy?: string; originSslProtocols?: string[] } }[] | undefined) ?? [];
        for (const o of origins) {
            const c = o.customOriginConfig;
            if (!c) continue;
            if (c.originProtocolPolicy !== "https-only" && plainHttpExceptions[`${args.name}/${o.originId}`] === undefined) report(`origin '${o.originId}' originProtocolPolicy is '${c.originProtocolPolicy}', expected https-only.`);
            const weak = (c.originSslProtocols ?? []).filter((p) => p !== "TLSv1.2" && p !== "TLSv1.3");
            if (weak.length > 0) report(`origin '${o.originId}' allows ${weak.join(", ")}; allow TLSv1.2 only.`);
        }
    }),
};

export const encryptionPolicies = [
    s3BucketSseKms,
    s3BucketTlsOnly,
    rdsStorageEncrypted,
    elasticacheEncrypted,
    dynamodbCmkEncryption,
    sqsEncrypted,
    snsEncrypted,
    blockStorageEncrypted,
    logGroupKms,
    secretCmk,
    kmsKeyRotation,
    albListenerTls,
    cloudfrontViewerHttps,
    cloudfrontOriginHttps,
];
