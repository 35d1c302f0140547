/**
 * @internal The Lua scripts of the shared budget. Amounts are integer micro-USD, so sums are
 * exact; time is Redis's own (`TIME`), so workers on machines whose clocks differ agree on
 * when a reservation expires. KEYS: 1 spent, 2 deadlines (zset), 3 amounts (hash).
 */
const PRELUDE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
-- Reservations past their deadline belong to dead workers: reclaim them first.
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
for _, id in ipairs(expired) do redis.call('HDEL', KEYS[3], id) end
if #expired > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now) end
local function reservedTotal()
  local total = 0
  for _, amount in ipairs(redis.call('HVALS', KEYS[3])) do total = total + tonumber(amount) end
  return total
end
`;

/**
 * @internal Reserves ARGV[2] micro-USD for job ARGV[1] if spent + reserved + amount ≤ limit
 * (ARGV[3]) and something is left; the reservation expires ARGV[4] ms from now unless renewed.
 * A job that reserves again replaces its reservation. Returns
 * `{granted (0|1), spent, reserved (with this one when granted), reclaimed}`.
 */
export const RESERVE_SCRIPT = `${PRELUDE}
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
local spent = tonumber(redis.call('GET', KEYS[1]) or '0')
local reserved = reservedTotal()
local amount = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
if spent + reserved + amount > limit or spent + reserved >= limit then
  return {0, spent, reserved, #expired}
end
redis.call('HSET', KEYS[3], ARGV[1], amount)
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[4]), ARGV[1])
return {1, spent, reserved + amount, #expired}
`;

/**
 * @internal Replaces job ARGV[1]'s reservation by its actual cost ARGV[2] (added to spent even
 * when the reservation had expired: the money was spent). Returns the new spent total.
 */
export const SETTLE_SCRIPT = `
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return redis.call('INCRBY', KEYS[1], ARGV[2])
`;

/**
 * @internal Moves job ARGV[1]'s reservation deadline to ARGV[2] ms from now; returns 0 when it
 * has none any more (settled, or expired and reclaimed).
 */
export const RENEW_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if redis.call('HEXISTS', KEYS[3], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[1])
return 1
`;

/** @internal Reclaims expired reservations, then returns `{spent, reserved, reservations}`. */
export const STATE_SCRIPT = `${PRELUDE}
return {tonumber(redis.call('GET', KEYS[1]) or '0'), reservedTotal(), redis.call('HLEN', KEYS[3])}
`;
