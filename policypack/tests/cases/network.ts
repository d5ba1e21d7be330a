import { Graph, PolicyCase } from "../harness";
import { vpc } from "./common";

function albWithGroup(g: Graph, ingress: Record<string, any>[]) {
    const sg = g.add("aws:ec2/securityGroup:SecurityGroup", "alb-sg", { vpcId: "vpc-id", ingress });
    g.add("aws:lb/loadBalancer:LoadBalancer", "alb", { loadBalancerType: "application", securityGroups: [sg.state.id], subnets: ["s1", "s2"] });
    return sg;
}

const https = { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] };

/** A network: public subnet (IGW route), private subnet, association. */
function subnets(g: Graph) {
    const v = g.add("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" });
    const igw = g.add("aws:ec2/internetGateway:InternetGateway", "igw", { vpcId: v.state.id });
    const pub = g.add("aws:ec2/subnet:Subnet", "public-1", { vpcId: v.state.id, cidrBlock: "10.0.0.0/24" });
    const priv = g.add("aws:ec2/subnet:Subnet", "private-1", { vpcId: v.state.id, cidrBlock: "10.0.1.0/24" });
    const rt = g.add("aws:ec2/routeTable:RouteTable", "public-rt", { vpcId: v.state.id });
    g.add("aws:ec2/route:Route", "public-default", { routeTableId: rt.state.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.state.id });
    g.add("aws:ec2/routeTableAssociation:RouteTableAssociation", "public-1-assoc", { subnetId: pub.state.id, routeTableId: rt.state.id });
    return { pub, priv };
}

export const networkCases: PolicyCase[] = [
    // network-no-public-ingress
    { policy: "network-no-public-ingress", title: "443 from the internet on the ALB group", violates: false, build: (g) => void albWithGroup(g, [https]) },
    {
        policy: "network-no-public-ingress",
        title: "SSH open to the world",
        violates: true,
        expectMessage: "tcp/22-22",
        build: (g) => void albWithGroup(g, [https, { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }]),
    },
    {
        policy: "network-no-public-ingress",
        title: "443 open (vpc.SecurityGroupIngressRule) on a group an ECS service uses",
        violates: true,
        expectMessage: "aws:ecs/service:Service 'web'",
        build: (g) => {
            const sg = g.add("aws:ec2/securityGroup:SecurityGroup", "task-sg", { vpcId: "vpc-id" });
            g.add("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "task-https", { securityGroupId: sg.state.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" });
            g.add("aws:ecs/service:Service", "web", { networkConfiguration: { assignPublicIp: false, subnets: ["s"], securityGroups: [sg.state.id] } });
        },
    },
    {
        policy: "network-no-public-ingress",
        title: "443 open on a group that nothing uses yet (the ALB comes later)",
        violates: false,
        build: (g) => {
            const sg = g.add("aws:ec2/securityGroup:SecurityGroup", "alb-sg", { vpcId: "vpc-id" });
            g.add("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "alb-https", { securityGroupId: sg.state.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" });
        },
    },
    {
        policy: "network-no-public-ingress",
        title: "443 open on a group of another stack (cannot check attachment)",
        violates: true,
        build: (g) => void g.add("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "ext", { securityGroupId: "sg-0123", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }),
    },
    {
        policy: "network-no-public-ingress",
        title: "all traffic from ::/0 via ec2.SecurityGroupRule",
        violates: true,
        build: (g) => {
            const sg = albWithGroup(g, []);
            g.add("aws:ec2/securityGroupRule:SecurityGroupRule", "all", { type: "ingress", securityGroupId: sg.state.id, protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] });
        },
    },
    {
        policy: "network-no-public-ingress",
        title: "config allowedPorts adds 8443",
        violates: false,
        config: { "network-no-public-ingress": { allowedPorts: [443, 8443] } },
        build: (g) => void albWithGroup(g, [https, { protocol: "tcp", fromPort: 8443, toPort: 8443, cidrBlocks: ["0.0.0.0/0"] }]),
    },
    {
        policy: "network-no-public-ingress",
        title: "task group reachable from the ALB group only",
        violates: false,
        build: (g) => {
            const alb = albWithGroup(g, [https]);
            const sg = g.add("aws:ec2/securityGroup:SecurityGroup", "task-sg", { vpcId: "vpc-id" });
            g.add("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "from-alb", { securityGroupId: sg.state.id, ipProtocol: "tcp", fromPort: 8080, toPort: 8080, referencedSecurityGroupId: alb.state.id });
        },
    },
    // rds-not-public
    { policy: "rds-not-public", title: "private cluster instance", violates: false, build: (g) => void g.add("aws:rds/clusterInstance:ClusterInstance", "i", { clusterIdentifier: "c", instanceClass: "db.serverless", publiclyAccessible: false }) },
    { policy: "rds-not-public", title: "public instance", violates: true, build: (g) => void g.add("aws:rds/instance:Instance", "i", { publiclyAccessible: true, storageEncrypted: true }) },
    // data-in-private-subnets
    {
        policy: "data-in-private-subnets",
        title: "cache subnet group in private subnets",
        violates: false,
        build: (g) => {
            const { priv } = subnets(g);
            g.add("aws:elasticache/subnetGroup:SubnetGroup", "cache-subnets", { subnetIds: [priv.state.id] });
        },
    },
    {
        policy: "data-in-private-subnets",
        title: "DB subnet group includes a subnet routed to the internet gateway",
        violates: true,
        expectMessage: "public-1",
        build: (g) => {
            const { pub, priv } = subnets(g);
            g.add("aws:rds/subnetGroup:SubnetGroup", "db-subnets", { subnetIds: [priv.state.id, pub.state.id] });
        },
    },
    {
        policy: "data-in-private-subnets",
        title: "subnet mapping public IPs on launch",
        violates: true,
        build: (g) => {
            const s = g.add("aws:ec2/subnet:Subnet", "s", { vpcId: "v", cidrBlock: "10.0.2.0/24", mapPublicIpOnLaunch: true });
            g.add("aws:elasticache/subnetGroup:SubnetGroup", "cache-subnets", { subnetIds: [s.state.id] });
        },
    },
    // ecs-no-public-ip
    { policy: "ecs-no-public-ip", title: "private tasks", violates: false, build: (g) => void g.add("aws:ecs/service:Service", "web", { networkConfiguration: { assignPublicIp: false, subnets: ["s"] } }) },
    { policy: "ecs-no-public-ip", title: "public IP on tasks", violates: true, build: (g) => void g.add("aws:ecs/service:Service", "web", { networkConfiguration: { assignPublicIp: true, subnets: ["s"] } }) },
    // vpc-flow-logs
    { policy: "vpc-flow-logs", title: "VPC with flow log", violates: false, build: (g) => void vpc(g) },
    { policy: "vpc-flow-logs", title: "VPC without flow log", violates: true, build: (g) => void vpc(g, "vpc", { flowLog: false }) },
    // default-sg-closed
    { policy: "default-sg-closed", title: "default SG adopted and empty", violates: false, build: (g) => void vpc(g) },
    { policy: "default-sg-closed", title: "default SG not adopted", violates: true, expectMessage: "does not adopt", build: (g) => void vpc(g, "vpc", { defaultSg: false }) },
    {
        policy: "default-sg-closed",
        title: "default SG with an ingress rule",
        violates: true,
        build: (g) => void vpc(g, "vpc", { defaultSg: { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }] } }),
    },
];
