-- PUT changes to the 1,000 entities listed in IDS_FILE as one bulk update (only the given fields),
-- signed with $AUTHORIZATION.
local ids = {}
for line in io.lines(os.getenv("IDS_FILE")) do
    ids[#ids + 1] = line
end
local round = 0
request = function()
    round = round + 1
    local items = {}
    for i = 1, #ids do
        items[i] = string.format('{"id":"%s","qty":%d}', ids[i], (round + i) % 97)
    end
    return wrk.format("PUT", "/api/v1/items", {["Content-Type"] = "application/json", Authorization = os.getenv("AUTHORIZATION")}, "[" .. table.concat(items, ",") .. "]")
end
