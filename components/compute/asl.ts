/**
 * Amazon States Language for the workflows of seed 000 INFRA-007 (RAG processing / check): a chain
 * of Lambda invoke tasks, each with its timeout, Retry on transient Lambda errors and timeouts, and
 * a Catch that sends any remaining failure to the Failed state with the error in `$.error`.
 */

export interface WorkflowStep {
    name: string;
    functionArn: string;
    timeoutSeconds: number;
    retry: { maxAttempts: number; intervalSeconds: number; backoffRate: number };
}

export const RETRYABLE_ERRORS = [
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
    "States.Timeout",
];

export function workflowDefinition(args: { comment: string; partition: string; timeoutSeconds: number; steps: readonly WorkflowStep[] }): object {
    const states: Record<string, object> = {};
    args.steps.forEach((step, i) => {
        const next = args.steps[i + 1];
        states[step.name] = {
            Type: "Task",
            Resource: `arn:${args.partition}:states:::lambda:invoke`,
            Parameters: { FunctionName: step.functionArn, "Payload.$": "$" },
            OutputPath: "$.Payload",
            TimeoutSeconds: step.timeoutSeconds,
            Retry: [
                {
                    ErrorEquals: RETRYABLE_ERRORS,
                    IntervalSeconds: step.retry.intervalSeconds,
                    MaxAttempts: step.retry.maxAttempts,
                    BackoffRate: step.retry.backoffRate,
                },
            ],
            Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Failed" }],
            ...(next ? { Next: next.name } : { End: true }),
        };
    });
    states.Failed = { Type: "Fail", Error: "WorkflowFailed", Cause: "A step failed after its retries; see the execution history" };
    return { Comment: args.comment, StartAt: args.steps[0].name, TimeoutSeconds: args.timeoutSeconds, States: states };
}
