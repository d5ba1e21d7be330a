/**
 * Scaling arithmetic for the target-tracking policies.
 *
 * Seed 001 AC-PERF-2/3: scale out while traffic exceeds 100 req/s, scale in to a floor of 2 tasks
 * below 20 req/s. ALBRequestCountPerTarget is the number of requests each target received in one
 * minute (Sum over 60 s divided by the healthy targets), so a service-wide rate of R req/s on the
 * minimum fleet of N tasks is R * 60 / N requests per target per minute. Target tracking adds tasks
 * when the per-target count stays above that value and removes them (never below the floor) when
 * it stays well below it. With R = 100 and N = 2 the target is 3000 requests per target per minute:
 * at 100 req/s the two floor tasks sit exactly at target, above it the service scales out, and at
 * 20 req/s (600 per target) it scales back in to the floor of 2.
 */

/** Requests per target per minute for ALBRequestCountPerTarget, from a service-wide req/s threshold. */
export function requestsPerTargetPerMinute(requestsPerSecond: number, minTasks: number): number {
    if (requestsPerSecond <= 0) {
        throw new Error(`requestsPerSecond must be positive, got ${requestsPerSecond}`);
    }
    return Math.ceil((requestsPerSecond * 60) / Math.max(1, minTasks));
}

/**
 * The metric-math expression of the worker backlog: visible messages per running task (m1 / m2),
 * and the whole backlog while no task runs (so a worker scaled to its floor of 0 still starts).
 */
export const BACKLOG_PER_TASK_EXPRESSION = "IF(m2 > 0, m1 / m2, m1)";

/** Application Auto Scaling resource id of an ECS service. */
export function ecsResourceId(clusterName: string, serviceName: string): string {
    return `service/${clusterName}/${serviceName}`;
}

/** ALB resource label: `app/<lb>/<id>/targetgroup/<tg>/<id>` from the two ARN suffixes. */
export function albResourceLabel(albArnSuffix: string, targetGroupArnSuffix: string): string {
    return `${albArnSuffix}/${targetGroupArnSuffix}`;
}
