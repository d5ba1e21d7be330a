/**
 * The stack policies that correlate resources, as the FIRST preview of a fresh stack shows them:
 * ids and ARNs are the engine's UNKNOWN sentinel, so a reference such as a flow log's `vpcId` can
 * only be matched through the engine's property dependencies (`deps`). Each policy gets a
 * compliant graph and a violating one in which the dependency points at another resource (or
 * nowhere), so the match is proven to be by dependency, not "anything unknown matches".
 */
import { AddOptions, Graph, PolicyCase, UNKNOWN } from "../harness";
import { RecordedResource } from "../../offline/analyze";
import { CMK, tlsOnlyPolicy } from "./common";
import { distribution } from "./encryption";
import { PROD_TAGS } from "./resilience";

/** A resource created in this update: its id and ARN (and any listed attribute) are unknown. */
function fresh(g: Graph, type: string, name: string, inputs: Record<string, any>, o: AddOptions = {}, unknown: string[] = []): RecordedResource {
    const state: Record<string, any> = { id: UNKNOWN, arn: UNKNOWN, ...Object.fromEntries(unknown.map((k) => [k, UNKNOWN])), ...(o.state ?? {}) };
    return g.add(type, name, inputs, { ...o, state });
}

/** A bucket (auto-named, so `bucket` is known) and its four companions, which refer to `target` by dependency. */
function s3(g: Graph, name: string, target?: RecordedResource): RecordedResource {
    const b = fresh(g, "aws:s3/bucket:Bucket", name, { bucket: `${name}-bkt` });
    const to = target ?? b;
    const deps = { deps: { bucket: [to] } };
    fresh(g, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", `${name}-sse`, { bucket: UNKNOWN, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: UNKNOWN } }] }, {
        deps: { bucket: [to], rules: ["urn:pulumi:test::aws-platform::aws:kms/key:Key::data-key"] },
    });
    // Built from the bucket name (known at preview), as the README asks.
    fresh(g, "aws:s3/bucketPolicy:BucketPolicy", `${name}-policy`, { bucket: UNKNOWN, policy: tlsOnlyPolicy(`arn:aws:s3:::${to.inputs.bucket}`) }, deps);
    fresh(g, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", `${name}-pab`, { bucket: UNKNOWN, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, deps);
    fresh(g, "aws:s3/bucketVersioning:BucketVersioning", `${name}-versioning`, { bucket: UNKNOWN, versioningConfiguration: { status: "Enabled" } }, deps);
    return b;
}

/** Two buckets: `a` complete; `b`'s companions all refer to `a` (a copy-paste mistake). */
function s3Mixup(g: Graph): void {
    const a = s3(g, "a");
    s3(g, "b", a);
}

function vpcWith(g: Graph, name: string, target: (v: RecordedResource) => RecordedResource): void {
    const v = fresh(g, "aws:ec2/vpc:Vpc", name, { cidrBlock: "10.0.0.0/16" });
    const to = target(v);
    fresh(g, "aws:ec2/flowLog:FlowLog", `${name}-flow-log`, { vpcId: UNKNOWN, trafficType: "ALL", logDestinationType: "cloud-watch-logs" }, { deps: { vpcId: [to] } });
    fresh(g, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", `${name}-default-sg`, { vpcId: UNKNOWN }, { deps: { vpcId: [to] } });
}

/** Two VPCs; in the mix-up both flow logs and default groups refer to the first. */
function vpcs(g: Graph, mixup: boolean): void {
    let first: RecordedResource | undefined;
    vpcWith(g, "vpc-a", (v) => (first = v));
    vpcWith(g, "vpc-b", (v) => (mixup ? first! : v));
}

/** Public and private subnets; the public one routes to the internet gateway (Route resource or inline route). */
function network(g: Graph, inlineRoute = false) {
    const v = fresh(g, "aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" });
    const igw = fresh(g, "aws:ec2/internetGateway:InternetGateway", "igw", { vpcId: UNKNOWN }, { deps: { vpcId: [v] } });
    const pub = fresh(g, "aws:ec2/subnet:Subnet", "public-1", { vpcId: UNKNOWN, cidrBlock: "10.0.0.0/24" }, { deps: { vpcId: [v] } });
    const priv = fresh(g, "aws:ec2/subnet:Subnet", "private-1", { vpcId: UNKNOWN, cidrBlock: "10.0.1.0/24" }, { deps: { vpcId: [v] } });
    const rt = inlineRoute
        ? fresh(g, "aws:ec2/routeTable:RouteTable", "public-rt", { vpcId: UNKNOWN, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: UNKNOWN }] }, { deps: { vpcId: [v], routes: [igw] } })
        : fresh(g, "aws:ec2/routeTable:RouteTable", "public-rt", { vpcId: UNKNOWN }, { deps: { vpcId: [v] } });
    if (!inlineRoute) {
        fresh(g, "aws:ec2/route:Route", "public-default", { routeTableId: UNKNOWN, destinationCidrBlock: "0.0.0.0/0", gatewayId: UNKNOWN }, { deps: { routeTableId: [rt], gatewayId: [igw] } });
    }
    fresh(g, "aws:ec2/routeTableAssociation:RouteTableAssociation", "public-1-assoc", { subnetId: UNKNOWN, routeTableId: UNKNOWN }, { deps: { subnetId: [pub], routeTableId: [rt] } });
    return { pub, priv };
}

function albGroup(g: Graph): RecordedResource {
    const sg = fresh(g, "aws:ec2/securityGroup:SecurityGroup", "alb-sg", { vpcId: UNKNOWN });
    fresh(g, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "alb-https", { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }, { deps: { securityGroupId: [sg] } });
    return sg;
}

function alb(g: Graph, name: string, groups: RecordedResource[]): RecordedResource {
    return fresh(g, "aws:lb/loadBalancer:LoadBalancer", name, { loadBalancerType: "application", internal: false, securityGroups: groups.map(() => UNKNOWN) }, { deps: { securityGroups: groups } }, ["dnsName"]);
}

function cluster(g: Graph, name: string): RecordedResource {
    // clusterIdentifier is auto-named (known); the id is not.
    return fresh(
        g,
        "aws:rds/cluster:Cluster",
        name,
        { engine: "aurora-postgresql", storageEncrypted: true, kmsKeyId: CMK, backupRetentionPeriod: 7, deletionProtection: true, skipFinalSnapshot: false, finalSnapshotIdentifier: `${name}-final` },
        { protect: true, state: { clusterIdentifier: `${name}-cluster` } },
    );
}

function instances(g: Graph, c: RecordedResource, n: number): void {
    for (let i = 0; i < n; i++) {
        fresh(g, "aws:rds/clusterInstance:ClusterInstance", `${c.name}-instance-${i}`, { clusterIdentifier: UNKNOWN, instanceClass: "db.serverless", engine: "aurora-postgresql", publiclyAccessible: false }, { deps: { clusterIdentifier: [c] } });
    }
}

const S3_POLICIES = ["s3-bucket-sse-kms", "s3-bucket-tls-only", "s3-block-public-access", "s3-versioning"];

export const firstPreviewCases: PolicyCase[] = [
    // S3 companions: matched to their bucket by the `bucket` property dependency.
    ...S3_POLICIES.flatMap((policy): PolicyCase[] => [
        { policy, title: "first preview: companions refer to the bucket by dependency (id unknown)", violates: false, build: (g) => void s3(g, "a") },
        { policy, title: "first preview: bucket b's companions depend on bucket a", violates: true, reported: ["b"], build: s3Mixup },
    ]),
    {
        policy: "s3-bucket-tls-only",
        title: "first preview: bucket policy built from bucket.arn cannot be read, fails closed",
        violates: true,
        level: "mandatory",
        expectMessage: "IAM checks fail closed",
        reported: ["a"],
        build: (g) => {
            const b = fresh(g, "aws:s3/bucket:Bucket", "a", { bucket: "a-bkt" });
            fresh(g, "aws:s3/bucketPolicy:BucketPolicy", "a-policy", { bucket: UNKNOWN, policy: UNKNOWN }, { deps: { bucket: [b], policy: [b] } });
        },
    },
    // secret-rotation
    {
        policy: "secret-rotation",
        title: "first preview: rotation refers to the secret by dependency",
        violates: false,
        build: (g) => {
            const s = fresh(g, "aws:secretsmanager/secret:Secret", "api-key", { kmsKeyId: UNKNOWN });
            fresh(g, "aws:secretsmanager/secretRotation:SecretRotation", "api-key-rotation", { secretId: UNKNOWN, rotationRules: { automaticallyAfterDays: 30 } }, { deps: { secretId: [s] } });
        },
    },
    {
        policy: "secret-rotation",
        title: "first preview: the only rotation depends on another secret",
        violates: true,
        level: "advisory",
        reported: ["db-password"],
        build: (g) => {
            const s = fresh(g, "aws:secretsmanager/secret:Secret", "api-key", { kmsKeyId: UNKNOWN });
            fresh(g, "aws:secretsmanager/secret:Secret", "db-password", { kmsKeyId: UNKNOWN });
            fresh(g, "aws:secretsmanager/secretRotation:SecretRotation", "api-key-rotation", { secretId: UNKNOWN, rotationRules: { automaticallyAfterDays: 30 } }, { deps: { secretId: [s] } });
        },
    },
    // network-no-public-ingress
    {
        policy: "network-no-public-ingress",
        title: "first preview: 443 from anywhere on a group only a load balancer uses (both by dependency)",
        violates: false,
        build: (g) => void alb(g, "alb", [albGroup(g)]),
    },
    {
        policy: "network-no-public-ingress",
        title: "first preview: 443 from anywhere on a group an ECS service also uses (by dependency)",
        violates: true,
        expectMessage: "aws:ecs/service:Service 'web'",
        reported: ["alb-https"],
        build: (g) => {
            const sg = albGroup(g);
            alb(g, "alb", [sg]);
            fresh(g, "aws:ecs/service:Service", "web", { networkConfiguration: { assignPublicIp: false, subnets: [UNKNOWN], securityGroups: [UNKNOWN] } }, { deps: { networkConfiguration: [sg] } });
        },
    },
    {
        policy: "network-no-public-ingress",
        title: "first preview: unknown securityGroupId with no dependency in this stack",
        violates: true,
        expectMessage: "not in this stack",
        build: (g) => {
            fresh(g, "aws:ec2/securityGroup:SecurityGroup", "alb-sg", { vpcId: UNKNOWN });
            fresh(g, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "ext", { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" });
        },
    },
    // data-in-private-subnets
    {
        policy: "data-in-private-subnets",
        title: "first preview: subnet group depends on the private subnet only",
        violates: false,
        build: (g) => {
            const { priv } = network(g);
            fresh(g, "aws:rds/subnetGroup:SubnetGroup", "db-subnets", { subnetIds: [UNKNOWN] }, { deps: { subnetIds: [priv] } });
        },
    },
    {
        policy: "data-in-private-subnets",
        title: "first preview: subnet group depends on a subnet routed (Route resource) to the internet gateway",
        violates: true,
        expectMessage: "public-1",
        reported: ["db-subnets"],
        build: (g) => {
            const { pub, priv } = network(g);
            fresh(g, "aws:rds/subnetGroup:SubnetGroup", "db-subnets", { subnetIds: [UNKNOWN, UNKNOWN] }, { deps: { subnetIds: [priv, pub] } });
        },
    },
    {
        policy: "data-in-private-subnets",
        title: "first preview: cache subnet group in a subnet whose table has an inline route to the internet gateway",
        violates: true,
        expectMessage: "public-1",
        build: (g) => {
            const { pub } = network(g, true);
            fresh(g, "aws:elasticache/subnetGroup:SubnetGroup", "cache-subnets", { subnetIds: [UNKNOWN] }, { deps: { subnetIds: [pub] } });
        },
    },
    {
        policy: "data-in-private-subnets",
        title: "first preview: inline-route table, subnet group in the private subnet",
        violates: false,
        build: (g) => {
            const { priv } = network(g, true);
            fresh(g, "aws:elasticache/subnetGroup:SubnetGroup", "cache-subnets", { subnetIds: [UNKNOWN] }, { deps: { subnetIds: [priv] } });
        },
    },
    // vpc-flow-logs, default-sg-closed
    ...["vpc-flow-logs", "default-sg-closed"].flatMap((policy): PolicyCase[] => [
        { policy, title: "first preview: each VPC's flow log and default group refer to it by dependency", violates: false, build: (g) => vpcs(g, false) },
        { policy, title: "first preview: vpc-b's flow log and default group depend on vpc-a", violates: true, reported: ["vpc-b"], build: (g) => vpcs(g, true) },
    ]),
    // aurora-multi-az
    {
        policy: "aurora-multi-az",
        title: "first preview: two instances depend on the cluster (cluster id unknown)",
        violates: false,
        defaultTags: PROD_TAGS,
        build: (g) => instances(g, cluster(g, "db"), 2),
    },
    {
        policy: "aurora-multi-az",
        title: "first preview: the second cluster has one instance by dependency",
        violates: true,
        defaultTags: PROD_TAGS,
        expectMessage: "1 instance",
        reported: ["reports"],
        build: (g) => {
            instances(g, cluster(g, "db"), 2);
            instances(g, cluster(g, "reports"), 1);
        },
    },
    // waf-public-entry-points
    {
        policy: "waf-public-entry-points",
        title: "first preview: web ACL association depends on the ALB (ARN unknown)",
        violates: false,
        build: (g) => {
            const lb = alb(g, "alb", [albGroup(g)]);
            fresh(g, "aws:wafv2/webAclAssociation:WebAclAssociation", "alb-waf", { resourceArn: UNKNOWN, webAclArn: UNKNOWN }, { deps: { resourceArn: [lb] } });
        },
    },
    {
        policy: "waf-public-entry-points",
        title: "first preview: the association depends on another ALB",
        violates: true,
        reported: ["alb-2"],
        build: (g) => {
            const sg = albGroup(g);
            const one = alb(g, "alb", [sg]);
            alb(g, "alb-2", [sg]);
            fresh(g, "aws:wafv2/webAclAssociation:WebAclAssociation", "alb-waf", { resourceArn: UNKNOWN, webAclArn: UNKNOWN }, { deps: { resourceArn: [one] } });
        },
    },
    {
        policy: "waf-public-entry-points",
        title: "first preview: ALB only reachable through CloudFront (origin and groups by dependency, dnsName unknown)",
        violates: false,
        build: (g) => {
            const sg = fresh(g, "aws:ec2/securityGroup:SecurityGroup", "alb-sg", { vpcId: UNKNOWN });
            fresh(g, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "alb-from-cloudfront", { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: "pl-58a04531" }, { deps: { securityGroupId: [sg] } });
            const lb = alb(g, "alb", [sg]);
            const origin = { originId: "alb", domainName: UNKNOWN, customOriginConfig: { originProtocolPolicy: "https-only", httpPort: 80, httpsPort: 443, originSslProtocols: ["TLSv1.2"] } };
            fresh(g, "aws:cloudfront/distribution:Distribution", "cdn", distribution({ webAclId: UNKNOWN, origins: [origin] }), { deps: { origins: [lb], webAclId: ["urn:pulumi:test::aws-platform::aws:wafv2/webAcl:WebAcl::edge"] } });
        },
    },
    {
        policy: "waf-public-entry-points",
        title: "first preview: the distribution's origin is another ALB, this one is open to the world",
        violates: true,
        reported: ["alb-2"],
        build: (g) => {
            const closed = fresh(g, "aws:ec2/securityGroup:SecurityGroup", "closed-sg", { vpcId: UNKNOWN });
            const lb = alb(g, "alb", [closed]);
            alb(g, "alb-2", [albGroup(g)]);
            const origin = { originId: "alb", domainName: UNKNOWN, customOriginConfig: { originProtocolPolicy: "https-only", httpPort: 80, httpsPort: 443, originSslProtocols: ["TLSv1.2"] } };
            fresh(g, "aws:cloudfront/distribution:Distribution", "cdn", distribution({ webAclId: UNKNOWN, origins: [origin] }), { deps: { origins: [lb] } });
        },
    },
    {
        policy: "waf-public-entry-points",
        title: "first preview: REST API stage with an association by dependency",
        violates: false,
        build: (g) => {
            const api = fresh(g, "aws:apigateway/restApi:RestApi", "api", { endpointConfiguration: { types: "REGIONAL" } });
            const stage = fresh(g, "aws:apigateway/stage:Stage", "v1", { restApi: UNKNOWN, stageName: "v1", deployment: UNKNOWN }, { deps: { restApi: [api] } });
            fresh(g, "aws:wafv2/webAclAssociation:WebAclAssociation", "api-waf", { resourceArn: UNKNOWN, webAclArn: UNKNOWN }, { deps: { resourceArn: [stage] } });
        },
    },
    {
        policy: "waf-public-entry-points",
        title: "first preview: REST API stage of a regional API, no association",
        violates: true,
        reported: ["v1"],
        build: (g) => {
            const api = fresh(g, "aws:apigateway/restApi:RestApi", "api", { endpointConfiguration: { types: "REGIONAL" } });
            fresh(g, "aws:apigateway/stage:Stage", "v1", { restApi: UNKNOWN, stageName: "v1", deployment: UNKNOWN }, { deps: { restApi: [api] } });
        },
    },
    {
        policy: "waf-public-entry-points",
        title: "first preview: stage of a PRIVATE API (matched by dependency) needs no association",
        violates: false,
        build: (g) => {
            const api = fresh(g, "aws:apigateway/restApi:RestApi", "api", { endpointConfiguration: { types: "PRIVATE" } });
            fresh(g, "aws:apigateway/stage:Stage", "v1", { restApi: UNKNOWN, stageName: "v1", deployment: UNKNOWN }, { deps: { restApi: [api] } });
        },
    },
];
