-- POST the body in the file BODY_FILE to TARGET (default /odata/$batch) with CONTENT_TYPE, signed with
-- $AUTHORIZATION: one $batch changeset of 1,000 creates, or a REST bulk create of 1,000.
local file = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.path = os.getenv("TARGET") or "/odata/$batch"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = os.getenv("CONTENT_TYPE")
wrk.headers["Accept"] = os.getenv("ACCEPT") or "application/json"
wrk.headers["Authorization"] = os.getenv("AUTHORIZATION")
