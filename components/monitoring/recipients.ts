/**
 * Alarm and budget recipients that can never be reached. RFC 2606 reserves `example.com`,
 * `example.net`, `example.org` and the top-level names `.example`, `.test`, `.invalid` and
 * `.localhost` (RFC 6761: no mail is ever delivered there). A stack file that still names such an
 * address after a copy-and-paste has alarms that reach nobody, and nothing else would say so: SNS
 * accepts the subscription and waits forever for its confirmation.
 */

const RESERVED_SECOND_LEVEL = new Set(["example.com", "example.net", "example.org"]);
const RESERVED_TOP_LEVEL = new Set(["example", "test", "invalid", "localhost"]);

/** The reserved domain an address is at, or undefined when it can receive mail. */
export function reservedMailDomain(email: string): string | undefined {
    const domain = email.slice(email.lastIndexOf("@") + 1).toLowerCase().replace(/\.$/, "");
    const labels = domain.split(".");
    const tld = labels[labels.length - 1];
    if (RESERVED_TOP_LEVEL.has(tld)) {
        return `.${tld}`;
    }
    const secondLevel = labels.slice(-2).join(".");
    return RESERVED_SECOND_LEVEL.has(secondLevel) ? secondLevel : undefined;
}

export interface RecipientSettings {
    environment: string;
    /** `monitoring.notifications.emails`. */
    notificationEmails: readonly string[];
    /** `monitoring.budget.emails`. */
    budgetEmails: readonly string[];
    /** Whether `monitoring.notifications.slack` is set. */
    slack: boolean;
}

/**
 * Warnings about who the alarms reach, one line each, with the key to fix: every address at a
 * reserved domain, and, in prod, alarms that reach nobody at all (seed 001 AC-OPS-2: prod alarms
 * must notify someone). Warnings, not errors: the committed stack files carry placeholders until
 * the team fills in its lists, and a preview must still run.
 */
export function recipientWarnings(s: RecipientSettings): string[] {
    const out: string[] = [];
    const lists: Array<[string, readonly string[]]> = [
        ["monitoring.notifications.emails", s.notificationEmails],
        ["monitoring.budget.emails", s.budgetEmails],
    ];
    for (const [key, emails] of lists) {
        emails.forEach((email, i) => {
            const domain = reservedMailDomain(email);
            if (domain !== undefined) {
                out.push(
                    `${key}[${i}]: ${email} is at ${domain}, a reserved domain that never receives mail (RFC 2606), so nobody gets these notifications; ` +
                        `fix: pulumi config set --path '${key}[${i}]' <team list> --stack <stack>`,
                );
            }
        });
    }
    const reachable = s.notificationEmails.filter((e) => reservedMailDomain(e) === undefined);
    if (s.environment === "prod" && reachable.length === 0 && !s.slack) {
        out.push(
            "monitoring: prod alarms reach nobody (seed 001 AC-OPS-2): monitoring.notifications.emails has no deliverable address and .slack is not set; " +
                "set the on-call distribution list or a Slack channel",
        );
    }
    return out;
}
