/** Pure rules of the AWS Backup plan. */
import type * as pulumi from "@pulumi/pulumi";

export interface BackupSettings {
    readonly dailyRetentionDays: number;
    readonly weeklyRetentionDays: number;
    readonly copyToDr: boolean;
    readonly drRetentionDays: number;
}

/** Daily at 05:00 UTC (after the 03:00-04:00 automated-backup window), weekly Sunday 03:00 UTC (seed 001). */
export const BACKUP_SCHEDULES = { daily: "cron(0 5 * * ? *)", weekly: "cron(0 3 ? * SUN *)" } as const;

export function backupRules(cfg: BackupSettings, vaultName: pulumi.Input<string>, drVaultArn: pulumi.Input<string> | undefined) {
    const rule = (ruleName: "daily" | "weekly", deleteAfter: number) => ({
        ruleName,
        targetVaultName: vaultName,
        schedule: BACKUP_SCHEDULES[ruleName],
        startWindow: 60,
        completionWindow: 360,
        lifecycle: { deleteAfter },
        recoveryPointTags: { BackupRule: ruleName },
        ...(drVaultArn !== undefined && cfg.copyToDr ? { copyActions: [{ destinationVaultArn: drVaultArn, lifecycle: { deleteAfter: cfg.drRetentionDays } }] } : {}),
    });
    return [rule("daily", cfg.dailyRetentionDays), rule("weekly", cfg.weeklyRetentionDays)];
}
