import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { StackConfig } from "../config";
import { backupRules } from "./backup-spec";

export interface BackupArgs {
    /** The validated `data.backup` section. */
    config: StackConfig["data"]["backup"];
    namePrefix: string;
    partition: pulumi.Input<string>;
    /** Data-domain CMK of the main-region vault. */
    kmsKeyArn: pulumi.Input<string>;
    /** DR provider and DR-region key for the copy vault; omit to skip cross-region copies. */
    dr?: { provider: aws.Provider; kmsKeyArn: pulumi.Input<string> };
    /** ARNs of the resources to back up (Aurora cluster, DynamoDB tables, EFS). */
    resourceArns: pulumi.Input<string>[];
    /** Permissions boundary required on roles the deploy role creates (deployments/). */
    permissionsBoundaryArn?: pulumi.Input<string>;
    protect: boolean;
}

/**
 * AWS Backup (seed 001 backup strategy, seed 003 P): a vault in the main region (data key), a
 * plan with a daily and a weekly rule (Sunday 03:00 UTC, seed 001) whose recovery points are
 * copied to a vault in the DR region (DR key), a selection by resource ARN, and the backup role
 * with the AWS managed backup/restore policies.
 *
 * Cross-region copies of DynamoDB backups need "advanced features for DynamoDB" switched on in
 * the account's AWS Backup settings (account-wide, so not managed by this stack: README).
 *
 * Costs: warm storage $0.057/GB-month for Aurora/DynamoDB snapshots in ap-northeast-1, copies
 * $0.05/GB in us-west-2 plus inter-region transfer $0.09/GB.
 */
export class Backup extends pulumi.ComponentResource {
    public readonly vaultArn: pulumi.Output<string>;
    public readonly vaultName: pulumi.Output<string>;
    public readonly drVaultArn?: pulumi.Output<string>;
    public readonly planId: pulumi.Output<string>;

    constructor(name: string, args: BackupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:Backup", name, {}, opts);
        const child = { parent: this };
        const keep: pulumi.CustomResourceOptions = args.protect ? { parent: this, protect: true, retainOnDelete: true } : child;
        const vault = new aws.backup.Vault(`${name}-vault`, { name: `${args.namePrefix}-vault`, kmsKeyArn: args.kmsKeyArn, forceDestroy: !args.protect }, keep);
        let drVault: aws.backup.Vault | undefined;
        if (args.dr && args.config.copyToDr) {
            drVault = new aws.backup.Vault(
                `${name}-dr-vault`,
                { name: `${args.namePrefix}-dr-vault`, kmsKeyArn: args.dr.kmsKeyArn, forceDestroy: !args.protect },
                { ...keep, provider: args.dr.provider },
            );
        }
        const plan = new aws.backup.Plan(
            `${name}-plan`,
            {
                name: `${args.namePrefix}-backup`,
                rules: backupRules(args.config, vault.name, drVault?.arn),
            },
            child,
        );
        const role = new aws.iam.Role(
            `${name}-role`,
            {
                name: `${args.namePrefix}-backup`,
                description: "AWS Backup: create and restore recovery points of the data tier",
                ...(args.permissionsBoundaryArn ? { permissionsBoundary: args.permissionsBoundaryArn } : {}),
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" }],
                }),
            },
            child,
        );
        for (const [suffix, policy] of [
            ["backup", "AWSBackupServiceRolePolicyForBackup"],
            ["restores", "AWSBackupServiceRolePolicyForRestores"],
        ] as const) {
            new aws.iam.RolePolicyAttachment(
                `${name}-role-${suffix}`,
                { role: role.name, policyArn: pulumi.interpolate`arn:${args.partition}:iam::aws:policy/service-role/${policy}` },
                child,
            );
        }
        new aws.backup.Selection(
            `${name}-selection`,
            { name: `${args.namePrefix}-data`, planId: plan.id, iamRoleArn: role.arn, resources: args.resourceArns },
            child,
        );
        this.vaultArn = vault.arn;
        this.vaultName = vault.name;
        this.drVaultArn = drVault?.arn;
        this.planId = plan.id;
        this.registerOutputs({ vaultArn: this.vaultArn, drVaultArn: this.drVaultArn, planId: this.planId });
    }
}
