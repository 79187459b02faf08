/**
 * The shared limit store's Lua scripts: each check-and-take runs atomically on the shared server,
 * so two instances can never both take the last slot of a limit. Keys of one client share a hash
 * tag ({client}) so they live together on a cluster too. A spend hash missing on the server (a
 * new period, or a server restarted empty) makes a script answer 'seed': the caller seeds it from
 * the durable store and tries again.
 */

const SPEND_FIELDS = `local FIELDS = {'requests', 'inputTokens', 'outputTokens', 'costUsd', 'unpricedRequests'}`;

/**
 * KEYS: running (zset lease→expiry), requests (zset lease→time), tokens (hash second→tokens),
 * day, month, lifetime (spend hashes).
 * ARGV: now, lease id, estimate, rpm, tpm, concurrency, maxRequests, dailyUsd, monthlyUsd (-1 =
 * none), lease lifetime ms.
 * Answers {'ok'}, {'seed'} or {limit name, retry after ms}.
 */
export const ADMIT = `
for i = 4, 6 do if redis.call('EXISTS', KEYS[i]) == 0 then return {'seed'} end end
local now = tonumber(ARGV[1])
local id = ARGV[2]
local estimate = tonumber(ARGV[3])
local rpm, tpm, concurrency = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local maxRequests, daily, monthly = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
local window = 60000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local running = redis.call('ZCARD', KEYS[1])
local function spent(key, field) return tonumber(redis.call('HGET', key, field) or '0') end
if maxRequests >= 0 and spent(KEYS[6], 'requests') + running >= maxRequests then return {'maxRequests', '0'} end
if monthly >= 0 and spent(KEYS[5], 'costUsd') >= monthly then return {'monthlyBudgetUsd', '0'} end
if daily >= 0 and spent(KEYS[4], 'costUsd') >= daily then return {'dailyBudgetUsd', '0'} end
if concurrency >= 0 and running >= concurrency then return {'concurrency', '1000'} end
if rpm >= 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
  local count = redis.call('ZCARD', KEYS[2])
  if count >= rpm then
    local oldest = redis.call('ZRANGE', KEYS[2], count - rpm, count - rpm, 'WITHSCORES')
    return {'rpm', tostring(tonumber(oldest[2] or now) + window - now)}
  end
end
if tpm >= 0 then
  -- One-second slices (field = slice number), as policy/sliding-window.ts: a slice counts until a
  -- full minute after its end. At most 61 fields, whatever the traffic.
  local head = math.floor(now / 1000)
  local fields = redis.call('HGETALL', KEYS[3])
  local slices, sum = {}, 0
  for i = 1, #fields, 2 do
    local slice, amount = tonumber(fields[i]), tonumber(fields[i + 1])
    if slice <= head - 61 then redis.call('HDEL', KEYS[3], fields[i])
    else
      sum = sum + amount
      slices[#slices + 1] = {slice, amount}
    end
  end
  -- A request larger than the whole limit still runs when the minute is empty (else never).
  local need = math.min(estimate, tpm)
  if sum + need > tpm then
    table.sort(slices, function(a, b) return a[1] < b[1] end)
    local remaining = sum
    for _, entry in ipairs(slices) do
      remaining = remaining - entry[2]
      if remaining + need <= tpm or remaining <= 0 then return {'tpm', tostring((entry[1] + 61) * 1000 - now)} end
    end
    return {'tpm', tostring(61000)}
  end
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[10]), id)
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[10]))
if rpm >= 0 then
  redis.call('ZADD', KEYS[2], now, id)
  redis.call('PEXPIRE', KEYS[2], window)
end
if tpm >= 0 then
  redis.call('HINCRBY', KEYS[3], math.floor(now / 1000), estimate)
  redis.call('PEXPIRE', KEYS[3], window + 2000)
end
return {'ok'}
`;

/**
 * KEYS: running, tokens, day, month, lifetime.
 * ARGV: lease id, admitted at, estimate, tokens used, input, output, cost ('' = unpriced).
 * Frees the slot, corrects the token estimate, adds the spend. Answers {'seed'} when a spend hash
 * is missing (nothing added then), else the day's and month's totals as two flat lists.
 */
export const SETTLE = `
${SPEND_FIELDS}
redis.call('ZREM', KEYS[1], ARGV[1])
-- The estimate is corrected in its slice while that still counts (never below zero).
local slice = tostring(math.floor(tonumber(ARGV[2]) / 1000))
local counted = redis.call('HGET', KEYS[2], slice)
if ARGV[3] ~= ARGV[4] and counted then
  redis.call('HSET', KEYS[2], slice, math.max(0, tonumber(counted) + tonumber(ARGV[4]) - tonumber(ARGV[3])))
end
for i = 3, 5 do if redis.call('EXISTS', KEYS[i]) == 0 then return {'seed'} end end
for i = 3, 5 do
  redis.call('HINCRBY', KEYS[i], 'requests', 1)
  redis.call('HINCRBY', KEYS[i], 'inputTokens', ARGV[5])
  redis.call('HINCRBY', KEYS[i], 'outputTokens', ARGV[6])
  if ARGV[7] == '' then redis.call('HINCRBY', KEYS[i], 'unpricedRequests', 1)
  else redis.call('HINCRBYFLOAT', KEYS[i], 'costUsd', ARGV[7]) end
end
return {'ok', redis.call('HMGET', KEYS[3], unpack(FIELDS)), redis.call('HMGET', KEYS[4], unpack(FIELDS))}
`;

/**
 * KEYS: one spend hash. ARGV: the five totals from the durable store, the same five as a delta,
 * time to live ms (0 = none). A missing hash is created from the durable totals (which already
 * hold the delta); an existing one gets the delta added.
 */
export const SEED_OR_ADD = `
${SPEND_FIELDS}
if redis.call('EXISTS', KEYS[1]) == 0 then
  for i = 1, 5 do redis.call('HSET', KEYS[1], FIELDS[i], ARGV[i]) end
  if tonumber(ARGV[11]) > 0 then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[11])) end
  return 1
end
for i = 1, 5 do
  if ARGV[5 + i] ~= '0' then
    if FIELDS[i] == 'costUsd' then redis.call('HINCRBYFLOAT', KEYS[1], FIELDS[i], ARGV[5 + i])
    else redis.call('HINCRBY', KEYS[1], FIELDS[i], ARGV[5 + i]) end
  end
end
return 0
`;
