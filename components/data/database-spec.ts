/**
 * Pure helpers of the Aurora PostgreSQL Serverless v2 cluster: capacity rules, engine facts,
 * parameter groups and stable identifiers.
 */

/**
 * Minimum versions with the Serverless v2 auto-pause feature (minCapacity 0), per major version
 * (Aurora user guide, "Aurora Serverless v2 capacity": 16.3, 15.7, 14.12, 13.15 and later).
 */
export const SCALE_TO_ZERO_MIN_MINOR: Readonly<Record<number, number>> = { 13: 15, 14: 12, 15: 7, 16: 3 };

export function auroraScaleToZeroSupported(engineVersion: string): boolean {
    const [major, minor] = engineVersion.split(".").map(Number);
    if (major > 16) {
        return true;
    }
    const min = SCALE_TO_ZERO_MIN_MINOR[major];
    return min !== undefined && minor >= min;
}

/** ACU range problems (Serverless v2: half-steps, min <= max). */
export function checkAcuRange(min: number, max: number): string[] {
    const problems: string[] = [];
    if (min > max) {
        problems.push(`ACU min (${min}) must not exceed max (${max}); seed 002 uses 0.5-2.0`);
    }
    return problems;
}

/** Parameter group family of an aurora-postgresql version: `16.6` -> `aurora-postgresql16`. */
export function parameterGroupFamily(engineVersion: string): string {
    return `aurora-postgresql${engineVersion.split(".")[0]}`;
}

export interface DbParameter {
    name: string;
    value: string;
    applyMethod: "immediate" | "pending-reboot";
}

/** Cluster parameters: TLS only, slow-query and connection logging. */
export function clusterParameters(logMinDurationMs: number): DbParameter[] {
    return [
        { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
        { name: "log_min_duration_statement", value: String(logMinDurationMs), applyMethod: "immediate" },
        { name: "log_connections", value: "1", applyMethod: "immediate" },
        { name: "log_disconnections", value: "1", applyMethod: "immediate" },
        { name: "log_lock_waits", value: "1", applyMethod: "immediate" },
    ];
}

/** Instance parameters: query statistics for Performance Insights and tuning. */
export function instanceParameters(): DbParameter[] {
    return [
        { name: "shared_preload_libraries", value: "pg_stat_statements", applyMethod: "pending-reboot" },
        { name: "pg_stat_statements.track", value: "all", applyMethod: "immediate" },
    ];
}

/** Stable final-snapshot name: never time-based, so a preview never shows a diff. */
export function finalSnapshotIdentifier(clusterIdentifier: string): string {
    return `${clusterIdentifier}-final`;
}

export function clusterIdentifier(namePrefix: string): string {
    return `${namePrefix}-aurora`;
}

/** The log group RDS writes `postgresql` exports to (created beforehand with KMS and retention). */
export function postgresLogGroupName(clusterId: string): string {
    return `/aws/rds/cluster/${clusterId}/postgresql`;
}
