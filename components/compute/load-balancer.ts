import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as random from "@pulumi/random";
import { LOG_PREFIXES } from "../contracts";
import type { ComputeContext } from "./context";

/** TLS 1.3 with TLS 1.2 fallback (AWS recommended policy for ALB HTTPS listeners). */
export const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export interface LoadBalancerArgs {
    c: ComputeContext;
    /** ACM certificate in the stack's region: HTTPS listener + HTTP->HTTPS redirect. Without it: HTTP only. */
    certificateArn?: string;
    /** @default true (required in prod) */
    deletionProtection: boolean;
    idleTimeoutSeconds: number;
    /** Name of the header CloudFront adds (the value is generated here). */
    originVerifyHeaderName: string;
}

/**
 * The public Application Load Balancer in front of the web services.
 *
 * - In the public subnets with the network tier's `alb` security group; invalid header fields
 *   dropped; access logs to the data tier's `logs` bucket under `alb/`; deletion protection on
 *   (prod requires it).
 * - With a certificate: HTTPS :443 (TLS13-1-2-2021-06) whose default action is a 403, and HTTP :80
 *   redirecting to HTTPS. Without one (no domain yet): HTTP :80 only, default 403. Either way each
 *   service's listener rule forwards only requests that carry the origin-verify header, whose value
 *   is a stable random secret that the edge tier sets as a CloudFront origin custom header: the ALB
 *   serves CloudFront, not the internet at large.
 *
 * Costs (ap-northeast-1): ~$0.0243/h (~$18/month) + $0.008 per LCU-hour.
 */
export class LoadBalancer extends pulumi.ComponentResource {
    public readonly arn: pulumi.Output<string>;
    public readonly arnSuffix: pulumi.Output<string>;
    public readonly dnsName: pulumi.Output<string>;
    public readonly zoneId: pulumi.Output<string>;
    /** The listener the service rules attach to (HTTPS with a certificate, else HTTP). */
    public readonly listenerArn: pulumi.Output<string>;
    public readonly originProtocol: "https-only" | "http-only";
    public readonly originVerifyHeader: { name: string; value: pulumi.Output<string> };

    constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:compute:LoadBalancer", name, {}, opts);
        const { c } = args;
        const child = { parent: this };
        const logs = c.data.buckets.logs;
        if (logs === undefined) {
            throw new Error("compute: the ALB writes access logs to DataOutputs.buckets.logs, which the data tier does not expose; declare platform:data.buckets.logs");
        }
        // Stable: generated once and kept in state; rotate by replacing this resource deliberately.
        const secret = new random.RandomPassword(`${name}-origin-verify`, { length: 48, special: false }, child);
        this.originVerifyHeader = { name: args.originVerifyHeaderName, value: pulumi.secret(secret.result) };

        const lb = new aws.lb.LoadBalancer(
            `${name}-alb`,
            {
                loadBalancerType: "application",
                internal: false,
                subnets: c.network.publicSubnetIds,
                securityGroups: [c.network.securityGroupIds.alb],
                dropInvalidHeaderFields: true,
                enableDeletionProtection: args.deletionProtection,
                idleTimeout: args.idleTimeoutSeconds,
                enableHttp2: true,
                desyncMitigationMode: "defensive",
                accessLogs: { bucket: logs.name, prefix: LOG_PREFIXES.alb, enabled: true },
                tags: { Name: `${c.ctx.namePrefix}-alb` },
            },
            { parent: this, protect: c.protect },
        );
        const forbidden = [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", messageBody: "Forbidden", statusCode: "403" } }];
        let listener: aws.lb.Listener;
        if (args.certificateArn) {
            listener = new aws.lb.Listener(
                `${name}-https`,
                { loadBalancerArn: lb.arn, port: 443, protocol: "HTTPS", sslPolicy: TLS_POLICY, certificateArn: args.certificateArn, defaultActions: forbidden },
                child,
            );
            new aws.lb.Listener(
                `${name}-http`,
                { loadBalancerArn: lb.arn, port: 80, protocol: "HTTP", defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }] },
                child,
            );
            this.originProtocol = "https-only";
        } else {
            listener = new aws.lb.Listener(`${name}-http`, { loadBalancerArn: lb.arn, port: 80, protocol: "HTTP", defaultActions: forbidden }, child);
            this.originProtocol = "http-only";
        }
        this.arn = lb.arn;
        this.arnSuffix = lb.arnSuffix;
        this.dnsName = lb.dnsName;
        this.zoneId = lb.zoneId;
        this.listenerArn = listener.arn;
        this.registerOutputs({ arn: this.arn, dnsName: this.dnsName, listenerArn: this.listenerArn });
    }
}
