import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { StackConfig } from "../config";
import type { DatabaseRef, LogGroupRef } from "../contracts";
import { POSTGRES_PORT } from "../network/security-groups";
import type { DataStoreArgs } from "./store-args";
import {
    clusterIdentifier,
    clusterParameters,
    finalSnapshotIdentifier,
    instanceParameters,
    parameterGroupFamily,
    postgresLogGroupName,
} from "./database-spec";

export interface DatabaseArgs extends DataStoreArgs {
    /** The validated `data.database` section. */
    config: StackConfig["data"]["database"];
    /** Account partition, for the managed-policy ARN. */
    partition: pulumi.Input<string>;
    /** Permissions boundary required on roles the deploy role creates (deployments/). */
    permissionsBoundaryArn?: pulumi.Input<string>;
}

/**
 * Aurora PostgreSQL Serverless v2 (seed 002 §1.1): a cluster in the data subnets with a writer
 * and `instances - 1` readers (db.serverless, spread over AZs by RDS), storage and Performance
 * Insights encrypted with the data key, the master password generated, stored and rotated by RDS
 * in Secrets Manager (secrets key), IAM database auth, TLS forced by the cluster parameter group,
 * `postgresql` logs exported to a KMS-encrypted log group, enhanced monitoring when configured,
 * automated backups in the 03:00-04:00 UTC window and a stable final snapshot name.
 *
 * `availabilityZones` is deliberately not set: RDS picks three AZs and the provider would show a
 * perpetual diff (and a replacement) if the program listed fewer.
 *
 * Costs (ap-northeast-1): $0.20 per ACU-hour per instance (prod 2 instances x 0.5-2 ACU:
 * ~$146-584/month), storage $0.12/GB-month, I/O $0.24 per million, backups beyond the cluster
 * size $0.023/GB-month, Performance Insights 7 days free.
 */
export class Database extends pulumi.ComponentResource implements DatabaseRef {
    public readonly clusterIdentifier: pulumi.Output<string>;
    public readonly clusterArn: pulumi.Output<string>;
    public readonly clusterResourceId: pulumi.Output<string>;
    public readonly instanceIdentifiers: pulumi.Output<string>[];
    public readonly endpoint: pulumi.Output<string>;
    public readonly readerEndpoint: pulumi.Output<string>;
    public readonly port = POSTGRES_PORT;
    public readonly databaseName: string;
    public readonly masterSecretArn: pulumi.Output<string>;
    public readonly minCapacity: number;
    public readonly maxCapacity: number;
    public readonly logGroups: LogGroupRef[];

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:Database", name, {}, opts);
        const cfg = args.config;
        const child = { parent: this };
        const keep: pulumi.CustomResourceOptions = args.protect ? { parent: this, protect: true, retainOnDelete: true } : child;
        const clusterId = clusterIdentifier(args.namePrefix);
        const family = parameterGroupFamily(cfg.engineVersion);

        const subnetGroup = new aws.rds.SubnetGroup(
            `${name}-subnets`,
            { name: `${args.namePrefix}-aurora`, description: "Aurora: data subnets", subnetIds: args.subnetIds, tags: { Name: `${args.namePrefix}-aurora` } },
            child,
        );
        const clusterParams = new aws.rds.ClusterParameterGroup(
            `${name}-cluster-params`,
            { name: `${args.namePrefix}-aurora-cluster-${family}`, family, description: "Aurora cluster: TLS only, slow queries and connections logged", parameters: clusterParameters(cfg.logMinDurationMs) },
            child,
        );
        const instanceParams = new aws.rds.ParameterGroup(
            `${name}-instance-params`,
            { name: `${args.namePrefix}-aurora-instance-${family}`, family, description: "Aurora instances: pg_stat_statements", parameters: instanceParameters() },
            child,
        );
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-postgresql-logs`,
            { name: postgresLogGroupName(clusterId), retentionInDays: cfg.logRetentionDays, kmsKeyId: args.logsKeyArn },
            child,
        );

        let monitoringRoleArn: pulumi.Output<string> | undefined;
        if (cfg.monitoringInterval > 0) {
            const role = new aws.iam.Role(
                `${name}-monitoring-role`,
                {
                    name: `${args.namePrefix}-rds-monitoring`,
                    description: "RDS enhanced monitoring publishes OS metrics to CloudWatch Logs",
                    ...(args.permissionsBoundaryArn ? { permissionsBoundary: args.permissionsBoundaryArn } : {}),
                    assumeRolePolicy: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: "sts:AssumeRole" }],
                    }),
                },
                child,
            );
            new aws.iam.RolePolicyAttachment(
                `${name}-monitoring-policy`,
                { role: role.name, policyArn: pulumi.interpolate`arn:${args.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole` },
                child,
            );
            monitoringRoleArn = role.arn;
        }

        const cluster = new aws.rds.Cluster(
            `${name}-cluster`,
            {
                clusterIdentifier: clusterId,
                engine: "aurora-postgresql",
                engineMode: "provisioned",
                engineVersion: cfg.engineVersion,
                databaseName: cfg.databaseName,
                masterUsername: cfg.masterUsername,
                manageMasterUserPassword: true,
                masterUserSecretKmsKeyId: args.secretsKmsKeyArn,
                port: POSTGRES_PORT,
                serverlessv2ScalingConfiguration: {
                    minCapacity: cfg.minCapacity,
                    maxCapacity: cfg.maxCapacity,
                    ...(cfg.minCapacity === 0 ? { secondsUntilAutoPause: cfg.secondsUntilAutoPause ?? 600 } : {}),
                },
                dbSubnetGroupName: subnetGroup.name,
                vpcSecurityGroupIds: [args.securityGroupId],
                dbClusterParameterGroupName: clusterParams.name,
                storageEncrypted: true,
                kmsKeyId: args.kmsKeyArn,
                iamDatabaseAuthenticationEnabled: true,
                enabledCloudwatchLogsExports: ["postgresql"],
                backupRetentionPeriod: cfg.backupRetentionDays,
                preferredBackupWindow: cfg.backupWindow,
                preferredMaintenanceWindow: cfg.maintenanceWindow,
                copyTagsToSnapshot: true,
                deletionProtection: args.protect,
                skipFinalSnapshot: cfg.skipFinalSnapshot,
                ...(cfg.skipFinalSnapshot ? {} : { finalSnapshotIdentifier: finalSnapshotIdentifier(clusterId) }),
                deleteAutomatedBackups: !args.protect,
                applyImmediately: !args.protect,
                tags: { Name: clusterId },
            },
            { ...keep, dependsOn: [logGroup] },
        );

        const instances = Array.from({ length: cfg.instances }, (_v, i) => {
            const identifier = `${clusterId}-${i + 1}`;
            return new aws.rds.ClusterInstance(
                `${name}-instance-${i + 1}`,
                {
                    identifier,
                    clusterIdentifier: cluster.id,
                    instanceClass: "db.serverless",
                    engine: "aurora-postgresql",
                    engineVersion: cluster.engineVersion,
                    dbSubnetGroupName: subnetGroup.name,
                    dbParameterGroupName: instanceParams.name,
                    publiclyAccessible: false,
                    autoMinorVersionUpgrade: true,
                    // The first instance is the writer; readers are failover targets in order.
                    promotionTier: i === 0 ? 0 : 1,
                    performanceInsightsEnabled: true,
                    performanceInsightsKmsKeyId: args.kmsKeyArn,
                    performanceInsightsRetentionPeriod: cfg.performanceInsightsRetentionDays,
                    monitoringInterval: cfg.monitoringInterval,
                    ...(monitoringRoleArn ? { monitoringRoleArn } : {}),
                    caCertIdentifier: "rds-ca-rsa2048-g1",
                    applyImmediately: !args.protect,
                    tags: { Name: identifier, Role: i === 0 ? "writer" : "reader" },
                },
                keep,
            );
        });

        this.clusterIdentifier = cluster.clusterIdentifier;
        this.clusterArn = cluster.arn;
        this.clusterResourceId = cluster.clusterResourceId;
        this.instanceIdentifiers = instances.map((x) => x.identifier);
        this.endpoint = cluster.endpoint;
        this.readerEndpoint = cluster.readerEndpoint;
        this.databaseName = cfg.databaseName;
        this.masterSecretArn = cluster.masterUserSecrets.apply((s) => {
            const arn = s?.[0]?.secretArn;
            if (!arn) {
                throw new Error(`${clusterId}: RDS returned no managed master secret (manageMasterUserPassword must stay true)`);
            }
            return arn;
        });
        this.minCapacity = cfg.minCapacity;
        this.maxCapacity = cfg.maxCapacity;
        this.logGroups = [{ name: logGroup.name, arn: logGroup.arn, kind: "database", owner: "aurora" }];
        this.registerOutputs({
            clusterIdentifier: this.clusterIdentifier,
            clusterArn: this.clusterArn,
            endpoint: this.endpoint,
            readerEndpoint: this.readerEndpoint,
            masterSecretArn: this.masterSecretArn,
        });
    }
}
