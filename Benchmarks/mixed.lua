-- A mix of reads (and writes) on $COLLECTION (default products), chosen per request, with the latency of
-- each kind of request recorded here (wrk's own histogram mixes them). Benchmarks/mixed.sh runs it.
--   wrk -tN -cN -s Benchmarks/mixed.lua URL -- read|mixed
-- One connection per thread (-t equal to -c): wrk does not tell a script which connection an answer
-- belongs to, so a thread's request() and response() pair up only when the thread has one connection.
--   read:  85 % GET /api/v1/products/ID (a random id of $IDS_FILE), 15 % GET /api/v1/products?
--          eq(status,published)&limit=50&offset=N, N one of 0, 50, … 250 (exact total in Content-Range)
--   mixed: 75 % GET by id, the same 15 % of lists, 7 % PATCH of a random id of $IDS_FILE (a new price,
--          and half the time a status out of four, so the totals change), 3 % POST of a new product
--          (half of them published)
-- $AUTHORIZATION, when set, is sent as the Authorization header. done() prints lines "mixed KEY VALUE":
-- requests/s, p50/p99 of every request and of each kind (ms, as measured: from request() to response()),
-- wrk's own p50/p99 of every request (with its correction for coordinated omission), non-2xx answers per
-- kind, lists whose Content-Range had no total, and wrk's socket errors.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } mixed_timespec;
int clock_gettime(int clock, mixed_timespec *now);
]]
local clock = ffi.new("mixed_timespec")
local function microseconds()
    ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
    return tonumber(clock.tv_sec) * 1e6 + tonumber(clock.tv_nsec) / 1e3
end

local KINDS = {"get", "list", "patch", "post"}
local GET, LIST, PATCH, POST = 1, 2, 3, 4
local STATUSES = {"published", "draft", "review", "archived"}
-- Latencies go to buckets of 1 % (bucket b holds exp(b / 100) µs); one flat table per thread, which
-- thread:get copies to done(): histogram[kind * 10000 + bucket] (kind 0: every request) and
-- counters[kind] (non-2xx answers), counters[10] (lists without a total).
local BUCKET = 10000

-- The main state: the threads, for done().
local threads = {}
function setup(thread)
    threads[#threads + 1] = thread
    thread:set("number", #threads)
end

-- A thread's state.
histogram = {}
counters = {}
local ids, width, count
local shares
local collection = os.getenv("COLLECTION") or "products"
local authorization = os.getenv("AUTHORIZATION")
local reads = {Authorization = authorization}
local writes = {Authorization = authorization, ["Content-Type"] = "application/json"}
local kind, started = 0, 0
local created = 0

function init(args)
    local mode = args[1] or "read" -- (args[0] is the URL)
    if mode == "read" then
        shares = {0.85, 1.0, 1.0}
    elseif mode == "mixed" then
        shares = {0.75, 0.90, 0.97}
    else
        error("mixed.lua: the mode is read or mixed, not " .. mode)
    end
    -- The ids as one string of fixed-width lines (100,000 ids are 2.7 MB, once per thread).
    local file = assert(io.open(os.getenv("IDS_FILE")))
    ids = file:read("*a")
    file:close()
    width = (ids:find("\n", 1, true) or error("mixed.lua: no id in IDS_FILE"))
    if #ids % width ~= 0 then error("mixed.lua: the ids of IDS_FILE must all have the same length") end
    count = #ids / width
    math.randomseed(1000 * (number or 0) + (mode == "read" and 1 or 2))
end

local function id()
    local start = (math.random(count) - 1) * width
    return ids:sub(start + 1, start + width - 1)
end

request = function()
    local r = math.random()
    started = microseconds()
    if r < shares[1] then
        kind = GET
        return wrk.format("GET", "/api/v1/" .. collection .. "/" .. id(), reads)
    elseif r < shares[2] then
        kind = LIST
        return wrk.format("GET", "/api/v1/" .. collection .. "?eq(status,published)&limit=50&offset="
            .. 50 * math.random(0, 5), reads)
    elseif r < shares[3] then
        kind = PATCH
        local price = string.format("%.2f", math.random(1, 100000) / 100)
        local body
        if math.random() < 0.5 then
            body = '{"price":' .. price .. ',"status":"' .. STATUSES[math.random(#STATUSES)] .. '"}'
        else
            body = '{"price":' .. price .. '}'
        end
        return wrk.format("PATCH", "/api/v1/" .. collection .. "/" .. id(), writes, body)
    else
        kind = POST
        created = created + 1
        local status = math.random() < 0.5 and "published" or "draft"
        local body = string.format('{"name":"new product %d-%d","status":"%s","price":%.2f}', number or 0,
            created, status, math.random(1, 100000) / 100)
        return wrk.format("POST", "/api/v1/" .. collection, writes, body)
    end
end

local function record(slot, elapsed)
    local bucket = math.floor(math.log(elapsed < 1 and 1 or elapsed) * 100)
    local key = slot * BUCKET + bucket
    histogram[key] = (histogram[key] or 0) + 1
end

response = function(status, headers, body)
    local elapsed = microseconds() - started
    record(0, elapsed)
    record(kind, elapsed)
    if status < 200 or status > 299 then
        counters[kind] = (counters[kind] or 0) + 1
    elseif kind == LIST then
        local range = headers["Content-Range"] or headers["content-range"] or ""
        if not range:find("/%d+$") then counters[10] = (counters[10] or 0) + 1 end
    end
end

-- The main state again: every thread's histogram and counters, merged.
local function percentile(merged, slot, p)
    local buckets, total = {}, 0
    for key, n in pairs(merged) do
        if math.floor(key / BUCKET) == slot then
            buckets[#buckets + 1] = key % BUCKET
            total = total + n
        end
    end
    if total == 0 then return nil, 0 end
    table.sort(buckets)
    local wanted, seen = p / 100 * total, 0
    for _, bucket in ipairs(buckets) do
        seen = seen + merged[slot * BUCKET + bucket]
        if seen >= wanted then return math.exp((bucket + 0.5) / 100) / 1000, total end
    end
    return math.exp((buckets[#buckets] + 0.5) / 100) / 1000, total
end

function done(summary, latency, requests)
    local merged, sums = {}, {}
    for _, thread in ipairs(threads) do
        for key, n in pairs(thread:get("histogram")) do merged[key] = (merged[key] or 0) + n end
        for key, n in pairs(thread:get("counters")) do sums[key] = (sums[key] or 0) + n end
    end
    local seconds = summary.duration / 1e6
    local function line(key, value) io.write("mixed ", key, " ", value, "\n") end
    line("requests", summary.requests)
    line("rps", string.format("%.1f", summary.requests / seconds))
    for slot = 0, #KINDS do
        local name = slot == 0 and "all" or KINDS[slot]
        local p50, n = percentile(merged, slot, 50)
        local p99 = percentile(merged, slot, 99)
        line(name .. "_count", n)
        line(name .. "_p50_ms", p50 and string.format("%.2f", p50) or "-")
        line(name .. "_p99_ms", p99 and string.format("%.2f", p99) or "-")
        if slot > 0 then line(name .. "_non2xx", sums[slot] or 0) end
    end
    -- wrk's own percentiles, for comparison with its output (Benchmarks/run.sh's tables): wrk adds to its
    -- histogram, after the run, the answers a connection would have waited for had it sent at a steady
    -- rate (a correction for coordinated omission), so they are above the latencies measured here.
    line("wrk_p50_ms", string.format("%.2f", latency:percentile(50) / 1000))
    line("wrk_p99_ms", string.format("%.2f", latency:percentile(99) / 1000))
    line("list_without_total", sums[10] or 0)
    local e = summary.errors
    line("socket_errors", e.connect + e.read + e.write + e.timeout)
end
