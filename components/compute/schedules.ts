/**
 * Schedule expressions (EventBridge Scheduler / Application Auto Scaling) and time zones:
 * validation and the dev cost schedule of seed 001 AC-COST-1/2.
 */

const RATE_UNITS = ["minute", "minutes", "hour", "hours", "day", "days"];

/**
 * Undefined when `expr` is a valid `cron(...)`, `rate(...)` or `at(...)` expression, otherwise what
 * is wrong. Cron has six fields (minutes hours day-of-month month day-of-week year) and exactly one
 * of day-of-month / day-of-week must be `?`.
 */
export function checkScheduleExpression(expr: string, allowAt = true): string | undefined {
    const cron = /^cron\((.*)\)$/.exec(expr);
    if (cron) {
        const fields = cron[1].trim().split(/\s+/);
        if (fields.length !== 6) {
            return `cron needs 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}: e.g. cron(0 3 * * ? *)`;
        }
        const [min, hour, dom, mon, dow, year] = fields;
        const fieldOk: [string, string, RegExp][] = [
            ["minutes", min, /^[0-9,\-*/]+$/],
            ["hours", hour, /^[0-9,\-*/]+$/],
            ["day-of-month", dom, /^([0-9,\-*/?LW]+)$/],
            ["month", mon, /^([0-9,\-*/]|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)+$/i],
            ["day-of-week", dow, /^([0-9,\-*/?L#]|SUN|MON|TUE|WED|THU|FRI|SAT)+$/i],
            ["year", year, /^[0-9,\-*/]+$/],
        ];
        for (const [label, value, re] of fieldOk) {
            if (!re.test(value)) {
                return `cron field ${label} ${JSON.stringify(value)} is not valid`;
            }
        }
        const numeric = (v: string, max: number) => v.split(/[,\-/]/).every((p) => p === "*" || !/^\d+$/.test(p) || Number(p) <= max);
        if (!numeric(min, 59) || !numeric(hour, 23)) {
            return "cron minutes must be 0-59 and hours 0-23";
        }
        if ((dom === "?") === (dow === "?")) {
            return "cron needs exactly one of day-of-month and day-of-week to be '?', e.g. cron(0 3 * * ? *) or cron(0 19 ? * MON-FRI *)";
        }
        return undefined;
    }
    const rate = /^rate\((\d+) ([a-z]+)\)$/.exec(expr);
    if (rate) {
        const n = Number(rate[1]);
        const unit = rate[2];
        if (n < 1 || !RATE_UNITS.includes(unit)) {
            return "rate needs a positive number and a unit minute(s), hour(s) or day(s), e.g. rate(5 minutes)";
        }
        if ((n === 1) !== !unit.endsWith("s")) {
            return `rate of ${n} needs the ${n === 1 ? "singular" : "plural"} unit, e.g. ${n === 1 ? "rate(1 hour)" : "rate(5 minutes)"}`;
        }
        return undefined;
    }
    if (allowAt && /^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$/.test(expr)) {
        return undefined;
    }
    return `expected cron(<6 fields>), rate(<n> <unit>)${allowAt ? " or at(yyyy-mm-ddThh:mm:ss)" : ""}, e.g. cron(0 3 * * ? *) or rate(1 hour)`;
}

/** True when `tz` is an IANA time zone name such as Asia/Tokyo or UTC. */
export function isTimeZone(tz: string): boolean {
    try {
        new Intl.DateTimeFormat("en-US", { timeZone: tz });
        return tz.length > 0;
    } catch {
        return false;
    }
}

export interface DevSchedule {
    timezone: string;
    stopAt: string;
    startAt: string;
}

/** Seed 001 AC-COST-1/2: stop at 19:00, start at 09:00 on weekdays. */
export const DEV_SCHEDULE_DEFAULTS: DevSchedule = {
    timezone: "Asia/Tokyo",
    stopAt: "cron(0 19 ? * MON-FRI *)",
    startAt: "cron(0 9 ? * MON-FRI *)",
};

/** The two scheduled actions of one scalable target: scale to zero, and back to its normal bounds. */
export function devScheduledActions(
    schedule: DevSchedule,
    bounds: { min: number; max: number },
): { role: "stop" | "start"; schedule: string; timezone: string; min: number; max: number }[] {
    return [
        { role: "stop", schedule: schedule.stopAt, timezone: schedule.timezone, min: 0, max: 0 },
        { role: "start", schedule: schedule.startAt, timezone: schedule.timezone, min: bounds.min, max: bounds.max },
    ];
}
