/**
 * @internal Publishes a rate-limit pause of ARGV[1] ms (reason ARGV[2]) for a whole queue, once
 * and atomically: nothing happens when a pause at least as long is already on (so pauses
 * only grow, and a pause another worker applied locally is not published back). Otherwise
 * the pause key is set to expire when the pause ends, BullMQ's limiter key of the queue is
 * set so no worker fetches a job before then (what `worker.rateLimit(ms)` does, but never
 * shortening a longer limit), and `{ms, reason, origin}` is published on ARGV[3].
 * KEYS: 1 pause, 2 BullMQ limiter. Returns 1 when published, else 0.
 */
export const PAUSE_SCRIPT = `
local ms = tonumber(ARGV[1])
if ms <= 0 then return 0 end
if redis.call('PTTL', KEYS[1]) >= ms then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ms)
local limited = redis.call('PTTL', KEYS[2])
redis.call('SET', KEYS[2], '9007199254740991', 'PX', math.max(ms, limited))
redis.call('PUBLISH', ARGV[3], cjson.encode({ms = ms, reason = ARGV[2], origin = ARGV[4]}))
return 1
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
