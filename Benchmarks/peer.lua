-- One row of Benchmarks/peer.sh against EntityHub or datasette, on the same products:
--   $TARGET  entityhub | datasette
--   $ROW     get     — one product by a random id of $IDS_FILE: /api/v1/products/ID vs /peer/products/ID.json
--            count   — the first page of 100 of status = X (X random out of four), with the number of matches:
--                      /api/v1/products?eq(status,X)&limit=100 (total in Content-Range) vs
--                      /peer/products.json?status=X&_size=100 (filtered_table_rows_count)
--            nocount — the same without the number: Prefer: count=none vs &_nocount=1
-- $AUTHORIZATION, when set, is sent to EntityHub. Every answer is checked: done() prints
-- "peer bad N", the answers that were not 200 or did not carry (or, for nocount, did carry) the total.
local STATUSES = {"published", "draft", "review", "archived"}
local target = os.getenv("TARGET") or "entityhub"
local row = os.getenv("ROW") or "get"
local ids, width, count

local threads = {}
function setup(thread)
    threads[#threads + 1] = thread
    thread:set("number", #threads)
end

bad = 0
local headers = {}

function init(args)
    if target == "entityhub" then
        headers.Authorization = os.getenv("AUTHORIZATION")
        if row == "nocount" then headers.Prefer = "count=none" end
    end
    if row == "get" then
        local file = assert(io.open(os.getenv("IDS_FILE")))
        ids = file:read("*a")
        file:close()
        width = (ids:find("\n", 1, true) or error("peer.lua: no id in IDS_FILE"))
        count = #ids / width
    end
    math.randomseed(number or 0)
end

request = function()
    if row == "get" then
        local start = (math.random(count) - 1) * width
        local id = ids:sub(start + 1, start + width - 1)
        if target == "entityhub" then
            return wrk.format("GET", "/api/v1/products/" .. id, headers)
        end
        return wrk.format("GET", "/peer/products/" .. id .. ".json", headers)
    end
    local status = STATUSES[math.random(#STATUSES)]
    if target == "entityhub" then
        return wrk.format("GET", "/api/v1/products?eq(status," .. status .. ")&limit=100", headers)
    end
    return wrk.format("GET", "/peer/products.json?status=" .. status .. "&_size=100"
        .. (row == "nocount" and "&_nocount=1" or ""), headers)
end

response = function(status, headers, body)
    if status ~= 200 then
        bad = bad + 1
    elseif row ~= "get" then
        local counted
        if target == "entityhub" then
            counted = (headers["Content-Range"] or headers["content-range"] or ""):find("/%d+$") ~= nil
        else
            counted = body:find('"filtered_table_rows_count":%s*%d') ~= nil
        end
        if counted ~= (row == "count") then bad = bad + 1 end
    end
end

function done(summary, latency, requests)
    local total = 0
    for _, thread in ipairs(threads) do total = total + thread:get("bad") end
    io.write("peer bad ", total, "\n")
end
