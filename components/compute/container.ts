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
}

/** The scratch volume mounted at /tmp so a read-only root filesystem still has somewhere to write. */
export const TMP_VOLUME = "tmp";

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
            mountPoints: [{ sourceVolume: TMP_VOLUME, containerPath: "/tmp", readOnly: false }],
            // ECS Exec needs an init process; it also reaps zombies.
            linuxParameters: { initProcessEnabled: true },
            stopTimeout: 30,
        },
    ];
}
