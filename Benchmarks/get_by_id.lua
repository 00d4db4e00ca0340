-- GET a random entity from the ids listed in the file named by IDS_FILE.
local ids = {}
for line in io.lines(os.getenv("IDS_FILE")) do
    ids[#ids + 1] = line
end
math.randomseed(42)
request = function()
    return wrk.format("GET", "/api/v1/items/" .. ids[math.random(#ids)])
end
