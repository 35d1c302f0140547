/**
 * @internal Publishes a rate-limit pause of ARGV[1] ms (reason ARGV[2]) for a whole queue, once
 * and atomically: nothing happens when a pause at least as long is already on (so pauses
 * only grow, and a pause another worker applied locally is not published back). Otherwise
 * the pause key is set to expire when the pause ends and `{ms, reason, origin}` is published
 * on ARGV[3]. KEYS: 1 pause. Returns 1 when published, else 0. BullMQ's limiter key is set
 * by {@link LIMITER_SCRIPT} before: it may be in another Redis Cluster slot.
 */
export const PAUSE_SCRIPT = `
local ms = tonumber(ARGV[1])
if ms <= 0 then return 0 end
if redis.call('PTTL', KEYS[1]) >= ms then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ms)
redis.call('PUBLISH', ARGV[3], cjson.encode({ms = ms, reason = ARGV[2], origin = ARGV[4]}))
return 1
`;

/**
 * @internal Sets BullMQ's limiter key of the queue so that no worker fetches a job for ARGV[1]
 * ms (what `worker.rateLimit(ms)` does, but never shortening a longer limit). KEYS: 1 BullMQ
 * limiter. Returns the limit's ms left.
 */
export const LIMITER_SCRIPT = `
local ms = tonumber(ARGV[1])
if ms <= 0 then return 0 end
local limited = redis.call('PTTL', KEYS[1])
if limited >= ms then return limited end
redis.call('SET', KEYS[1], '9007199254740991', 'PX', ms)
return ms
`;

/**
 * @internal Gives the queue a rate limit that never limits by itself (max 2^53-1 jobs per ms)
 * when it has none, because BullMQ honours its limiter key only on a queue or worker with a
 * rate limit. KEYS: 1 BullMQ meta. Returns 1 when it set one.
 */
export const ENSURE_LIMITER_SCRIPT = `
if redis.call('HEXISTS', KEYS[1], 'max') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'max', '9007199254740991', 'duration', '1')
return 1
`;
