import { strict as assert } from "assert";
import { awsResources, descendantsOf, one, ofType, policyDoc, runStack, stackRun, STACKS, StackRun } from "./harness";
import { securityGroupRules } from "../components/network/security-groups";

const NAT = "aws:ec2/natGateway:NatGateway";
const SUBNET = "aws:ec2/subnet:Subnet";
const ROUTE = "aws:ec2/route:Route";
const RT = "aws:ec2/routeTable:RouteTable";
const RTA = "aws:ec2/routeTableAssociation:RouteTableAssociation";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const SG = "aws:ec2/securityGroup:SecurityGroup";

/** What each stack file must produce (seed 001 subnet plan, seed 001/002 NAT and flow-log rules). */
const EXPECTED: Record<string, { nats: number; azs: string[]; cidrs: Record<string, string[]>; flowLogDays?: number; interfaceEndpoints: number }> = {
    dev: {
        nats: 1,
        azs: ["ap-northeast-1a", "ap-northeast-1c"],
        cidrs: { public: ["10.0.0.0/24", "10.0.1.0/24"], private: ["10.0.10.0/24", "10.0.11.0/24"], data: ["10.0.20.0/24", "10.0.21.0/24"] },
        flowLogDays: undefined,
        interfaceEndpoints: 0,
    },
    staging: {
        nats: 1,
        azs: ["ap-northeast-1a", "ap-northeast-1c"],
        cidrs: { public: ["10.1.0.0/24", "10.1.1.0/24"], private: ["10.1.10.0/24", "10.1.11.0/24"], data: ["10.1.20.0/24", "10.1.21.0/24"] },
        flowLogDays: 7,
        interfaceEndpoints: 0,
    },
    prod: {
        nats: 3,
        azs: ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"],
        cidrs: {
            public: ["10.2.0.0/24", "10.2.1.0/24", "10.2.2.0/24"],
            private: ["10.2.10.0/24", "10.2.11.0/24", "10.2.12.0/24"],
            data: ["10.2.20.0/24", "10.2.21.0/24", "10.2.22.0/24"],
        },
        flowLogDays: 30,
        interfaceEndpoints: 4,
    },
};

function subnetsOf(run: StackRun, tier: string) {
    return ofType(run, SUBNET).filter((s) => s.inputs.tags?.Tier === tier);
}

/** Route tables associated with the given subnets. */
function routeTablesFor(run: StackRun, subnetIds: string[]): string[] {
    return ofType(run, RTA)
        .filter((a) => subnetIds.includes(a.inputs.subnetId))
        .map((a) => a.inputs.routeTableId);
}

for (const stack of STACKS) {
    describe(`network tier end to end: ${stack}`, () => {
        let run: StackRun;
        before(async () => {
            run = await stackRun(stack);
        });
        const want = EXPECTED[stack];

        it("carves the seed 001 subnet plan over the configured zones", () => {
            for (const tier of ["public", "private", "data"]) {
                const subnets = subnetsOf(run, tier);
                assert.deepEqual(subnets.map((s) => s.inputs.cidrBlock), want.cidrs[tier], `${tier} CIDRs`);
                assert.deepEqual(subnets.map((s) => s.inputs.availabilityZone), want.azs, `${tier} zones`);
                assert.ok(subnets.every((s) => s.inputs.mapPublicIpOnLaunch === false), `${tier}: no public IPs on launch`);
            }
        });

        it(`has ${want.nats} NAT gateway(s) in public subnets`, () => {
            const nats = ofType(run, NAT);
            assert.equal(nats.length, want.nats);
            const publicIds = subnetsOf(run, "public").map((s) => s.state.id);
            assert.ok(nats.every((n) => publicIds.includes(n.inputs.subnetId)));
        });

        it("gives each private subnet a default route through a NAT and data subnets no internet route", () => {
            const natIds = ofType(run, NAT).map((n) => n.state.id);
            const routes = ofType(run, ROUTE);
            const privateRts = routeTablesFor(run, subnetsOf(run, "private").map((s) => s.state.id));
            assert.equal(privateRts.length, want.azs.length);
            for (const rt of privateRts) {
                const defaults = routes.filter((r) => r.inputs.routeTableId === rt && r.inputs.destinationCidrBlock === "0.0.0.0/0");
                assert.equal(defaults.length, 1);
                assert.ok(natIds.includes(defaults[0].inputs.natGatewayId), "private default route goes through a NAT");
            }
            const dataRts = new Set(routeTablesFor(run, subnetsOf(run, "data").map((s) => s.state.id)));
            assert.equal(dataRts.size, 1, "one shared data route table");
            for (const rt of dataRts) {
                assert.deepEqual(routes.filter((r) => r.inputs.routeTableId === rt), [], "data route table has no route besides local and endpoints");
                assert.equal(one(run, RT, "network-data-rt").state.id, rt);
                assert.equal(one(run, RT, "network-data-rt").inputs.routes, undefined, "no inline routes either");
            }
        });

        it("routes S3 and DynamoDB through gateway endpoints on the private and data route tables", () => {
            const privateRts = routeTablesFor(run, subnetsOf(run, "private").map((s) => s.state.id));
            for (const service of ["s3", "dynamodb"]) {
                const ep = one(run, "aws:ec2/vpcEndpoint:VpcEndpoint", `network-${service}-endpoint`);
                assert.equal(ep.inputs.vpcEndpointType, "Gateway");
                assert.equal(ep.inputs.serviceName, `com.amazonaws.ap-northeast-1.${service}`);
                assert.deepEqual([...ep.inputs.routeTableIds].sort(), [...privateRts, one(run, RT, "network-data-rt").state.id].sort());
            }
        });

        it(`has ${want.interfaceEndpoints} interface endpoints`, () => {
            const eps = ofType(run, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.vpcEndpointType === "Interface");
            assert.equal(eps.length, want.interfaceEndpoints);
            const sgEndpoints = one(run, SG, "network-sg-endpoints").state.id;
            for (const ep of eps) {
                assert.equal(ep.inputs.privateDnsEnabled, true);
                assert.deepEqual(ep.inputs.securityGroupIds, [sgEndpoints]);
                assert.equal(ep.inputs.subnetIds.length, want.azs.length);
            }
        });

        it("creates exactly the seed 001 security-group matrix, rule for rule (ALB behind CloudFront)", () => {
            assert.deepEqual(matrixOf(run), expectedMatrix("cloudfront"));
            assert.ok(ofType(run, SG).every((g) => g.inputs.ingress === undefined && g.inputs.egress === undefined), "no inline rules");
        });

        it("admits nothing from 0.0.0.0/0; the ALB only from CloudFront's origin-facing prefix list on 80/443", () => {
            const open = ofType(run, INGRESS).filter((r) => r.inputs.cidrIpv4 === "0.0.0.0/0" || r.inputs.cidrIpv6 === "::/0");
            assert.deepEqual(open.map((r) => r.name), []);
            const albId = one(run, SG, "network-sg-alb").state.id;
            const alb = ofType(run, INGRESS).filter((r) => r.inputs.securityGroupId === albId);
            assert.deepEqual(alb.map((r) => [r.inputs.fromPort, r.inputs.prefixListId]).sort(), [[443, "pl-58a04531"], [80, "pl-58a04531"]]);
        });

        it("empties the default security group", () => {
            const d = one(run, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "network-default-sg");
            assert.deepEqual(d.inputs.ingress, []);
            assert.deepEqual(d.inputs.egress, []);
        });

        it(want.flowLogDays ? `sends flow logs to a KMS-encrypted group kept ${want.flowLogDays} days` : "has no flow logs (seed 001: dev none)", () => {
            const flowLogs = ofType(run, "aws:ec2/flowLog:FlowLog");
            if (!want.flowLogDays) {
                assert.equal(flowLogs.length, 0);
                return;
            }
            assert.equal(flowLogs.length, 1);
            const group = one(run, "aws:cloudwatch/logGroup:LogGroup", "network-flow-logs");
            assert.equal(group.inputs.retentionInDays, want.flowLogDays);
            assert.equal(group.inputs.kmsKeyId, one(run, "aws:kms/key:Key", "logs-key-key").state.arn);
            assert.equal(flowLogs[0].inputs.logDestination, group.state.arn);
            assert.equal(flowLogs[0].inputs.trafficType, "ALL");
            const policy = policyDoc(one(run, "aws:iam/rolePolicy:RolePolicy", "network-flow-logs-policy").inputs.policy);
            assert.deepEqual(policy.Statement[0].Resource, [group.state.arn, `${group.state.arn}:log-stream:*`]);
            const trust = policyDoc(one(run, "aws:iam/role:Role", "network-flow-logs-role").inputs.assumeRolePolicy);
            assert.deepEqual(trust.Statement[0].Principal, { Service: "vpc-flow-logs.amazonaws.com" });
            assert.deepEqual(trust.Statement[0].Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
        });

        it("parents every network child under the Network component", () => {
            const network = one(run, "platform:network:Network", "network");
            const children = descendantsOf(run, network.urn);
            assert.ok(children.length > 20);
            assert.ok(children.every((c) => c.name.startsWith("network-")), "child names are network-<role>");
            assert.ok(ofType(run, SUBNET).every((s) => s.parent === network.urn));
        });
    });
}


/** The security-group rules of a run as comparable rows. */
function matrixOf(run: StackRun): string[] {
    const groupIdToRole = new Map(ofType(run, SG).map((g) => [g.state.id, g.name.replace("network-sg-", "")]));
    return [...ofType(run, INGRESS), ...ofType(run, EGRESS)]
        .map((r) =>
            JSON.stringify({
                group: groupIdToRole.get(r.inputs.securityGroupId),
                direction: r.type === INGRESS ? "ingress" : "egress",
                port: `${r.inputs.fromPort}-${r.inputs.toPort}/${r.inputs.ipProtocol}`,
                peer: r.inputs.cidrIpv4 ?? (r.inputs.prefixListId ? `prefix-list:${r.inputs.prefixListId}` : groupIdToRole.get(r.inputs.referencedSecurityGroupId)),
                description: r.inputs.description,
            }),
        )
        .sort();
}

function expectedMatrix(albIngress: "cloudfront" | "internet"): string[] {
    return securityGroupRules(8080, albIngress)
        .map((r) =>
            JSON.stringify({
                group: r.group,
                direction: r.direction,
                port: `${r.port}-${r.port}/tcp`,
                peer: "cidr" in r.peer ? r.peer.cidr : "prefixList" in r.peer ? "prefix-list:pl-58a04531" : r.peer.group,
                description: r.description,
            }),
        )
        .sort();
}

describe("network: ALB ingress for an ALB served without CloudFront", () => {
    it("albIngress: internet gives seed 001's literal rules: 0.0.0.0/0 on 443 and 80, ALB group only", async () => {
        const run = await runStack("staging", { configOverrides: { "platform:network": { albIngress: "internet" } } });
        assert.deepEqual(matrixOf(run), expectedMatrix("internet"));
        const albId = one(run, SG, "network-sg-alb").state.id;
        const open = ofType(run, INGRESS).filter((r) => r.inputs.cidrIpv4 === "0.0.0.0/0");
        assert.deepEqual(open.map((r) => [r.inputs.securityGroupId === albId, r.inputs.fromPort, r.inputs.description]).sort(), [
            [true, 443, "HTTPS from Internet"],
            [true, 80, "HTTP redirect to HTTPS"],
        ]);
    });
});

describe("providers and tags on every stack", () => {
    for (const stack of STACKS) {
        it(`${stack}: every AWS resource uses an explicit provider with the default tags`, async () => {
            const run = await stackRun(stack);
            const providers = new Map(run.resources.filter((r) => r.type === "pulumi:providers:aws").map((p) => [p.urn, p]));
            assert.deepEqual([...providers.values()].map((p) => p.name).sort(), ["aws-dr", "aws-main", "aws-us-east-1"]);
            for (const p of providers.values()) {
                const tags = JSON.parse(p.inputs.defaultTags).tags;
                for (const key of ["Environment", "Project", "Owner", "ManagedBy"]) {
                    assert.ok(tags[key], `${p.name} default tag ${key}`);
                }
                assert.equal(tags.Environment, stack);
            }
            for (const r of awsResources(run)) {
                assert.ok(r.provider && providers.has(r.provider), `${r.urn} uses the default provider`);
            }
            assert.equal(providers.get(run.resources.find((r) => r.name === "aws-main")!.urn)!.inputs.region, "ap-northeast-1");
            assert.equal(run.resources.find((r) => r.name === "aws-us-east-1")!.inputs.region, "us-east-1");
            assert.equal(run.resources.find((r) => r.name === "aws-dr")!.inputs.region, "us-west-2");
        });
    }
});

describe("logs key", () => {
    it("rotates, is protected in prod only, and lets CloudWatch Logs use it for this account's groups", async () => {
        for (const stack of STACKS) {
            const run = await stackRun(stack);
            const key = one(run, "aws:kms/key:Key", "logs-key-key");
            assert.equal(key.inputs.enableKeyRotation, true);
            assert.equal(key.options.protect, stack !== "dev", `${stack} protect`);
            const logs = policyDoc(key.inputs.policy).Statement.find((s: any) => s.Sid === "CloudWatchLogsUseKey");
            assert.deepEqual(logs.Principal, { Service: "logs.ap-northeast-1.amazonaws.com" });
            assert.equal(logs.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"], "arn:aws:logs:ap-northeast-1:123456789012:log-group:*");
        }
    });
});
