-- GET a random NGSI-LD entity by id, through NGSI-LD (API=ngsild) or through REST (API=rest), from
-- the N entities urn:ngsi-ld:Room:0 … N-1 (N = $ENTITIES).
local entities = tonumber(os.getenv("ENTITIES"))
local api = os.getenv("API") or "ngsild"
math.randomseed(42)
request = function()
    local id = "urn:ngsi-ld:Room:" .. math.random(0, entities - 1)
    if api == "rest" then
        return wrk.format("GET", "/api/v1/ngsild/" .. id:gsub(":", "%%3A"))
    end
    return wrk.format("GET", "/ngsi-ld/v1/entities/" .. id)
end
