-- GET $TARGET again and again, with Accept: application/xml and, when $GZIP is set, Accept-Encoding: gzip.
local headers = {Accept = "application/xml"}
if os.getenv("GZIP") then
    headers["Accept-Encoding"] = "gzip"
end
local target = os.getenv("TARGET")
request = function()
    return wrk.format("GET", target, headers)
end
