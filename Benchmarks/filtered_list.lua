-- A filtered page of 100 on an indexed field, varying the value and the page.
local statuses = {"draft", "published", "endofsale", "archived", "review"}
math.randomseed(7)
request = function()
    local status = statuses[math.random(#statuses)]
    local offset = 100 * math.random(0, 9)
    return wrk.format("GET", "/api/v1/items?eq(status," .. status .. ")&limit=100&offset=" .. offset)
end
