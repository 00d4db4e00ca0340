-- A filtered page of 100 of $COLLECTION (default items) on an indexed field, varying the value and the
-- page, sending $AUTHORIZATION as the Authorization header when it is set.
local statuses = {"draft", "published", "endofsale", "archived", "review"}
local collection = os.getenv("COLLECTION") or "items"
local headers = {Authorization = os.getenv("AUTHORIZATION")}
math.randomseed(7)
request = function()
    local status = statuses[math.random(#statuses)]
    local offset = 100 * math.random(0, 9)
    local path = "/api/v1/" .. collection .. "?eq(status," .. status .. ")&limit=100&offset=" .. offset
    return wrk.format("GET", path, headers)
end
