-- wrk script for bench/run.sh: POSTs a short chat request and, when done, prints one machine-readable line.
-- Arguments (after "--" on the wrk command line): <token> <json|stream> [openai|anthropic|translated]
--   openai (default): OpenAI chat for gpt-4o-mini to /v1/chat/completions, "Authorization: Bearer <token>";
--   anthropic: the equivalent Anthropic request for claude-haiku-4-5 to /v1/messages, "x-api-key: <token>";
--   translated: OpenAI chat for claude-haiku-4-5 to /v1/chat/completions (the router translates it to Anthropic).

wrk.method = "POST"
wrk.path = "/v1/chat/completions"
wrk.headers["Content-Type"] = "application/json"

local MESSAGES = '"messages":[{"role":"user","content":"Hello there"}]'

-- init runs in every thread's Lua state before wrk builds the request, so the request can depend on the arguments.
function init(args)
   local token = args[1] or "bench-token"
   local stream = args[2] == "stream" and '"stream":true,' or ''
   local flavor = args[3] or "openai"
   if flavor == "anthropic" then
      wrk.path = "/v1/messages"
      wrk.headers["x-api-key"] = token
      wrk.headers["anthropic-version"] = "2023-06-01"
      wrk.body = '{"model":"claude-haiku-4-5","max_tokens":4096,' .. stream .. MESSAGES .. '}'
   elseif flavor == "translated" then
      wrk.headers["Authorization"] = "Bearer " .. token
      wrk.body = '{"model":"claude-haiku-4-5",' .. stream .. MESSAGES .. '}'
   else
      wrk.headers["Authorization"] = "Bearer " .. token
      wrk.body = '{"model":"gpt-4o-mini",' .. stream .. MESSAGES .. '}'
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
