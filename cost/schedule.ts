/**
 * Pure helpers: running hours of a service under Application Auto Scaling scheduled actions.
 *
 * A scheduled action's `schedule` is `cron(Minutes Hours Day-of-month Month Day-of-week Year)`
 * (AWS cron: day-of-week 1-7 = SUN-SAT or SUN..SAT names; `?` or `*` in one of the day fields),
 * `at(...)` (one-off) or `rate(...)`. The model expands each weekly cron into its instants in a
 * typical week, replays the min/max capacity each action sets, and scales the week's task-hours
 * to the month (hoursPerMonth / 168 weeks). Example: stop at 19:00 and start at 09:00 on MON-FRI
 * runs 10 h x 5 days = 50 h a week = 217.3 h a month (10 h x 21.7 weekdays) instead of 730 h.
 *
 * All actions are read in their own `timezone`; actions with different timezones are compared
 * after converting fixed-offset zones (UTC, Asia/Tokyo, ...) to UTC.
 */

const MINUTES_PER_WEEK = 7 * 24 * 60;
const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/** Fixed UTC offsets (minutes) of zones without daylight saving that the platform uses. */
const FIXED_OFFSETS: Record<string, number> = {
    UTC: 0,
    "Etc/UTC": 0,
    GMT: 0,
    "Asia/Tokyo": 9 * 60,
    "Asia/Seoul": 9 * 60,
    "Asia/Singapore": 8 * 60,
    "Asia/Kolkata": 5 * 60 + 30,
};

export interface ScheduledCapacity {
    /** `cron(...)`, `at(...)` or `rate(...)`. */
    schedule: string;
    /** IANA timezone of the schedule (AWS default UTC). */
    timezone?: string;
    minCapacity?: number;
    maxCapacity?: number;
}

export interface ScheduleResult {
    /** Task-hours per month. */
    taskHours: number;
    /** Hours per month in which at least one task runs. */
    runningHours: number;
    /** Average tasks over the month. */
    averageTasks: number;
    /** True when at least one weekly schedule shaped the result. */
    scheduled: boolean;
    /** Things the model could not use, in words. */
    warnings: string[];
}

function expandField(field: string, min: number, max: number, names?: string[], offset = 0): number[] | undefined {
    const out = new Set<number>();
    for (const part of field.split(",")) {
        const [rangePart, stepPart] = part.split("/");
        const step = stepPart === undefined ? 1 : Number(stepPart);
        if (!Number.isInteger(step) || step < 1) return undefined;
        let lo: number;
        let hi: number;
        const parseValue = (v: string): number | undefined => {
            const upper = v.toUpperCase();
            if (names) {
                const i = names.indexOf(upper);
                if (i >= 0) return i + offset;
            }
            const n = Number(v);
            return Number.isInteger(n) ? n : undefined;
        };
        if (rangePart === "*" || rangePart === "?") {
            lo = min;
            hi = max;
        } else if (rangePart.includes("-")) {
            const [a, b] = rangePart.split("-");
            const pa = parseValue(a);
            const pb = parseValue(b);
            if (pa === undefined || pb === undefined) return undefined;
            lo = pa;
            hi = pb;
        } else {
            const v = parseValue(rangePart);
            if (v === undefined) return undefined;
            lo = v;
            hi = stepPart === undefined ? v : max;
        }
        if (lo < min || hi > max || lo > hi) return undefined;
        for (let v = lo; v <= hi; v += step) out.add(v);
    }
    return [...out].sort((a, b) => a - b);
}

/**
 * Minutes-of-week (0 = Sunday 00:00 in the schedule's timezone) at which a weekly AWS cron fires,
 * or an error string when the expression is not a weekly pattern the model understands.
 */
export function cronWeeklyInstants(schedule: string): number[] | string {
    const m = /^cron\((.*)\)$/.exec(schedule.trim());
    if (!m) return `not a cron expression: ${schedule}`;
    const fields = m[1].trim().split(/\s+/);
    if (fields.length !== 6) return `expected 6 cron fields (min hour day-of-month month day-of-week year), got ${fields.length}: ${schedule}`;
    const [minF, hourF, domF, monF, dowF] = fields;
    if (domF !== "?" && domF !== "*") return `day-of-month "${domF}" is not weekly: ${schedule}`;
    if (monF !== "*") return `month "${monF}" is not every month: ${schedule}`;
    if (/[L#W]/.test(dowF)) return `day-of-week "${dowF}" (L/#/W) is not weekly: ${schedule}`;
    const minutes = expandField(minF, 0, 59);
    const hours = expandField(hourF, 0, 23);
    // AWS cron day-of-week: 1-7 = SUN-SAT; names SUN..SAT.
    const dows = expandField(dowF, 1, 7, DAY_NAMES, 1);
    if (!minutes || !hours || !dows) return `cannot parse cron fields: ${schedule}`;
    const out: number[] = [];
    for (const d of dows) for (const h of hours) for (const mi of minutes) out.push((d - 1) * 1440 + h * 60 + mi);
    return out.sort((a, b) => a - b);
}

/**
 * Task-hours per month of a service that would run `baselineTasks` tasks around the clock,
 * under scheduled actions that set its min/max capacity.
 *
 * @param baselineTasks tasks the service runs when the schedule does not constrain it
 * @param initial the scalable target's own min/max (the state before any action)
 */
export function scheduledTaskHours(
    baselineTasks: number,
    actions: ScheduledCapacity[],
    hoursPerMonth: number,
    initial: { minCapacity?: number; maxCapacity?: number } = {},
): ScheduleResult {
    const warnings: string[] = [];
    const clamp = (n: number, min?: number, max?: number) => Math.min(max ?? Infinity, Math.max(min ?? -Infinity, n));
    type Event = { at: number; min?: number; max?: number };
    const events: Event[] = [];
    const zones = new Set(actions.map((a) => a.timezone ?? "UTC"));
    const convertToUtc = zones.size > 1;
    for (const a of actions) {
        const instants = cronWeeklyInstants(a.schedule);
        if (typeof instants === "string") {
            warnings.push(`scheduled action ignored (${instants})`);
            continue;
        }
        let offset = 0;
        if (convertToUtc) {
            const zone = a.timezone ?? "UTC";
            const o = FIXED_OFFSETS[zone];
            if (o === undefined) warnings.push(`timezone ${zone} has no fixed offset in the model; read as UTC`);
            offset = o ?? 0;
        }
        for (const at of instants) {
            events.push({ at: (((at - offset) % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK, min: a.minCapacity, max: a.maxCapacity });
        }
    }
    const steady = clamp(baselineTasks, initial.minCapacity, initial.maxCapacity);
    if (events.length === 0) {
        return {
            taskHours: steady * hoursPerMonth,
            runningHours: steady > 0 ? hoursPerMonth : 0,
            averageTasks: steady,
            scheduled: false,
            warnings,
        };
    }
    events.sort((a, b) => a.at - b.at);
    // Replay twice around the week so the state at the start of week 2 carries the wrap-around.
    let min = initial.minCapacity;
    let max = initial.maxCapacity;
    for (const e of events) {
        if (e.min !== undefined) min = e.min;
        if (e.max !== undefined) max = e.max;
    }
    let taskMinutes = 0;
    let runningMinutes = 0;
    let cursor = 0;
    let current = clamp(baselineTasks, min, max);
    for (const e of events) {
        const span = e.at - cursor;
        taskMinutes += current * span;
        if (current > 0) runningMinutes += span;
        cursor = e.at;
        if (e.min !== undefined) min = e.min;
        if (e.max !== undefined) max = e.max;
        current = clamp(baselineTasks, min, max);
    }
    const tail = MINUTES_PER_WEEK - cursor;
    taskMinutes += current * tail;
    if (current > 0) runningMinutes += tail;
    const scale = hoursPerMonth / (MINUTES_PER_WEEK / 60);
    const taskHours = (taskMinutes / 60) * scale;
    return {
        taskHours,
        runningHours: (runningMinutes / 60) * scale,
        averageTasks: taskHours / hoursPerMonth,
        scheduled: true,
        warnings,
    };
}

/**
 * How many times a month a schedule expression fires: `rate(N unit)`, or `cron(...)` counted per
 * field (minutes x hours x days a month; day-of-week lists count 1/7 of the month's days each,
 * day-of-month lists count once each, month lists a share of 12). `at(...)` is a one-off: 0.
 */
export function runsPerMonth(expression: string, hoursPerMonth: number): number | string {
    const e = expression.trim();
    const rate = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(e);
    if (rate) {
        const n = Number(rate[1]);
        const minutes = rate[2].startsWith("minute") ? n : rate[2].startsWith("hour") ? n * 60 : n * 1440;
        return n > 0 ? (hoursPerMonth * 60) / minutes : `rate must be positive: ${e}`;
    }
    if (/^at\(.*\)$/.test(e)) return 0;
    const m = /^cron\((.*)\)$/.exec(e);
    if (!m) return `not a schedule expression: ${e}`;
    const fields = m[1].trim().split(/\s+/);
    if (fields.length !== 6) return `expected 6 cron fields, got ${fields.length}: ${e}`;
    const [minF, hourF, domF, monF, dowF] = fields;
    const minutes = expandField(minF, 0, 59);
    const hours = expandField(hourF, 0, 23);
    const months = expandField(monF, 1, 12, ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1);
    if (!minutes || !hours || !months) return `cannot parse cron fields: ${e}`;
    const daysPerMonth = hoursPerMonth / 24;
    let days: number;
    if ((domF === "*" || domF === "?") && (dowF === "*" || dowF === "?")) {
        days = daysPerMonth;
    } else if (domF === "*" || domF === "?") {
        if (/[L#]/.test(dowF)) return 1; // "last Friday", "2nd Monday": once a month
        const dows = expandField(dowF, 1, 7, DAY_NAMES, 1);
        if (!dows) return `cannot parse day-of-week: ${e}`;
        days = (dows.length * daysPerMonth) / 7;
    } else {
        if (/[LW]/.test(domF)) return minutes.length * hours.length * (months.length / 12);
        const doms = expandField(domF, 1, 31);
        if (!doms) return `cannot parse day-of-month: ${e}`;
        days = doms.length;
    }
    return minutes.length * hours.length * days * (months.length / 12);
}
