/**
 * The ECS container definition of a workload, as a pure function (tests read it directly).
 * Secrets arrive only through `secrets` (valueFrom = secret ARN, resolved by ECS at start with the
 * execution role); `environment` carries plain values and resource names.
 */

export interface ContainerSpec {
    name: string;
    image: string;
    port?: number;
    command?: readonly string[];
    environment: Readonly<Record<string, string>>;
    /** ENV_NAME -> secret ARN. */
    secrets: Readonly<Record<string, string>>;
    logGroupName: string;
    region: string;
    readonlyRootFilesystem: boolean;
    user?: string;
    /** ECS Exec is on: its SSM agent needs writable /var/lib/amazon and /var/log/amazon. */
    exec?: boolean;
}

/** The scratch volume mounted at /tmp so a read-only root filesystem still has somewhere to write. */
export const TMP_VOLUME = "tmp";

/**
 * ECS Exec's SSM agent writes under /var/lib/amazon and /var/log/amazon; with a read-only root
 * filesystem those must be writable volumes (aws/containers-roadmap#1359, amazon-ecs-exec-checker#21).
 */
export const EXEC_VOLUMES: readonly { name: string; path: string }[] = [
    { name: "exec-var-lib-amazon", path: "/var/lib/amazon" },
    { name: "exec-var-log-amazon", path: "/var/log/amazon" },
];

/** The task's scratch volumes: /tmp always, the ECS Exec paths when both Exec and a read-only root are on. */
export function taskVolumes(exec: boolean, readonlyRootFilesystem: boolean): string[] {
    return [TMP_VOLUME, ...(exec && readonlyRootFilesystem ? EXEC_VOLUMES.map((v) => v.name) : [])];
}

export function containerDefinitions(spec: ContainerSpec): object[] {
    const overlap = Object.keys(spec.environment).filter((k) => k in spec.secrets);
    if (overlap.length > 0) {
        throw new Error(`container ${spec.name}: ${overlap.join(", ")} is both a plain environment value and a secret; keep it in secretEnv only`);
    }
    return [
        {
            name: spec.name,
            image: spec.image,
            essential: true,
            ...(spec.command ? { command: [...spec.command] } : {}),
            ...(spec.port !== undefined ? { portMappings: [{ containerPort: spec.port, protocol: "tcp", name: "http" }] } : {}),
            environment: Object.keys(spec.environment)
                .sort()
                .map((name) => ({ name, value: spec.environment[name] })),
            secrets: Object.keys(spec.secrets)
                .sort()
                .map((name) => ({ name, valueFrom: spec.secrets[name] })),
            logConfiguration: {
                logDriver: "awslogs",
                options: { "awslogs-group": spec.logGroupName, "awslogs-region": spec.region, "awslogs-stream-prefix": spec.name },
            },
            readonlyRootFilesystem: spec.readonlyRootFilesystem,
            privileged: false,
            ...(spec.user ? { user: spec.user } : {}),
            mountPoints: [
                { sourceVolume: TMP_VOLUME, containerPath: "/tmp", readOnly: false },
                ...(spec.exec && spec.readonlyRootFilesystem ? EXEC_VOLUMES.map((v) => ({ sourceVolume: v.name, containerPath: v.path, readOnly: false })) : []),
            ],
            // ECS Exec needs an init process; it also reaps zombies.
            linuxParameters: { initProcessEnabled: true },
            stopTimeout: 30,
        },
    ];
}
