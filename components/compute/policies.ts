/**
 * Pure builders of the resource policies of the compute tier: ECR lifecycle and pull policies,
 * SQS queue policies (SNS topics and EventBridge rules pinned by aws:SourceArn) and SNS topic
 * policies (EventBridge rules pinned by aws:SourceArn).
 */

/** Expire untagged images after `untaggedDays`, keep the newest `keep` images of any tag. */
export function lifecyclePolicy(keep: number, untaggedDays: number): object {
    return {
        rules: [
            {
                rulePriority: 1,
                description: `Expire untagged images after ${untaggedDays} days`,
                selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: untaggedDays },
                action: { type: "expire" },
            },
            {
                rulePriority: 2,
                description: `Keep the last ${keep} images`,
                selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep },
                action: { type: "expire" },
            },
        ],
    };
}

/** Lambda may pull images for this stack's functions only (Lambda checks this policy on create/update). */
export function lambdaPullPolicy(functionArnPattern: string): object {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "LambdaPullForStackFunctions",
                Effect: "Allow",
                Principal: { Service: "lambda.amazonaws.com" },
                Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                Condition: { StringLike: { "aws:sourceArn": functionArnPattern } },
            },
        ],
    };
}

const denyInsecure = (service: "sqs" | "sns", arn: string) => ({
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: `${service}:*`,
    Resource: arn,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
});

/**
 * Queue policy: each subscribed SNS topic and each targeting EventBridge rule may SendMessage,
 * pinned to its own ARN (confused-deputy guard); plain HTTP is denied.
 */
export function queuePolicy(queueArn: string, topicArns: readonly string[], ruleArns: readonly string[]): object {
    const statements: object[] = [];
    if (topicArns.length > 0) {
        statements.push({
            Sid: "SubscribedTopicsSend",
            Effect: "Allow",
            Principal: { Service: "sns.amazonaws.com" },
            Action: "sqs:SendMessage",
            Resource: queueArn,
            Condition: { ArnEquals: { "aws:SourceArn": [...topicArns].sort() } },
        });
    }
    if (ruleArns.length > 0) {
        statements.push({
            Sid: "EventRulesSend",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sqs:SendMessage",
            Resource: queueArn,
            Condition: { ArnEquals: { "aws:SourceArn": [...ruleArns].sort() } },
        });
    }
    statements.push(denyInsecure("sqs", queueArn));
    return { Version: "2012-10-17", Statement: statements };
}

/** Topic policy: the account manages and uses it through IAM; named EventBridge rules may publish. */
export function topicPolicy(topicArn: string, accountRootArn: string, ruleArns: readonly string[]): object {
    const statements: object[] = [
        {
            Sid: "AccountUsesTopicThroughIam",
            Effect: "Allow",
            Principal: { AWS: accountRootArn },
            Action: ["sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic", "sns:Publish", "sns:SetTopicAttributes", "sns:Subscribe"],
            Resource: topicArn,
        },
    ];
    if (ruleArns.length > 0) {
        statements.push({
            Sid: "EventRulesPublish",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: { ArnEquals: { "aws:SourceArn": [...ruleArns].sort() } },
        });
    }
    statements.push(denyInsecure("sns", topicArn));
    return { Version: "2012-10-17", Statement: statements };
}
