import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { EdgeSettings } from "./schema";
import { identityPoolTrustPolicy } from "./policies";

export interface AuthArgs {
    /** `<project>-<stack>`: physical names. */
    namePrefix: string;
    /** The validated `edge.auth` section. */
    config: EdgeSettings["auth"];
    /** The site origin (https://app.example.com or the CloudFront domain): its /auth/callback and / are always allowed. */
    siteOrigin: pulumi.Input<string>;
    /** Protect the user pool from `pulumi destroy` (prod). */
    protect: boolean;
}

/**
 * Cognito for the web app (seed 000 INFRA-003, seed 003 I): a user pool with a strong password
 * policy (12+ characters, every class), TOTP MFA (OPTIONAL or ON), threat protection (PLUS plan,
 * ENFORCED), email sign-in and account recovery by verified email, deletion protection; a public
 * app client (no secret) for the authorization-code flow with PKCE, short-lived tokens,
 * revocation and no user-existence leaks; the hosted-UI domain; and an identity pool that
 * accepts only signed-in users (its authenticated role has no permissions until the app needs some).
 *
 * Creates: UserPool, UserPoolClient, UserPoolDomain, IdentityPool, iam.Role,
 * IdentityPoolRoleAttachment.
 * Costs: ESSENTIALS $0.015 per MAU beyond 10,000 free; PLUS $0.02 per MAU (no free tier).
 */
export class Auth extends pulumi.ComponentResource {
    public readonly userPoolId: pulumi.Output<string>;
    public readonly userPoolArn: pulumi.Output<string>;
    public readonly userPoolEndpoint: pulumi.Output<string>;
    public readonly clientId: pulumi.Output<string>;
    public readonly identityPoolId: pulumi.Output<string>;
    /** Hosted UI base URL: https://<prefix>.auth.<region>.amazoncognito.com. */
    public readonly domainPrefix: string;

    constructor(name: string, args: AuthArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:edge:Auth", name, {}, opts);
        const cfg = args.config;
        const child = { parent: this };
        const stateful = { parent: this, protect: args.protect, retainOnDelete: args.protect };

        const pool = new aws.cognito.UserPool(
            `${name}-user-pool`,
            {
                name: `${args.namePrefix}-users`,
                userPoolTier: cfg.featurePlan,
                usernameAttributes: ["email"],
                autoVerifiedAttributes: ["email"],
                usernameConfiguration: { caseSensitive: false },
                passwordPolicy: {
                    minimumLength: 12,
                    requireLowercase: true,
                    requireUppercase: true,
                    requireNumbers: true,
                    requireSymbols: true,
                    temporaryPasswordValidityDays: 3,
                },
                mfaConfiguration: cfg.mfa,
                softwareTokenMfaConfiguration: { enabled: true },
                userPoolAddOns: { advancedSecurityMode: cfg.advancedSecurity },
                accountRecoverySetting: { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] },
                adminCreateUserConfig: { allowAdminCreateUserOnly: !cfg.selfSignUp },
                deletionProtection: cfg.deletionProtection ? "ACTIVE" : "INACTIVE",
            },
            stateful,
        );

        // The site's own URLs always, plus the extra ones of the config (e.g. localhost in dev).
        const callbackUrls = [pulumi.interpolate`${args.siteOrigin}/auth/callback`, ...cfg.callbackUrls];
        const logoutUrls = [pulumi.interpolate`${args.siteOrigin}/`, ...cfg.logoutUrls];
        const client = new aws.cognito.UserPoolClient(
            `${name}-web-client`,
            {
                name: `${args.namePrefix}-web`,
                userPoolId: pool.id,
                generateSecret: false,
                allowedOauthFlowsUserPoolClient: true,
                allowedOauthFlows: ["code"],
                allowedOauthScopes: ["openid", "email", "profile"],
                supportedIdentityProviders: ["COGNITO"],
                callbackUrls,
                logoutUrls,
                explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                preventUserExistenceErrors: "ENABLED",
                enableTokenRevocation: true,
                accessTokenValidity: cfg.tokenValidity.accessTokenMinutes,
                idTokenValidity: cfg.tokenValidity.idTokenMinutes,
                refreshTokenValidity: cfg.tokenValidity.refreshTokenDays,
                tokenValidityUnits: { accessToken: "minutes", idToken: "minutes", refreshToken: "days" },
                authSessionValidity: 3,
            },
            child,
        );

        this.domainPrefix = cfg.domainPrefix ?? args.namePrefix;
        new aws.cognito.UserPoolDomain(`${name}-domain`, { domain: this.domainPrefix, userPoolId: pool.id }, child);

        const identityPool = new aws.cognito.IdentityPool(
            `${name}-identity-pool`,
            {
                identityPoolName: `${args.namePrefix.replace(/-/g, "_")}_identities`,
                allowUnauthenticatedIdentities: false,
                allowClassicFlow: false,
                cognitoIdentityProviders: [{ clientId: client.id, providerName: pool.endpoint, serverSideTokenCheck: true }],
            },
            child,
        );
        const authenticated = new aws.iam.Role(
            `${name}-authenticated-role`,
            {
                name: `${args.namePrefix}-cognito-authenticated`,
                description: "Signed-in users of the identity pool; no permissions until the web app needs AWS access",
                assumeRolePolicy: identityPool.id.apply((id) => JSON.stringify(identityPoolTrustPolicy(id))),
                maxSessionDuration: 3600,
            },
            child,
        );
        new aws.cognito.IdentityPoolRoleAttachment(`${name}-identity-roles`, { identityPoolId: identityPool.id, roles: { authenticated: authenticated.arn } }, child);

        this.userPoolId = pool.id;
        this.userPoolArn = pool.arn;
        this.userPoolEndpoint = pool.endpoint;
        this.clientId = client.id;
        this.identityPoolId = identityPool.id;
        this.registerOutputs({ userPoolId: this.userPoolId, clientId: this.clientId, identityPoolId: this.identityPoolId });
    }
}
