/**
 * The Redis pub/sub channel the scheduler asks the workers of a queue to cancel an active job
 * on (`{"jobId":…,"reason":…}`): the worker holding it aborts its query.
 * @internal
 */
export function cancelChannelOf(prefix: string, queueName: string): string {
  return `${prefix}:${queueName}:claude-actors:cancel`;
}
