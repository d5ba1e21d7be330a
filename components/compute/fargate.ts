/**
 * The Fargate task sizes AWS accepts (ECS Developer Guide, "Task CPU and memory"): each CPU value
 * allows a fixed set of memory values (MiB). Anything else is rejected by RegisterTaskDefinition.
 */

function range(from: number, to: number, step: number): number[] {
    const out: number[] = [];
    for (let v = from; v <= to; v += step) {
        out.push(v);
    }
    return out;
}

/** CPU units -> allowed memory (MiB), Linux platform version 1.4.0. */
export const FARGATE_SIZES: Readonly<Record<number, readonly number[]>> = {
    256: [512, 1024, 2048],
    512: range(1024, 4096, 1024),
    1024: range(2048, 8192, 1024),
    2048: range(4096, 16384, 1024),
    4096: range(8192, 30720, 1024),
    8192: range(16384, 61440, 4096),
    16384: range(32768, 122880, 8192),
};

export const FARGATE_CPUS: readonly number[] = Object.keys(FARGATE_SIZES).map(Number);

/** Undefined when the pair is valid; otherwise a message saying what Fargate accepts. */
export function checkFargateSize(cpu: number, memory: number): string | undefined {
    const allowed = FARGATE_SIZES[cpu];
    if (allowed === undefined) {
        return `cpu ${cpu} is not a Fargate size; expected one of ${FARGATE_CPUS.join(", ")} (CPU units, 1024 = 1 vCPU)`;
    }
    if (!allowed.includes(memory)) {
        const lo = allowed[0];
        const hi = allowed[allowed.length - 1];
        const step = allowed.length > 1 ? allowed[1] - allowed[0] : 0;
        const list = allowed.length <= 4 ? allowed.join(", ") : `${lo}-${hi} in steps of ${step}`;
        return `memory ${memory} MiB is not valid with cpu ${cpu} on Fargate; expected ${list} MiB`;
    }
    return undefined;
}
