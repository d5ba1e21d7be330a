/**
 * Resilience (seed 001 backup/DR design, 002 §1.1 Multi-AZ and 7-day backups, 003 WAF).
 * Prod-only checks read the environment from the policy config key `environment` or, when unset,
 * from the resource's tagsAll.Environment.
 */
import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { BUCKET_TYPES } from "./encryption";
import { ingressRules } from "./network";
import { configOf, environmentOf, environmentSchema, forTypes, isSetOrUnknown, ofTypes, plain, refersTo, safe } from "./util";

export const auroraBackupRetention: ResourceValidationPolicy = {
    name: "aurora-backup-retention",
    description:
        "In prod, Aurora clusters and RDS instances must keep automated backups for at least minimumRetentionDays (default 7, " +
        "002 §1.1): point-in-time restore only reaches back as far as the retention period.",
    remediationSteps: "Set backupRetentionPeriod: 7 (or more) and a preferredBackupWindow on the cluster in the prod stack config.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            ...environmentSchema,
            minimumRetentionDays: { type: "integer", default: 7, description: "Smallest accepted backupRetentionPeriod in prod." },
        },
    },
    validateResource: forTypes(["aws:rds/cluster:Cluster", "aws:rds/instance:Instance"], (args, report) => {
        const cfg = configOf(args, { environment: undefined as string | undefined, minimumRetentionDays: 7 });
        if (environmentOf(cfg.environment, args.props, args.provider) !== "prod") return;
        const days = safe(() => args.props["backupRetentionPeriod"]) ?? 1; // AWS default is 1 day
        if (typeof days === "number" && days < cfg.minimumRetentionDays) report(`backupRetentionPeriod ${days} is below ${cfg.minimumRetentionDays} days.`);
    }),
};

export const rdsDeletionProtection: ResourceValidationPolicy = {
    name: "rds-deletion-protection",
    description: "In prod, Aurora clusters and RDS instances must set deletionProtection: a stray `pulumi destroy` or console click must not drop the database.",
    remediationSteps: "Set deletionProtection: true (the program's prod defaults do).",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: { properties: { ...environmentSchema } },
    validateResource: forTypes(["aws:rds/cluster:Cluster", "aws:rds/instance:Instance"], (args, report) => {
        const cfg = configOf(args, { environment: undefined as string | undefined });
        if (environmentOf(cfg.environment, args.props, args.provider) !== "prod") return;
        if (safe(() => args.props["deletionProtection"]) !== true) report("deletionProtection must be true in prod.");
    }),
};

export const auroraMultiAz: StackValidationPolicy = {
    name: "aurora-multi-az",
    description:
        "In prod, every Aurora cluster must have at least minimumInstances (default 2) cluster instances so a writer failure " +
        "promotes a reader in another AZ within about a minute (002 §1.1); a single-instance cluster is a 10-minute outage.",
    remediationSteps: "Create at least two aws.rds.ClusterInstance in the cluster (the DataTier does so when database.instances >= 2).",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: {
        properties: {
            ...environmentSchema,
            minimumInstances: { type: "integer", default: 2, description: "Smallest number of instances per Aurora cluster in prod." },
        },
    },
    validateStack: (args, report) => {
        const cfg = configOf(args, { environment: undefined as string | undefined, minimumInstances: 2 });
        const instances = ofTypes(args.resources, ["aws:rds/clusterInstance:ClusterInstance"]);
        for (const c of ofTypes(args.resources, ["aws:rds/cluster:Cluster"])) {
            if (environmentOf(cfg.environment, c.props, c.provider) !== "prod") continue;
            const n = instances.filter((i) => refersTo(i, "clusterIdentifier", c, ["id", "clusterIdentifier"])).length;
            if (n < cfg.minimumInstances) report(`Aurora cluster '${c.name}' has ${n} instance(s); prod needs ${cfg.minimumInstances} in different AZs.`, c.urn);
        }
        for (const i of ofTypes(args.resources, ["aws:rds/instance:Instance"])) {
            if (environmentOf(cfg.environment, i.props, i.provider) !== "prod") continue;
            if (safe(() => i.props["multiAz"]) !== true) report(`RDS instance '${i.name}' must set multiAz in prod.`, i.urn);
        }
    },
};

export const elasticacheMultiAz: ResourceValidationPolicy = {
    name: "elasticache-multi-az",
    description: "In prod, Redis replication groups must fail over automatically across AZs (automaticFailoverEnabled, multiAzEnabled, 2+ nodes).",
    remediationSteps: "Set numCacheClusters: 2 (or replicasPerNodeGroup >= 1), automaticFailoverEnabled: true, multiAzEnabled: true.",
    enforcementLevel: "mandatory",
    severity: "medium",
    configSchema: { properties: { ...environmentSchema } },
    validateResource: forTypes(["aws:elasticache/replicationGroup:ReplicationGroup"], (args, report) => {
        const cfg = configOf(args, { environment: undefined as string | undefined });
        if (environmentOf(cfg.environment, args.props, args.provider) !== "prod") return;
        const p = args.props;
        if (safe(() => p["automaticFailoverEnabled"]) !== true) report("automaticFailoverEnabled must be true in prod.");
        if (safe(() => p["multiAzEnabled"]) !== true) report("multiAzEnabled must be true in prod.");
        const nodes = safe(() => p["numCacheClusters"]);
        const replicas = safe(() => p["replicasPerNodeGroup"]);
        if (!((typeof nodes === "number" && nodes >= 2) || (typeof replicas === "number" && replicas >= 1))) report("At least one replica is needed in prod.");
    }),
};

export const dynamodbPitr: ResourceValidationPolicy = {
    name: "dynamodb-pitr",
    description: "DynamoDB tables must enable point-in-time recovery: it is the only way back from a bad write or delete script (35 days, per second).",
    remediationSteps: "Set pointInTimeRecovery: { enabled: true }.",
    enforcementLevel: "mandatory",
    severity: "medium",
    validateResource: forTypes(["aws:dynamodb/table:Table"], (args, report) => {
        if (safe(() => args.props["pointInTimeRecovery"]?.enabled) !== true) report("pointInTimeRecovery.enabled must be true.");
    }),
};

const VERSIONING_TYPES = ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"];

export const s3Versioning: StackValidationPolicy = {
    name: "s3-versioning",
    description: "Every S3 bucket must have versioning Enabled (aws.s3.BucketVersioning): overwritten or deleted objects stay recoverable and replication to the DR region requires it.",
    remediationSteps: "Add an aws.s3.BucketVersioning { bucket: bucket.id, versioningConfiguration: { status: \"Enabled\" } } and a lifecycle rule expiring noncurrent versions.",
    enforcementLevel: "mandatory",
    severity: "medium",
    validateStack: (args, report) => {
        const vs = ofTypes(args.resources, VERSIONING_TYPES);
        for (const b of ofTypes(args.resources, BUCKET_TYPES)) {
            if (safe(() => b.props["versioning"]?.enabled) === true) continue;
            const ok = vs.some((v) => refersTo(v, "bucket", b, ["id", "bucket"]) && safe(() => v.props["versioningConfiguration"]?.status) === "Enabled");
            if (!ok) report(`Bucket '${b.name}' has no BucketVersioning with status Enabled.`, b.urn);
        }
    },
};

export const ecsCircuitBreaker: ResourceValidationPolicy = {
    name: "ecs-circuit-breaker",
    description: "ECS services must enable the deployment circuit breaker with rollback: a task that cannot start rolls back automatically instead of leaving the service half-deployed.",
    remediationSteps: "Set deploymentCircuitBreaker: { enable: true, rollback: true }.",
    enforcementLevel: "mandatory",
    severity: "medium",
    validateResource: forTypes(["aws:ecs/service:Service"], (args, report) => {
        const controller = safe(() => args.props["deploymentController"]?.type) ?? "ECS";
        if (controller !== "ECS") return; // CODE_DEPLOY / EXTERNAL have their own rollback
        const cb = safe(() => plain(args.props["deploymentCircuitBreaker"])) as { enable?: boolean; rollback?: boolean } | undefined;
        if (cb?.enable !== true || cb?.rollback !== true) report("deploymentCircuitBreaker must be { enable: true, rollback: true }.");
    }),
};

/** True when an ALB is only reachable through CloudFront: a distribution uses it as origin and no world ingress reaches it. */
function albBehindCloudFront(lb: PolicyResource, all: PolicyResource[], distributions: PolicyResource[]): boolean {
    const dns = safe(() => lb.props["dnsName"]);
    const isOrigin = distributions.some((d) => {
        if ((d.propertyDependencies["origins"] ?? []).some((x) => x.urn === lb.urn)) return true;
        const origins = (safe(() => plain(d.props["origins"])) as { domainName?: string }[] | undefined) ?? [];
        return typeof dns === "string" && origins.some((o) => o.domainName === dns);
    });
    if (!isOrigin) return false;
    const lbGroups = ofTypes(all, ["aws:ec2/securityGroup:SecurityGroup"]).filter((g) => refersTo(lb, "securityGroups", g, ["id"]));
    const worldOpen = ingressRules(all).some((r) => r.group && lbGroups.some((g) => g.urn === r.group!.urn) && r.cidrs.some((c) => c === "0.0.0.0/0" || c === "::/0"));
    return lbGroups.length > 0 && !worldOpen;
}

export const wafPublicEntryPoints: StackValidationPolicy = {
    name: "waf-public-entry-points",
    description:
        "Every public entry point must be behind AWS WAF: each CloudFront distribution has webAclId; each internet-facing ALB and " +
        "REST API stage has a WebAclAssociation, unless it is only reachable through CloudFront (ALB: a distribution uses it as " +
        "origin and its security groups admit no 0.0.0.0/0; REST API: PRIVATE endpoint or execute-api endpoint disabled). HTTP APIs " +
        "(API Gateway v2) cannot have WAF, so they must disable the execute-api endpoint and sit behind CloudFront.",
    remediationSteps:
        "Attach the CLOUDFRONT-scope web ACL (us-east-1) via webAclId; associate a REGIONAL web ACL with the ALB/stage " +
        "(aws.wafv2.WebAclAssociation { resourceArn, webAclArn }); or restrict the ALB to the CloudFront origin-facing prefix list.",
    enforcementLevel: "mandatory",
    severity: "high",
    validateStack: (args, report) => {
        const all = args.resources;
        const assocs = ofTypes(all, ["aws:wafv2/webAclAssociation:WebAclAssociation"]);
        const dists = ofTypes(all, ["aws:cloudfront/distribution:Distribution"]);
        for (const d of dists) {
            if (!isSetOrUnknown(() => d.props["webAclId"])) report(`CloudFront distribution '${d.name}' has no webAclId.`, d.urn);
        }
        for (const lb of ofTypes(all, ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"])) {
            if (safe(() => lb.props["internal"]) === true) continue;
            if ((safe(() => lb.props["loadBalancerType"]) ?? "application") !== "application") continue;
            if (assocs.some((a) => refersTo(a, "resourceArn", lb, ["arn", "id"]))) continue;
            if (albBehindCloudFront(lb, all, dists)) continue;
            report(`Internet-facing ALB '${lb.name}' has no WAF web ACL association and is reachable directly.`, lb.urn);
        }
        const apis = ofTypes(all, ["aws:apigateway/restApi:RestApi"]);
        for (const s of ofTypes(all, ["aws:apigateway/stage:Stage"])) {
            if (assocs.some((a) => refersTo(a, "resourceArn", s, ["arn"]))) continue;
            const api = apis.find((a) => refersTo(s, "restApi", a, ["id"]));
            const types = (safe(() => plain(api?.props["endpointConfiguration"]?.types)) as string[] | string | undefined) ?? [];
            const isPrivate = (Array.isArray(types) ? types : [types]).includes("PRIVATE");
            if (isPrivate || safe(() => api?.props["disableExecuteApiEndpoint"]) === true) continue;
            report(`REST API stage '${s.name}' has no WAF web ACL association.`, s.urn);
        }
        for (const h of ofTypes(all, ["aws:apigatewayv2/api:Api"])) {
            if ((safe(() => h.props["protocolType"]) ?? "HTTP") !== "HTTP") continue;
            if (safe(() => h.props["disableExecuteApiEndpoint"]) === true) continue;
            report(`HTTP API '${h.name}' cannot have WAF: set disableExecuteApiEndpoint and serve it through CloudFront with a web ACL.`, h.urn);
        }
    },
};

export const resiliencePolicies = [
    auroraBackupRetention,
    rdsDeletionProtection,
    auroraMultiAz,
    elasticacheMultiAz,
    dynamodbPitr,
    s3Versioning,
    ecsCircuitBreaker,
    wafPublicEntryPoints,
];
