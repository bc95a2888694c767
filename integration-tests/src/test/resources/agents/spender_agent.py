"""An agent that spends until its budget refuses it, then waits to be stopped."""
import json
import os
import time
import urllib.error
import urllib.request

url = os.environ["OPENAI_BASE_URL"] + "/chat/completions"
headers = {"content-type": "application/json", "Authorization": "Bearer " + os.environ["OPENAI_API_KEY"]}
body = json.dumps({"model": "gpt-4o-mini", "max_tokens": 16,
                   "messages": [{"role": "user", "content": "Spend a little"}]}).encode()
for i in range(500):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body, headers=headers), timeout=30) as r:
            r.read()
    except urllib.error.HTTPError as e:
        print("refused", e.code, json.loads(e.read())["error"]["type"], "after", i, "calls", flush=True)
        break
time.sleep(600)
