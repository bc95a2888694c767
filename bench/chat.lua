-- wrk script for bench/run.sh: POSTs a short OpenAI chat request and, when done, prints one machine-readable line.
-- Arguments (after "--" on the wrk command line): <token> <json|stream>

wrk.method = "POST"
wrk.path = "/v1/chat/completions"
wrk.headers["Content-Type"] = "application/json"

-- init runs in every thread's Lua state before wrk builds the request, so the body can depend on the arguments.
function init(args)
   local token = args[1] or "bench-token"
   local stream = args[2] == "stream"
   wrk.headers["Authorization"] = "Bearer " .. token
   if stream then
      wrk.body = '{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Hello there"}]}'
   else
      wrk.body = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello there"}]}'
   end
end

-- done runs once with all threads' results merged; latencies are in microseconds.
function done(summary, latency, requests)
   local seconds = summary.duration / 1e6
   local e = summary.errors
   io.write(string.format(
      "BENCH rps=%.1f p50_ms=%.3f p99_ms=%.3f requests=%d non2xx=%d socket_errors=%d\n",
      summary.requests / seconds,
      latency:percentile(50) / 1000,
      latency:percentile(99) / 1000,
      summary.requests,
      e.status,
      e.connect + e.read + e.write + e.timeout))
end
