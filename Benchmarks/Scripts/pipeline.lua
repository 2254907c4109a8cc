-- wrk script: sends `depth` pipelined GET requests per round trip (default 16), so the load
-- generator spends less CPU per request and the server, not wrk, is the bottleneck.
--   wrk -t1 -c64 -d10s -s Benchmarks/Scripts/pipeline.lua http://127.0.0.1:8080/ -- 16
local depth = 16
init = function(args)
  depth = tonumber(args[1]) or 16
  local path = wrk.path
  local request = wrk.format("GET", path)
  req = string.rep(request, depth)
end
request = function() return req end
