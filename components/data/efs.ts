import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { StackConfig } from "../config";

export interface FileSystemArgs {
    /** The validated `data.efs` section. */
    config: StackConfig["data"]["efs"];
    namePrefix: string;
    vpcId: pulumi.Input<string>;
    /** Private (workload) subnets: one mount target each. */
    subnetIds: pulumi.Input<string>[];
    /** Security groups allowed to mount (NFS 2049): ECS tasks and Lambda functions. */
    clientSecurityGroupIds: pulumi.Input<string>[];
    /** Data-domain CMK. */
    kmsKeyArn: pulumi.Input<string>;
    protect: boolean;
}

/**
 * EFS (seed 003 Q), behind `data.efs.enabled`: an encrypted file system (data key, elastic
 * throughput, 30-day IA tiering), AWS Backup policy on, a file-system policy that denies non-TLS
 * mounts, one mount target per private subnet behind its own security group (NFS from the
 * workload groups only) and the configured access points.
 *
 * Costs (ap-northeast-1): Standard $0.36/GB-month, IA $0.0272/GB-month, elastic throughput
 * $0.04/GB read, $0.07/GB written.
 */
export class FileSystem extends pulumi.ComponentResource {
    public readonly fileSystemId: pulumi.Output<string>;
    public readonly arn: pulumi.Output<string>;
    public readonly accessPointArns: Readonly<Record<string, pulumi.Output<string>>>;
    public readonly securityGroupId: pulumi.Output<string>;

    constructor(name: string, args: FileSystemArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:FileSystem", name, {}, opts);
        const child = { parent: this };
        const keep: pulumi.CustomResourceOptions = args.protect ? { parent: this, protect: true, retainOnDelete: true } : child;
        const fs = new aws.efs.FileSystem(
            `${name}-fs`,
            {
                encrypted: true,
                kmsKeyId: args.kmsKeyArn,
                performanceMode: "generalPurpose",
                throughputMode: "elastic",
                lifecyclePolicies: [{ transitionToIa: "AFTER_30_DAYS" }, { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" }],
                tags: { Name: `${args.namePrefix}-efs` },
            },
            keep,
        );
        new aws.efs.BackupPolicy(`${name}-backup-policy`, { fileSystemId: fs.id, backupPolicy: { status: "ENABLED" } }, child);
        new aws.efs.FileSystemPolicy(
            `${name}-policy`,
            {
                fileSystemId: fs.id,
                policy: fs.arn.apply((arn) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "DenyInsecureTransport",
                                Effect: "Deny",
                                Principal: { AWS: "*" },
                                Action: "*",
                                Resource: arn,
                                Condition: { Bool: { "aws:SecureTransport": "false" } },
                            },
                        ],
                    }),
                ),
            },
            child,
        );
        const sg = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            { vpcId: args.vpcId, description: "EFS mount targets: NFS from workloads", tags: { Name: `${args.namePrefix}-efs` } },
            child,
        );
        args.clientSecurityGroupIds.forEach((peer, i) => {
            new aws.vpc.SecurityGroupIngressRule(
                `${name}-sg-nfs-${i + 1}`,
                { securityGroupId: sg.id, referencedSecurityGroupId: peer, ipProtocol: "tcp", fromPort: 2049, toPort: 2049, description: "NFS from workloads" },
                child,
            );
        });
        args.subnetIds.forEach((subnetId, i) => {
            new aws.efs.MountTarget(`${name}-mount-${i + 1}`, { fileSystemId: fs.id, subnetId, securityGroups: [sg.id] }, child);
        });
        const accessPointArns: Record<string, pulumi.Output<string>> = {};
        for (const [key, ap] of Object.entries(args.config.accessPoints)) {
            const point = new aws.efs.AccessPoint(
                `${name}-ap-${key}`,
                {
                    fileSystemId: fs.id,
                    posixUser: { uid: ap.uid, gid: ap.gid },
                    rootDirectory: { path: ap.path, creationInfo: { ownerUid: ap.uid, ownerGid: ap.gid, permissions: "750" } },
                    tags: { Name: `${args.namePrefix}-efs-${key}` },
                },
                child,
            );
            accessPointArns[key] = point.arn;
        }
        this.fileSystemId = fs.id;
        this.arn = fs.arn;
        this.accessPointArns = accessPointArns;
        this.securityGroupId = sg.id;
        this.registerOutputs({ fileSystemId: this.fileSystemId, arn: this.arn });
    }
}
