"""A minimal agent: standard library only, calling the router as the official SDKs would, from their env vars."""
import json
import os
import urllib.request


def post(url, headers, body):
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"content-type": "application/json", **headers})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


openai_url = os.environ["OPENAI_BASE_URL"] + "/chat/completions"
for question in ("What is 2+2?", "Name a colour."):
    answer = post(openai_url, {"Authorization": "Bearer " + os.environ["OPENAI_API_KEY"]},
                  {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": question}]})
    print("openai:", answer["choices"][0]["message"]["content"], flush=True)

answer = post(os.environ["ANTHROPIC_BASE_URL"] + "/v1/messages", {"x-api-key": os.environ["ANTHROPIC_API_KEY"]},
              {"model": "claude-haiku-4-5", "max_tokens": 32,
               "messages": [{"role": "user", "content": "Say hi"}]})
print("anthropic:", answer["content"][0]["text"], flush=True)
print("router:", os.environ["IRON_ROUTER_URL"], "token matches:", os.environ["IC_TOKEN"] == os.environ["OPENAI_API_KEY"],
      flush=True)
