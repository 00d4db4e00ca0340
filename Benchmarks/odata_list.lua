-- A filtered page of 100 items on the indexed field status, varying the value and the page:
--   API=odata          GET /odata/items?$filter=status eq 'X'&$top=100&$skip=N&$count=true
--   API=odata-nocount  the same without $count
--   API=rest           GET /api/v1/items?eq(status,X)&limit=100&offset=N (counts the matches: Content-Range)
--   API=rest-nocount   the same with Prefer: count=none
local statuses = {"draft", "published", "endofsale", "archived", "review"}
local api = os.getenv("API") or "odata"
math.randomseed(7)
request = function()
    local status = statuses[math.random(#statuses)]
    local offset = 100 * math.random(0, 9)
    if api == "rest" or api == "rest-nocount" then
        local headers = api == "rest-nocount" and {Prefer = "count=none"} or {}
        return wrk.format("GET", "/api/v1/items?eq(status," .. status .. ")&limit=100&offset=" .. offset, headers)
    end
    local path = "/odata/items?$filter=status%20eq%20%27" .. status .. "%27&$top=100&$skip=" .. offset
    if api == "odata" then
        path = path .. "&$count=true"
    end
    return wrk.format("GET", path)
end
