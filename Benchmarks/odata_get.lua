-- GET a random item by key, through OData (API=odata: /odata/items('ID')) or REST (API=rest:
-- /api/v1/items/ID), from the ids listed in the file named by IDS_FILE.
local ids = {}
for line in io.lines(os.getenv("IDS_FILE")) do
    ids[#ids + 1] = line
end
local api = os.getenv("API") or "odata"
math.randomseed(42)
request = function()
    local id = ids[math.random(#ids)]
    if api == "rest" then
        return wrk.format("GET", "/api/v1/items/" .. id)
    end
    return wrk.format("GET", "/odata/items('" .. id .. "')")
end
