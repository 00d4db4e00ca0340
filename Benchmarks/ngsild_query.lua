-- A page of 100 entities of one type with temperature >= 30, through NGSI-LD (API=ngsild:
-- type=T&q=temperature>=30) or the same filter through REST (API=rest: RQL on the stored document),
-- varying the type and the page.
local types = {"Room", "Sensor", "Building", "Vehicle", "Parking"}
local api = os.getenv("API") or "ngsild"
math.randomseed(7)
request = function()
    local type = types[math.random(#types)]
    local offset = 100 * math.random(0, 9)
    if api == "rest" then
        return wrk.format("GET", "/api/v1/ngsild?eq(type," .. type .. ")&ge(temperature.value,30)&limit=100&offset=" .. offset)
    end
    return wrk.format("GET", "/ngsi-ld/v1/entities?type=" .. type .. "&q=temperature%3E%3D30&limit=100&offset=" .. offset)
end
