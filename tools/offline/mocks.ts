/**
 * Realistic mock answers for the AWS resources and functions the platform uses: ids, ARNs in the
 * resource's own region, auto-generated physical names, and the invokes (caller identity,
 * partition, region, availability zones, policy documents).
 *
 * An invoke without a mock fails loudly with its token, so a new data source gets a deliberate
 * answer here instead of a silent `{}`.
 */
import { createHash } from "crypto";

export const MOCK_ACCOUNT_ID = "123456789012";
export const MOCK_PARTITION = "aws";

/** Zones per region as a real account sees them (ap-northeast-1b is not offered to new accounts). */
export const AVAILABILITY_ZONES: Readonly<Record<string, readonly string[]>> = {
    "ap-northeast-1": ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"],
    "us-east-1": ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"],
    "us-west-2": ["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d"],
};

function shortHash(text: string, length = 7): string {
    return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** Pulumi auto-naming: `<logical name>-<7 hex>` (deterministic here). */
export function physicalName(type: string, name: string): string {
    return `${name}-${shortHash(`${type}::${name}`)}`;
}

/** The AWS service namespace and the resource path of an ARN, by type token. */
interface ArnShape {
    service: string;
    /** Empty for global services such as IAM, S3, CloudFront. */
    regional: boolean;
    resource: (n: string, inputs: Record<string, any>) => string;
}

const ARN_SHAPES: Record<string, ArnShape> = {
    "aws:iam/role:Role": { service: "iam", regional: false, resource: (n) => `role/${n}` },
    "aws:iam/policy:Policy": { service: "iam", regional: false, resource: (n) => `policy/${n}` },
    "aws:iam/user:User": { service: "iam", regional: false, resource: (n) => `user/${n}` },
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": { service: "iam", regional: false, resource: (_n, i) => `oidc-provider/${String(i.url ?? "").replace(/^https:\/\//, "")}` },
    "aws:s3/bucket:Bucket": { service: "s3", regional: false, resource: (n) => n },
    "aws:kms/key:Key": { service: "kms", regional: true, resource: (n) => `key/${uuidOf(n)}` },
    "aws:cloudwatch/logGroup:LogGroup": { service: "logs", regional: true, resource: (n) => `log-group:${n}` },
    "aws:sqs/queue:Queue": { service: "sqs", regional: true, resource: (n) => n },
    "aws:sns/topic:Topic": { service: "sns", regional: true, resource: (n) => n },
    "aws:dynamodb/table:Table": { service: "dynamodb", regional: true, resource: (n) => `table/${n}` },
    "aws:secretsmanager/secret:Secret": { service: "secretsmanager", regional: true, resource: (n) => `secret:${n}-${shortHash(n, 6)}` },
    "aws:lambda/function:Function": { service: "lambda", regional: true, resource: (n) => `function:${n}` },
    "aws:ecs/cluster:Cluster": { service: "ecs", regional: true, resource: (n) => `cluster/${n}` },
    "aws:ecs/taskDefinition:TaskDefinition": { service: "ecs", regional: true, resource: (_n, i) => `task-definition/${i.family}:1` },
    "aws:ecs/service:Service": { service: "ecs", regional: true, resource: (n) => `service/${n}` },
    "aws:lb/loadBalancer:LoadBalancer": { service: "elasticloadbalancing", regional: true, resource: (n) => `loadbalancer/app/${n}/${shortHash(n, 16)}` },
    "aws:lb/targetGroup:TargetGroup": { service: "elasticloadbalancing", regional: true, resource: (n) => `targetgroup/${n}/${shortHash(n, 16)}` },
    "aws:lb/listener:Listener": { service: "elasticloadbalancing", regional: true, resource: (n) => `listener/app/${n}/${shortHash(n, 16)}` },
    "aws:rds/cluster:Cluster": { service: "rds", regional: true, resource: (n) => `cluster:${n}` },
    "aws:rds/clusterInstance:ClusterInstance": { service: "rds", regional: true, resource: (n) => `db:${n}` },
    "aws:rds/instance:Instance": { service: "rds", regional: true, resource: (n) => `db:${n}` },
    "aws:elasticache/replicationGroup:ReplicationGroup": { service: "elasticache", regional: true, resource: (n) => `replicationgroup:${n}` },
    "aws:ecr/repository:Repository": { service: "ecr", regional: true, resource: (n) => `repository/${n}` },
    "aws:cloudfront/distribution:Distribution": { service: "cloudfront", regional: false, resource: (n) => `distribution/E${shortHash(n, 13).toUpperCase()}` },
    "aws:sfn/stateMachine:StateMachine": { service: "states", regional: true, resource: (n) => `stateMachine:${n}` },
    "aws:cognito/userPool:UserPool": { service: "cognito-idp", regional: true, resource: (n) => `userpool/${n}` },
    "aws:cloudtrail/trail:Trail": { service: "cloudtrail", regional: true, resource: (n) => `trail/${n}` },
    "aws:cloudwatch/eventBus:EventBus": { service: "events", regional: true, resource: (n) => `event-bus/${n}` },
    // A rule on a custom bus has the bus name in its ARN: rule/<bus>/<rule>.
    "aws:cloudwatch/eventRule:EventRule": {
        service: "events",
        regional: true,
        resource: (n, i) => (typeof i.eventBusName === "string" && i.eventBusName !== "default" ? `rule/${i.eventBusName}/${n}` : `rule/${n}`),
    },
    "aws:scheduler/schedule:Schedule": { service: "scheduler", regional: true, resource: (n) => `schedule/default/${n}` },
    "aws:backup/vault:Vault": { service: "backup", regional: true, resource: (n) => `backup-vault:${n}` },
    "aws:backup/plan:Plan": { service: "backup", regional: true, resource: (n) => `backup-plan:${n}` },
    "aws:efs/fileSystem:FileSystem": { service: "elasticfilesystem", regional: true, resource: (n) => `file-system/fs-${shortHash(n, 17)}` },
    "aws:efs/accessPoint:AccessPoint": { service: "elasticfilesystem", regional: true, resource: (n) => `access-point/fsap-${shortHash(n, 17)}` },
    "aws:cloudwatch/metricAlarm:MetricAlarm": { service: "cloudwatch", regional: true, resource: (n) => `alarm:${n}` },
    "aws:cloudwatch/dashboard:Dashboard": { service: "cloudwatch", regional: false, resource: (n) => `dashboard/${n}` },
    "aws:acm/certificate:Certificate": { service: "acm", regional: true, resource: (n) => `certificate/${uuidOf(n)}` },
    "aws:apigateway/restApi:RestApi": { service: "apigateway", regional: true, resource: (n) => `/restapis/${n}` },
    "aws:apigateway/stage:Stage": { service: "apigateway", regional: true, resource: (n) => `/restapis/api/stages/${n}` },
    "aws:wafv2/webAcl:WebAcl": { service: "wafv2", regional: true, resource: (n, i) => `${i.scope === "CLOUDFRONT" ? "global" : "regional"}/webacl/${n}/${uuidOf(n)}` },
    "aws:wafv2/ipSet:IpSet": { service: "wafv2", regional: true, resource: (n, i) => `${i.scope === "CLOUDFRONT" ? "global" : "regional"}/ipset/${n}/${uuidOf(n)}` },
    "aws:cloudwatch/logDeliverySource:LogDeliverySource": { service: "logs", regional: true, resource: (n) => `delivery-source:${n}` },
    "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": { service: "logs", regional: true, resource: (n) => `delivery-destination:${n}` },
    "aws:cloudwatch/logDelivery:LogDelivery": { service: "logs", regional: true, resource: (n) => `delivery:${n}` },
    "aws:route53/healthCheck:HealthCheck": { service: "route53", regional: false, resource: (n) => `healthcheck/${uuidOf(n)}` },
};

function uuidOf(n: string): string {
    const h = createHash("sha256").update(n).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** `aws:ec2/vpc:Vpc` -> service guess `ec2`, resource `vpc/<id>` for types without an explicit shape. */
function genericArn(type: string, id: string, region: string): string {
    const [, mod = "unknown", kind = "Unknown"] = /^aws:([^/]+)\/[^:]+:(.+)$/.exec(type) ?? [];
    return `arn:${MOCK_PARTITION}:${mod}:${region}:${MOCK_ACCOUNT_ID}:${kind.charAt(0).toLowerCase()}${kind.slice(1)}/${id}`;
}

/** Which input carries a resource's physical name, when the user may set it. */
const NAME_INPUTS: Record<string, string> = {
    "aws:s3/bucket:Bucket": "bucket",
    "aws:rds/cluster:Cluster": "clusterIdentifier",
    "aws:rds/clusterInstance:ClusterInstance": "identifier",
    "aws:rds/instance:Instance": "identifier",
    "aws:elasticache/replicationGroup:ReplicationGroup": "replicationGroupId",
    "aws:ecs/taskDefinition:TaskDefinition": "family",
};

/**
 * The mocked state of a newly created resource: its inputs plus what AWS computes (id, arn,
 * physical name and a few well-known attributes).
 */
export function mockResourceState(type: string, name: string, inputs: Record<string, any>, region: string): { id: string; state: Record<string, any> } {
    if (type.startsWith("random:")) {
        return mockRandom(type, name, inputs);
    }
    const nameInput = NAME_INPUTS[type] ?? "name";
    const physical: string = inputs[nameInput] ?? (inputs.namePrefix ? `${inputs.namePrefix}${shortHash(name, 8)}` : physicalName(type, name));
    const state: Record<string, any> = { ...inputs, [nameInput]: physical };
    if (nameInput !== "name" && inputs.name === undefined && type !== "aws:s3/bucket:Bucket") {
        state.name = physical;
    }
    let id = `${physical}`;
    const shape = ARN_SHAPES[type];
    const arn = shape
        ? `arn:${MOCK_PARTITION}:${shape.service}:${shape.regional ? region : ""}:${shape.service === "s3" ? "" : MOCK_ACCOUNT_ID}:${shape.resource(physical, state)}`
        : genericArn(type, `${physical}`, region);
    switch (type) {
        case "aws:kms/key:Key":
            id = uuidOf(physical);
            state.keyId = id;
            break;
        case "aws:s3/bucket:Bucket":
            state.bucketDomainName = `${physical}.s3.amazonaws.com`;
            state.bucketRegionalDomainName = `${physical}.s3.${region}.amazonaws.com`;
            state.region = region;
            break;
        case "aws:sqs/queue:Queue":
            id = `https://sqs.${region}.amazonaws.com/${MOCK_ACCOUNT_ID}/${physical}`;
            state.url = id;
            break;
        case "aws:lb/loadBalancer:LoadBalancer":
        case "aws:lb/targetGroup:TargetGroup":
            id = arn;
            state.arnSuffix = arn.split(":").pop()!.replace(/^(loadbalancer|targetgroup)\//, (m) => (m === "loadbalancer/" ? "" : m));
            if (type === "aws:lb/loadBalancer:LoadBalancer") {
                state.dnsName = `${physical}-${shortHash(name, 9)}.${region}.elb.amazonaws.com`;
                state.zoneId = "Z14GRHDCWA56QT";
            }
            break;
        case "aws:lambda/function:Function":
            state.invokeArn = `arn:${MOCK_PARTITION}:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`;
            state.qualifiedArn = `${arn}:$LATEST`;
            state.version = "$LATEST";
            break;
        case "aws:ecr/repository:Repository":
            state.repositoryUrl = `${MOCK_ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com/${physical}`;
            break;
        case "aws:cloudfront/distribution:Distribution":
            id = arn.split("/").pop()!;
            state.domainName = `d${shortHash(name, 13)}.cloudfront.net`;
            state.hostedZoneId = "Z2FDTNDATAQYW2";
            break;
        case "aws:rds/cluster:Cluster":
            state.endpoint = `${physical}.cluster-c${shortHash(name, 11)}.${region}.rds.amazonaws.com`;
            state.readerEndpoint = `${physical}.cluster-ro-c${shortHash(name, 11)}.${region}.rds.amazonaws.com`;
            state.clusterResourceId = `cluster-${shortHash(name, 26).toUpperCase()}`;
            state.port = inputs.port ?? 5432;
            state.engineVersion = inputs.engineVersion;
            if (inputs.manageMasterUserPassword) {
                // RDS creates the master secret `rds!cluster-<uuid>` in the cluster's region.
                state.masterUserSecrets = [
                    {
                        secretArn: `arn:${MOCK_PARTITION}:secretsmanager:${region}:${MOCK_ACCOUNT_ID}:secret:rds!cluster-${uuidOf(name)}-${shortHash(name, 6)}`,
                        secretStatus: "active",
                        kmsKeyId: inputs.masterUserSecretKmsKeyId ?? `arn:${MOCK_PARTITION}:kms:${region}:${MOCK_ACCOUNT_ID}:alias/aws/secretsmanager`,
                    },
                ];
            }
            break;
        case "aws:elasticache/replicationGroup:ReplicationGroup":
            state.primaryEndpointAddress = `master.${physical}.${shortHash(name, 6)}.apne1.cache.amazonaws.com`;
            state.readerEndpointAddress = `replica.${physical}.${shortHash(name, 6)}.apne1.cache.amazonaws.com`;
            state.memberClusters = Array.from({ length: Number(inputs.numCacheClusters ?? 1) }, (_v, i) => `${physical}-00${i + 1}`);
            break;
        case "aws:apigateway/restApi:RestApi":
            id = shortHash(name, 10);
            state.rootResourceId = shortHash(`${name}-root`, 10);
            state.executionArn = `arn:${MOCK_PARTITION}:execute-api:${region}:${MOCK_ACCOUNT_ID}:${id}`;
            break;
        case "aws:cognito/userPool:UserPool":
            id = `${region}_${shortHash(name, 9)}`;
            state.endpoint = `cognito-idp.${region}.amazonaws.com/${id}`;
            break;
        case "aws:acm/certificate:Certificate": {
            // One DNS validation option per name, as ACM answers (the same CNAME for a name in every region).
            const names: string[] = [inputs.domainName, ...(inputs.subjectAlternativeNames ?? [])].filter((d: unknown) => typeof d === "string");
            state.domainValidationOptions = [...new Set(names)].map((d) => {
                const base = d.replace(/^\*\./, "");
                return { domainName: d, resourceRecordName: `_${shortHash(base, 32)}.${base}.`, resourceRecordType: "CNAME", resourceRecordValue: `_${shortHash(`v-${base}`, 32)}.acm-validations.aws.` };
            });
            state.status = "PENDING_VALIDATION";
            break;
        }
        case "aws:route53/record:Record":
            state.fqdn = String(inputs.name ?? "").replace(/\.$/, "");
            break;
        case "aws:apigateway/domainName:DomainName":
            state.regionalDomainName = `d-${shortHash(name, 10)}.execute-api.${region}.amazonaws.com`;
            state.regionalZoneId = "Z1YSHQZHG15GKL";
            break;
        case "aws:cognito/identityPool:IdentityPool":
            id = `${region}:${uuidOf(name)}`;
            break;
        case "aws:wafv2/webAcl:WebAcl":
        case "aws:wafv2/ipSet:IpSet":
            id = uuidOf(physical);
            break;
        case "awsx:ecr:Image":
            // Remote component of @pulumi/awsx: the pushed image, pinned by digest.
            state.imageUri = `${inputs.repositoryUrl}@sha256:${createHash("sha256").update(`${name}:${inputs.context ?? ""}`).digest("hex")}`;
            break;
        case "aws:dynamodb/table:Table":
            if (inputs.streamEnabled) {
                state.streamArn = `${arn}/stream/2026-01-01T00:00:00.000`;
                state.streamLabel = "2026-01-01T00:00:00.000";
            }
            break;
        case "aws:efs/fileSystem:FileSystem":
            id = arn.split("/").pop()!;
            break;
        case "aws:iam/role:Role":
            state.uniqueId = `AROA${shortHash(name, 17).toUpperCase()}`;
            break;
        default:
            break;
    }
    state.arn = state.arn ?? arn;
    state.id = id;
    return { id, state };
}

/** @pulumi/random: deterministic values of the requested shape (never real secrets). */
function mockRandom(type: string, name: string, inputs: Record<string, any>): { id: string; state: Record<string, any> } {
    const seed = createHash("sha256").update(`${type}::${name}`).digest("hex");
    const length = Number(inputs.length ?? inputs.byteLength ?? 16);
    const text = (seed + seed + seed + seed).slice(0, Math.max(1, length));
    const state: Record<string, any> = { ...inputs, result: text, id: seed.slice(0, 12) };
    if (type === "random:index/randomId:RandomId") {
        state.hex = seed.slice(0, length * 2);
        state.b64Url = Buffer.from(state.hex, "hex").toString("base64url");
        state.dec = BigInt(`0x${state.hex}`).toString();
    }
    if (type === "random:index/randomUuid:RandomUuid") {
        state.result = uuidOf(name);
    }
    return { id: state.id, state };
}

function renderPolicyDocument(inputs: Record<string, any>): Record<string, any> {
    const statements = (inputs.statements ?? []).map((s: any) => {
        const out: Record<string, any> = { Effect: s.effect ?? "Allow" };
        if (s.sid) out.Sid = s.sid;
        if (s.actions) out.Action = s.actions;
        if (s.notActions) out.NotAction = s.notActions;
        if (s.resources) out.Resource = s.resources;
        if (s.notResources) out.NotResource = s.notResources;
        if (s.principals) out.Principal = Object.fromEntries(s.principals.map((p: any) => [p.type, p.identifiers]));
        if (s.conditions) {
            out.Condition = {};
            for (const c of s.conditions) {
                out.Condition[c.test] = { ...(out.Condition[c.test] ?? {}), [c.variable]: c.values };
            }
        }
        return out;
    });
    const json = JSON.stringify({ Version: inputs.version ?? "2012-10-17", Statement: statements });
    return { json, minifiedJson: json, id: shortHash(json, 10) };
}

/** Answers a function (invoke) call the way AWS would for the mocked account. */
export function mockCall(token: string, inputs: Record<string, any>, region: string): Record<string, any> {
    switch (token) {
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: MOCK_ACCOUNT_ID, arn: `arn:${MOCK_PARTITION}:iam::${MOCK_ACCOUNT_ID}:user/offline`, userId: "AIDAOFFLINE", id: MOCK_ACCOUNT_ID };
        case "aws:index/getPartition:getPartition":
            return { partition: MOCK_PARTITION, dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: MOCK_PARTITION };
        case "aws:index/getRegion:getRegion":
            return { name: region, region, id: region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
        case "aws:index/getAvailabilityZones:getAvailabilityZones": {
            const names = AVAILABILITY_ZONES[region] ?? [`${region}a`, `${region}b`, `${region}c`];
            return { names, zoneIds: names.map((_n, i) => `${region.replace(/-/g, "").slice(0, 4)}-az${i + 1}`), id: region, groupNames: [region] };
        }
        case "aws:iam/getPolicyDocument:getPolicyDocument":
            return renderPolicyDocument(inputs);
        case "aws:ec2/getManagedPrefixList:getManagedPrefixList": {
            // The CloudFront origin-facing list has a region-specific id (ap-northeast-1: pl-58a04531).
            const ids: Record<string, string> = { "ap-northeast-1": "pl-58a04531", "us-east-1": "pl-3b927c52", "us-west-2": "pl-82a045eb" };
            const id = inputs.name === "com.amazonaws.global.cloudfront.origin-facing" ? (ids[region] ?? "pl-00000000") : `pl-${shortHash(String(inputs.name ?? inputs.id), 8)}`;
            return { id, name: inputs.name, arn: `arn:${MOCK_PARTITION}:ec2:${region}:aws:prefix-list/${id}`, addressFamily: "IPv4", maxEntries: 55, ownerId: "AWS", entries: [], tags: {}, version: 1 };
        }
        default:
            throw new Error(`offline mocks: no answer for the invoke '${token}'. Add one to tools/offline/mocks.ts (mockCall) with realistic values.`);
    }
}
