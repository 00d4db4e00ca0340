-- GET a random entity of $COLLECTION (default items) from the ids listed in the file named by IDS_FILE,
-- sending $AUTHORIZATION as the Authorization header when it is set.
local ids = {}
for line in io.lines(os.getenv("IDS_FILE")) do
    ids[#ids + 1] = line
end
local collection = os.getenv("COLLECTION") or "items"
local headers = {Authorization = os.getenv("AUTHORIZATION")}
math.randomseed(42)
request = function()
    return wrk.format("GET", "/api/v1/" .. collection .. "/" .. ids[math.random(#ids)], headers)
end
