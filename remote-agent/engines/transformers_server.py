"""Minimal OpenAI-compatible server for a Hugging Face model, shipped inside evalbench's agent.

python3 transformers_server.py MODEL --port N [--host H] [--served-model-name NAME] [--dtype auto|float16|bfloat16|float32]
[--max-batch-size N] [--max-model-len N] [--seed N] [--revision REV] [--trust-remote-code]. Unknown flags are ignored
(a profile may pass vLLM's). The model side is transformers_engine.py, beside this file.

Endpoints, as vLLM answers them: GET /health, /version, /v1/models; POST /tokenize, /v1/completions (usage, logprobs,
echo), /v1/chat/completions; both completions stream server-sent events when asked, with usage in a last chunk without
choices when `stream_options.include_usage` is set. Requests that arrive together with the same sampling settings run
as one padded batch; a request at fault (a prompt too long) fails alone with 400.
"""
import argparse
import json
import os
import queue
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ClientError(Exception):
    pass


def parse_args(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("model")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--served-model-name")
    p.add_argument("--dtype", default="auto", choices=["auto", "float16", "bfloat16", "float32"])
    p.add_argument("--max-batch-size", type=int, default=16)
    p.add_argument("--max-model-len", type=int)
    p.add_argument("--seed", type=int)
    p.add_argument("--revision")
    p.add_argument("--trust-remote-code", action="store_true")
    args, unknown = p.parse_known_args(argv)
    if unknown:
        print(f"transformers_server: ignoring flags {unknown}", flush=True)
    return args


def params_of(body):
    def num(name, default):
        v = body.get(name, default)
        if v is None:
            return default
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            raise ClientError(f'"{name}" must be a number')
        return v
    stop = body.get("stop") or []
    stop = [stop] if isinstance(stop, str) else stop
    if not isinstance(stop, list) or not all(isinstance(s, str) for s in stop):
        raise ClientError('"stop" must be a string or a list of strings')
    n, max_tokens = int(num("n", 1)), int(num("max_tokens", 16))
    if n < 1 or max_tokens < 0:
        raise ClientError('"n" must be at least 1 and "max_tokens" at least 0')
    seed = body.get("seed")
    return {"temperature": float(num("temperature", 1.0)), "top_p": float(num("top_p", 1.0)), "max_tokens": max_tokens,
            "n": n, "seed": seed if isinstance(seed, int) else None, "stop": stop, "logprobs": body.get("logprobs") not in (None, False), "add_special": True}


def key_of(kind, params):
    return (kind,) + tuple(tuple(v) if isinstance(v, list) else v for v in params.values())


def echo_logprobs(prompt, scored):
    """Tokens as slices of the prompt (they add up to it), each one's log-probability and character offset."""
    offs = scored["offsets"]
    ends = offs[1:] + [len(prompt)]
    return {"tokens": [prompt[a:b] for a, b in zip(offs, ends)], "token_logprobs": list(scored["logprobs"]), "text_offset": list(offs)}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    engine = None
    served = ""
    version = ""

    def log_message(self, *a):
        pass

    def reply(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def error(self, status, message):
        kind = {400: "BadRequestError", 404: "NotFoundError"}.get(status, "InternalServerError")
        self.reply(status, {"object": "error", "message": message, "type": kind, "param": None, "code": status})

    def do_GET(self):
        if self.path == "/health":
            return self.reply(200, {})
        if self.path == "/version":
            return self.reply(200, {"version": self.version})
        if self.path == "/v1/models":
            return self.reply(200, {"object": "list", "data": [{"id": self.served, "object": "model", "owned_by": "evalbench", "max_model_len": self.engine.max_len}]})
        self.error(404, f"Not Found: {self.path}")

    def do_POST(self):
        try:
            body = json.loads(self.rfile.read(int(self.headers.get("content-length") or 0)) or b"{}")
            if not isinstance(body, dict):
                raise ClientError("the request body must be a JSON object")
            if self.path not in ("/v1/completions", "/v1/chat/completions", "/tokenize"):
                return self.error(404, f"Not Found: {self.path}")
            if body.get("model") != self.served:
                return self.error(404, f"The model `{body.get('model')}` does not exist.")
            if self.path == "/tokenize":
                return self.reply(200, self.tokenize(body))
            self.complete(body, self.path == "/v1/chat/completions")
        except Exception as e:  # noqa: BLE001 - the client gets the reason, the server stays up
            if type(e).__name__ == "ClientError":  # this file's or transformers_engine's: the request is at fault
                return self.error(400, str(e))
            if isinstance(e, (ValueError, KeyError, TypeError)):
                return self.error(400, f"{type(e).__name__}: {e}")
            print(f"transformers_server: {type(e).__name__}: {e}", file=sys.stderr, flush=True)
            self.error(500, f"{type(e).__name__}: {e}")

    def tokenize(self, body):
        if "messages" in body:
            ids = self.engine.token_ids(self.engine.chat_prompt(body["messages"]), False)
        else:
            ids = self.engine.token_ids(str(body.get("prompt", "")), body.get("add_special_tokens", True) is not False)
        return {"count": len(ids), "max_model_len": self.engine.max_len, "tokens": ids, "token_strs": None}

    def prompt_of(self, body, chat):
        if chat:
            if not isinstance(body.get("messages"), list):
                raise ClientError('"messages" must be a list')
            return self.engine.chat_prompt(body["messages"])
        prompt = body.get("prompt")
        if not isinstance(prompt, str):
            raise ClientError('"prompt" must be a string (one prompt per request)')
        return prompt

    def complete(self, body, chat):
        params = params_of(body)
        params["add_special"] = not chat  # chat templates carry their own BOS; raw prompts get it, as vLLM does
        prompt = self.prompt_of(body, chat)
        echo = (not chat) and body.get("echo") is True
        stream = body.get("stream") is True
        if stream and echo:
            raise ClientError('"echo" cannot be combined with "stream" on this server')
        if stream:
            return self.stream(body, prompt, params, chat)
        created = int(time.time())
        scored = None
        if echo:
            sp = dict(params, max_tokens=0)
            scored = self.engine.submit({"kind": "score", "prompt": prompt, "params": sp, "key": key_of("score", sp)})
        if echo and params["max_tokens"] <= 1 and (params["max_tokens"] == 0 or params["temperature"] == 0) and params["n"] == 1:
            # the greedy next token comes from the same forward pass as the prompt's log-probabilities
            ids = [scored["next"]["id"]] if params["max_tokens"] == 1 else []
            lps = [scored["next"]["logprob"]] if ids else []
            text = self.engine.tok.decode(ids, skip_special_tokens=True)
            result = {"choices": [{"text": text, "finish": "length", "ids": ids, "logprobs": lps}], "prompt_tokens": len(scored["ids"])}
        elif params["max_tokens"] == 0:
            result = {"choices": [{"text": "", "finish": "length", "ids": [], "logprobs": []}] * params["n"], "prompt_tokens": len(scored["ids"]) if scored else len(self.engine.token_ids(prompt, params["add_special"]))}
        else:
            result = self.engine.submit({"kind": "generate", "prompt": prompt, "params": params, "key": key_of("generate", params)})
        usage = usage_of(result)
        if chat:
            choices = [{"index": i, "message": {"role": "assistant", "content": c["text"]}, "logprobs": None, "finish_reason": c["finish"]} for i, c in enumerate(result["choices"])]
            return self.reply(200, {"id": f"chatcmpl-{created}", "object": "chat.completion", "created": created, "model": self.served, "choices": choices, "usage": usage})
        choices = []
        for i, c in enumerate(result["choices"]):
            logprobs = None
            if params["logprobs"]:
                logprobs = echo_logprobs(prompt, scored) if scored else {"tokens": [], "token_logprobs": [], "text_offset": []}
                at = len(prompt) if echo else 0
                for t, lp in zip(c["ids"], c["logprobs"] or []):
                    piece = self.engine.tok.decode([t])
                    logprobs["tokens"].append(piece)
                    logprobs["token_logprobs"].append(lp)
                    logprobs["text_offset"].append(at)
                    at += len(piece)
            choices.append({"index": i, "text": prompt + c["text"] if echo else c["text"], "logprobs": logprobs, "finish_reason": c["finish"]})
        self.reply(200, {"id": f"cmpl-{created}", "object": "text_completion", "created": created, "model": self.served, "choices": choices, "usage": usage})

    # --- streaming -----------------------------------------------------------------------------------------------
    def stream(self, body, prompt, params, chat):
        events = queue.Queue()
        job = {"kind": "generate", "prompt": prompt, "params": params, "key": key_of("generate", params),
               "on_token": lambda k, t: events.put(("token", k, t))}

        def run():
            try:
                events.put(("done", self.engine.submit(job)))
            except Exception as e:  # noqa: BLE001 - reported to this request
                events.put(("error", e))
        threading.Thread(target=run, daemon=True).start()
        first = events.get()
        if first[0] == "error":  # nothing sent yet: a plain error answer, as for a request that is not streamed
            raise first[1]
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        created, n = int(time.time()), params["n"]
        rid = f"{'chatcmpl' if chat else 'cmpl'}-{created}"
        ids, sent = [[] for _ in range(n)], [""] * n
        hold = max((len(s) for s in params["stop"]), default=1) - 1

        def chunk(index, text, finish=None):
            if chat:
                delta = {"content": text} if text or finish else {"role": "assistant", "content": ""}
                choice = {"index": index, "delta": delta, "logprobs": None, "finish_reason": finish}
                return {"id": rid, "object": "chat.completion.chunk", "created": created, "model": self.served, "choices": [choice]}
            return {"id": rid, "object": "text_completion", "created": created, "model": self.served,
                    "choices": [{"index": index, "text": text, "logprobs": None, "finish_reason": finish}]}

        if chat:
            for k in range(n):
                self.event(chunk(k, ""))
        event = first
        while True:
            if event[0] == "token":
                _, k, token = event
                ids[k].append(token)
                text = self.engine.tok.decode(ids[k], skip_special_tokens=True)
                safe = text[: max(0, len(text) - hold)].rstrip("\ufffd")  # a stop string may still be forming
                if any(s in text for s in params["stop"] if s) or token in self.engine.eos_ids:
                    safe = sent[k]
                if len(safe) > len(sent[k]) and safe.startswith(sent[k]):
                    self.event(chunk(k, safe[len(sent[k]):]))
                    sent[k] = safe
            elif event[0] == "error":  # mid-stream: an error event, as vLLM sends
                self.event({"error": {"object": "error", "message": f"{type(event[1]).__name__}: {event[1]}", "type": "InternalServerError", "code": 500}})
                break
            else:
                result = event[1]
                for k, c in enumerate(result["choices"]):
                    rest = c["text"][len(sent[k]):] if c["text"].startswith(sent[k]) else ""
                    self.event(chunk(k, rest, c["finish"]))
                options = body.get("stream_options") or {}
                if isinstance(options, dict) and options.get("include_usage"):
                    obj = "chat.completion.chunk" if chat else "text_completion"
                    self.event({"id": rid, "object": obj, "created": created, "model": self.served, "choices": [], "usage": usage_of(result)})
                break
            event = events.get()
        self.write_chunk(b"data: [DONE]\n\n")
        self.write_chunk(b"")

    def event(self, obj):
        self.write_chunk(f"data: {json.dumps(obj)}\n\n".encode())

    def write_chunk(self, data):
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()


def usage_of(result):
    completion = sum(len(c["ids"]) for c in result["choices"])
    return {"prompt_tokens": result["prompt_tokens"], "completion_tokens": completion, "total_tokens": result["prompt_tokens"] + completion}


def serve(engine, served, host, port, version):
    """Serves `engine` (anything with the Engine's methods) until the process ends."""
    handler = type("BoundHandler", (Handler,), {"engine": engine, "served": served, "version": version})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    print(f"transformers_server: serving {served} on http://{host}:{port}", flush=True)
    server.serve_forever()


def main():
    args = parse_args()
    served = args.served_model_name or args.model
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import transformers_engine  # torch and transformers load here, once the arguments are known good
    if args.seed is not None:
        transformers_engine.torch.manual_seed(args.seed)
    print(f"transformers_server: loading {args.model}", flush=True)
    try:
        engine = transformers_engine.Engine(args)
    except transformers_engine.MissingPackage as e:
        print(f"transformers_server: {e}", file=sys.stderr, flush=True)
        sys.exit(1)
    version = f"evalbench-transformers-server (transformers {transformers_engine.transformers.__version__})"
    serve(engine, served, args.host, args.port, version)


if __name__ == "__main__":
    main()
