-- GET /api/v1/_sync/changes?cursor=$CURSOR&limit=$LIMIT with Authorization: $AUTHORIZATION: the same
-- pull again and again (a device asking what changed after its cursor).
local path = "/api/v1/_sync/changes?limit=" .. (os.getenv("LIMIT") or "100") .. "&cursor=" .. os.getenv("CURSOR")
local headers = {Authorization = os.getenv("AUTHORIZATION")}
request = function()
    return wrk.format("GET", path, headers)
end
