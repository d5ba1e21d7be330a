import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { StackConfig } from "../config";
import { subnetPlan } from "./schema";
import { SubnetTier, SUBNET_TIERS } from "./cidr";
import type { NetworkOutputs } from "../contracts";
import { SECURITY_GROUP_DESCRIPTIONS, SECURITY_GROUP_ROLES, SecurityGroupRole, securityGroupRules, ruleName } from "./security-groups";

export interface NetworkArgs {
    /** The validated `network` section of the stack configuration. */
    config: StackConfig["network"];
    /** The stack's region (for endpoint service names and AZ suffixes). */
    region: string;
    /** Prefix of `Name` tags, e.g. `shop-prod`. */
    namePrefix: string;
    /** KMS key ARN that encrypts the flow-log group (its policy must allow CloudWatch Logs). */
    logsKeyArn: pulumi.Input<string>;
    /** Account id and partition, for the flow-log role's trust condition. */
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
}

/**
 * The VPC of seed 001: public / private / data subnets per AZ, an internet gateway, NAT gateways
 * (`single` or `onePerAz`), route tables (data subnets have no internet route), S3 and DynamoDB
 * gateway endpoints, optional interface endpoints, VPC flow logs to a KMS-encrypted log group,
 * the default security group emptied, and the seed's security-group matrix.
 *
 * Costs (ap-northeast-1): NAT gateway $0.062/h each (~$45/month) + $0.062/GB; interface endpoints
 * $0.014/h per AZ each (~$10/month per AZ) + $0.01/GB; flow-log ingestion $0.76/GB. The rest is free.
 */
export class Network extends pulumi.ComponentResource implements NetworkOutputs {
    public readonly vpcId: pulumi.Output<string>;
    public readonly vpcCidr: string;
    public readonly azs: readonly string[];
    public readonly publicSubnetIds: pulumi.Output<string>[];
    public readonly privateSubnetIds: pulumi.Output<string>[];
    public readonly dataSubnetIds: pulumi.Output<string>[];
    public readonly natGatewayIds: pulumi.Output<string>[];
    public readonly privateRouteTableIds: pulumi.Output<string>[];
    public readonly dataRouteTableId: pulumi.Output<string>;
    /** Security group ids by role of the seed 001 matrix. */
    public readonly securityGroupIds: Readonly<Record<SecurityGroupRole, pulumi.Output<string>>>;
    public readonly flowLogGroupName?: pulumi.Output<string>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:network:Network", name, {}, opts);
        const cfg = args.config;
        const plan = subnetPlan(cfg);
        const child = { parent: this };
        const tag = (role: string) => ({ Name: `${args.namePrefix}-${role}` });
        const azSuffix = (az: string) => az.slice(args.region.length);

        const vpc = new aws.ec2.Vpc(
            `${name}-vpc`,
            { cidrBlock: cfg.cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: tag("vpc") },
            child,
        );
        this.vpcId = vpc.id;
        this.vpcCidr = cfg.cidr;
        this.azs = cfg.azs;

        // Remove every rule from the default security group: nothing may use it (CIS 5.4).
        new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, ingress: [], egress: [], tags: tag("default-sg-unused") }, child);

        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tag("igw") }, child);

        const subnets = {} as Record<SubnetTier, aws.ec2.Subnet[]>;
        for (const tier of SUBNET_TIERS) {
            subnets[tier] = cfg.azs.map(
                (az, i) =>
                    new aws.ec2.Subnet(
                        `${name}-${tier}-${azSuffix(az)}`,
                        {
                            vpcId: vpc.id,
                            availabilityZone: az,
                            cidrBlock: plan[tier][i],
                            mapPublicIpOnLaunch: false,
                            tags: { ...tag(`${tier}-${azSuffix(az)}`), Tier: tier },
                        },
                        child,
                    ),
            );
        }
        this.publicSubnetIds = subnets.public.map((s) => s.id);
        this.privateSubnetIds = subnets.private.map((s) => s.id);
        this.dataSubnetIds = subnets.data.map((s) => s.id);

        // Public route table: default route to the internet gateway.
        const publicRt = new aws.ec2.RouteTable(`${name}-public-rt`, { vpcId: vpc.id, tags: tag("public-rt") }, child);
        new aws.ec2.Route(`${name}-public-default`, { routeTableId: publicRt.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id }, child);
        subnets.public.forEach((s, i) => new aws.ec2.RouteTableAssociation(`${name}-public-rta-${azSuffix(cfg.azs[i])}`, { subnetId: s.id, routeTableId: publicRt.id }, child));

        // NAT gateways: one in the first AZ (`single`) or one per AZ (`onePerAz`).
        const natAzs = cfg.natStrategy === "single" ? [cfg.azs[0]] : [...cfg.azs];
        const nats = natAzs.map((az) => {
            const i = cfg.azs.indexOf(az);
            const eip = new aws.ec2.Eip(`${name}-nat-eip-${azSuffix(az)}`, { domain: "vpc", tags: tag(`nat-eip-${azSuffix(az)}`) }, child);
            return new aws.ec2.NatGateway(
                `${name}-nat-${azSuffix(az)}`,
                { allocationId: eip.id, subnetId: subnets.public[i].id, connectivityType: "public", tags: tag(`nat-${azSuffix(az)}`) },
                { parent: this, dependsOn: [igw] },
            );
        });
        this.natGatewayIds = nats.map((n) => n.id);

        // Private route tables, one per AZ, default route through that AZ's NAT (or the single one).
        const privateRts = cfg.azs.map((az, i) => {
            const rt = new aws.ec2.RouteTable(`${name}-private-rt-${azSuffix(az)}`, { vpcId: vpc.id, tags: tag(`private-rt-${azSuffix(az)}`) }, child);
            const nat = nats[cfg.natStrategy === "single" ? 0 : i];
            new aws.ec2.Route(`${name}-private-default-${azSuffix(az)}`, { routeTableId: rt.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id }, child);
            new aws.ec2.RouteTableAssociation(`${name}-private-rta-${azSuffix(az)}`, { subnetId: subnets.private[i].id, routeTableId: rt.id }, child);
            return rt;
        });
        this.privateRouteTableIds = privateRts.map((rt) => rt.id);

        // Data route table: local traffic and gateway endpoints only, no route to the internet.
        const dataRt = new aws.ec2.RouteTable(`${name}-data-rt`, { vpcId: vpc.id, tags: tag("data-rt") }, child);
        subnets.data.forEach((s, i) => new aws.ec2.RouteTableAssociation(`${name}-data-rta-${azSuffix(cfg.azs[i])}`, { subnetId: s.id, routeTableId: dataRt.id }, child));
        this.dataRouteTableId = dataRt.id;

        // Gateway endpoints (free): S3 and DynamoDB traffic stays off the NAT (seed 001 AC-COST-5).
        const gatewayRouteTables = [...privateRts.map((rt) => rt.id), dataRt.id];
        for (const service of ["s3", "dynamodb"]) {
            new aws.ec2.VpcEndpoint(
                `${name}-${service}-endpoint`,
                { vpcId: vpc.id, serviceName: `com.amazonaws.${args.region}.${service}`, vpcEndpointType: "Gateway", routeTableIds: gatewayRouteTables, tags: tag(`${service}-endpoint`) },
                child,
            );
        }

        // Security groups of the seed 001 matrix, rules as separate resources.
        const groups = {} as Record<SecurityGroupRole, aws.ec2.SecurityGroup>;
        for (const role of SECURITY_GROUP_ROLES) {
            groups[role] = new aws.ec2.SecurityGroup(
                `${name}-sg-${role}`,
                { vpcId: vpc.id, description: SECURITY_GROUP_DESCRIPTIONS[role], tags: tag(`sg-${role}`) },
                child,
            );
        }
        const prefixLists = new Map<string, pulumi.Output<string>>();
        const prefixListId = (listName: string) => {
            if (!prefixLists.has(listName)) {
                prefixLists.set(listName, aws.ec2.getManagedPrefixListOutput({ name: listName }, { parent: this }).id);
            }
            return prefixLists.get(listName)!;
        };
        for (const rule of securityGroupRules(cfg.appPort, cfg.albIngress)) {
            const peer = rule.peer;
            const ruleArgs = {
                securityGroupId: groups[rule.group].id,
                ipProtocol: "tcp",
                fromPort: rule.port,
                toPort: rule.port,
                description: rule.description,
                ...("group" in peer
                    ? { referencedSecurityGroupId: groups[peer.group].id }
                    : "prefixList" in peer
                      ? { prefixListId: prefixListId(peer.prefixList) }
                      : { cidrIpv4: peer.cidr }),
            };
            if (rule.direction === "ingress") {
                new aws.vpc.SecurityGroupIngressRule(`${name}-${ruleName(rule)}`, ruleArgs, child);
            } else {
                new aws.vpc.SecurityGroupEgressRule(`${name}-${ruleName(rule)}`, ruleArgs, child);
            }
        }
        this.securityGroupIds = Object.fromEntries(SECURITY_GROUP_ROLES.map((r) => [r, groups[r].id])) as Record<SecurityGroupRole, pulumi.Output<string>>;

        // Interface endpoints (optional): private DNS so SDKs use them without configuration.
        if (cfg.interfaceEndpoints.enabled) {
            for (const service of cfg.interfaceEndpoints.services) {
                new aws.ec2.VpcEndpoint(
                    `${name}-${service.replace(/\./g, "-")}-endpoint`,
                    {
                        vpcId: vpc.id,
                        serviceName: `com.amazonaws.${args.region}.${service}`,
                        vpcEndpointType: "Interface",
                        privateDnsEnabled: true,
                        subnetIds: this.privateSubnetIds,
                        securityGroupIds: [groups.endpoints.id],
                        tags: tag(`${service.replace(/\./g, "-")}-endpoint`),
                    },
                    child,
                );
            }
        }

        // VPC flow logs to an encrypted log group (seed 001 retention per environment).
        if (cfg.flowLogs.enabled) {
            const logGroupName = `/platform/${args.namePrefix}/vpc-flow-logs`;
            const logGroup = new aws.cloudwatch.LogGroup(
                `${name}-flow-logs`,
                { name: logGroupName, retentionInDays: cfg.flowLogs.retentionDays, kmsKeyId: args.logsKeyArn },
                child,
            );
            // Built from known values so the policy is known at the first preview (policies fail closed on unknowns).
            const logGroupArn = pulumi.interpolate`arn:${args.partition}:logs:${args.region}:${args.accountId}:log-group:${logGroupName}`;
            const role = new aws.iam.Role(
                `${name}-flow-logs-role`,
                {
                    description: "Lets VPC Flow Logs deliver to the flow-log group of this VPC",
                    assumeRolePolicy: pulumi.jsonStringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                                Action: "sts:AssumeRole",
                                Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
                            },
                        ],
                    }),
                },
                child,
            );
            new aws.iam.RolePolicy(
                `${name}-flow-logs-policy`,
                {
                    role: role.id,
                    policy: pulumi.jsonStringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "WriteFlowLogs",
                                Effect: "Allow",
                                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                                Resource: [logGroupArn, pulumi.interpolate`${logGroupArn}:log-stream:*`],
                            },
                        ],
                    }),
                },
                child,
            );
            new aws.ec2.FlowLog(
                `${name}-flow-log`,
                {
                    vpcId: vpc.id,
                    trafficType: cfg.flowLogs.trafficType,
                    logDestinationType: "cloud-watch-logs",
                    logDestination: logGroup.arn,
                    iamRoleArn: role.arn,
                    maxAggregationInterval: 60,
                    tags: tag("flow-log"),
                },
                child,
            );
            this.flowLogGroupName = logGroup.name;
        }

        this.registerOutputs({
            vpcId: this.vpcId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            dataSubnetIds: this.dataSubnetIds,
            securityGroupIds: this.securityGroupIds,
        });
    }
}
