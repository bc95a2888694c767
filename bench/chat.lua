-- wrk script for bench/run.sh: POSTs a short chat request and, when done, prints one machine-readable line.
-- Arguments (after "--" on the wrk command line): <token> <json|stream|long> [openai|anthropic|translated]
--   long: a JSON request whose message is about 25 KB of prose with numbers (the same text every time), as agents
--   send long contexts: what the router costs per byte (reading, routing, the PII scan of every text).
--   openai (default): OpenAI chat for gpt-4o-mini to /v1/chat/completions, "Authorization: Bearer <token>";
--   anthropic: the equivalent Anthropic request for claude-haiku-4-5 to /v1/messages, "x-api-key: <token>";
--   translated: OpenAI chat for claude-haiku-4-5 to /v1/chat/completions (the router translates it to Anthropic).

wrk.method = "POST"
wrk.path = "/v1/chat/completions"
wrk.headers["Content-Type"] = "application/json"

local MESSAGES = '"messages":[{"role":"user","content":"Hello there"}]'

-- About 25 KB of sentences with names, numbers and versions, from a fixed pseudo-random sequence.
local function long_prompt()
   local words = { "the", "of", "and", "to", "in", "is", "you", "that", "it", "was", "for", "on", "are", "as",
      "with", "they", "at", "be", "this", "have", "from", "or", "one", "had", "by", "word", "but", "not", "what",
      "all", "were", "when", "your", "can", "said", "there", "use", "each", "which", "how", "their", "will", "up",
      "other", "about", "out", "many", "then", "them", "some", "would", "make", "like", "into", "time", "has",
      "look", "two", "more", "write", "see", "number", "way", "could", "people", "than", "first", "water", "call",
      "who", "now", "find", "long", "down", "day", "did", "get", "come", "made", "may", "part" }
   local names = { "Alice", "Bob", "Paris", "Kubernetes", "Java", "Quarkus", "Monday", "Section", "SQL", "API" }
   local numbers = { "3", "12", "42", "2024", "1999", "7", "365", "100", "8080", "65536", "v2.4.1", "3.14" }
   local seed = 12345
   local function next_int(n) -- Park-Miller: exact in Lua's doubles
      seed = (seed * 16807) % 2147483647
      return seed % n + 1
   end
   local parts = {}
   local size = 0
   while size < 25000 do
      local sentence = {}
      for i = 1, 6 + next_int(12) do sentence[i] = words[next_int(#words)] end
      sentence[1] = sentence[1]:sub(1, 1):upper() .. sentence[1]:sub(2)
      if next_int(2) == 1 then sentence[#sentence + 1] = names[next_int(#names)] end
      if next_int(5) <= 2 then sentence[#sentence + 1] = numbers[next_int(#numbers)] end
      local line = table.concat(sentence, " ") .. "."
      parts[#parts + 1] = line
      size = size + #line + 1
   end
   return table.concat(parts, " ")
end

-- init runs in every thread's Lua state before wrk builds the request, so the request can depend on the arguments.
function init(args)
   local token = args[1] or "bench-token"
   local stream = args[2] == "stream" and '"stream":true,' or ''
   if args[2] == "long" then
      MESSAGES = '"messages":[{"role":"user","content":"' .. long_prompt() .. '"}]'
   end
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
