import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { validationDomains } from "./policies";

export interface DnsValidatedCertificateArgs {
    /** First name is the certificate's domain name, the rest subject alternative names. */
    domains: readonly string[];
    /** Route53 hosted zone that serves every name in `domains`. */
    hostedZoneId: string;
    /** Shown as the Name tag, e.g. shop-prod-cloudfront. */
    label: string;
}

/**
 * An ACM certificate validated through Route53 DNS records, in the region of the provider it is
 * created with (us-east-1 for CloudFront, the stack region for API Gateway and the ALB).
 *
 * One validation record per distinct name, created outside any `apply` by looping over the plain
 * domain list; each record reads its CNAME from the certificate's `domainValidationOptions` entry
 * for that name. Records use `allowOverwrite` because ACM gives the same CNAME for the same name
 * in every region, so the us-east-1 and the regional certificate may share one.
 *
 * Creates: `aws.acm.Certificate`, `aws.route53.Record` per name, `aws.acm.CertificateValidation`.
 * Costs: public ACM certificates are free; Route53 records are free inside the zone ($0.50/month).
 */
export class DnsValidatedCertificate extends pulumi.ComponentResource {
    /** ARN of the certificate once validated (use this, not the raw certificate ARN). */
    public readonly arn: pulumi.Output<string>;

    constructor(name: string, args: DnsValidatedCertificateArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:edge:DnsValidatedCertificate", name, {}, opts);
        if (args.domains.length === 0) {
            throw new Error(`DnsValidatedCertificate ${name}: expected at least one domain name`);
        }
        const [domainName, ...sans] = args.domains;
        const cert = new aws.acm.Certificate(
            `${name}-cert`,
            {
                domainName,
                subjectAlternativeNames: sans.length > 0 ? [...sans] : undefined,
                validationMethod: "DNS",
                keyAlgorithm: "RSA_2048",
                options: { certificateTransparencyLoggingPreference: "ENABLED" },
                tags: { Name: args.label },
            },
            // A name change needs the new certificate before the old one is detached.
            { parent: this, deleteBeforeReplace: false },
        );

        const records = validationDomains(args.domains).map((domain, i) => {
            const option = cert.domainValidationOptions.apply((options) => {
                const found = options.find((o) => o.domainName === domain) ?? options[i];
                if (!found) {
                    throw new Error(`certificate ${name}: no DNS validation option for ${domain}`);
                }
                return found;
            });
            return new aws.route53.Record(
                `${name}-validation-${i}`,
                {
                    zoneId: args.hostedZoneId,
                    name: option.resourceRecordName,
                    type: option.resourceRecordType,
                    records: [option.resourceRecordValue],
                    ttl: 300,
                    allowOverwrite: true,
                },
                { parent: this },
            );
        });

        const validation = new aws.acm.CertificateValidation(
            `${name}-validation`,
            { certificateArn: cert.arn, validationRecordFqdns: records.map((r) => r.fqdn) },
            { parent: this },
        );
        this.arn = validation.certificateArn;
        this.registerOutputs({ arn: this.arn });
    }
}
