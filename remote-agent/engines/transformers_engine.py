"""The model side of evalbench's bundled Transformers server: loading, batched generation and batched scoring.

Imported by transformers_server.py once its arguments are parsed (the HTTP layer itself needs neither torch nor
transformers). One worker thread takes queued jobs and runs those that arrive together as one padded batch.
"""
import importlib.util
import queue
import threading
import time

import torch
import transformers
from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer, StoppingCriteria, StoppingCriteriaList

BATCH_WINDOW_S = 0.01
# Scoring batches are capped in tokens too: the logits of a batch are tokens x vocabulary.
MAX_SCORE_BATCH_TOKENS = 8192


class ClientError(Exception):
    """The request is at fault: answered 400, the rest of its batch goes on."""


class MissingPackage(Exception):
    pass


def require_package(module, why):
    if importlib.util.find_spec(module) is None:
        raise MissingPackage(f"ModuleNotFoundError: No module named '{module}': {why} needs the Python package {module} (pip install {module})")


def load_kwargs(args):
    """`dtype=` since Transformers 4.56 (torch_dtype is deprecated there); torch_dtype before."""
    dtype = "auto" if args.dtype == "auto" else getattr(torch, args.dtype)
    major, minor = (int(p) for p in transformers.__version__.split(".")[:2])
    key = "dtype" if (major, minor) >= (4, 56) else "torch_dtype"
    return {key: dtype}


class StopOnStrings(StoppingCriteria):
    """Ends each row as soon as its generated text contains a stop string (during generation, not after max_tokens)."""

    def __init__(self, tok, width, stops):
        self.tok, self.width, self.stops = tok, width, [s for s in stops if s]
        self.tail = max((len(s) for s in self.stops), default=0) + 16

    def __call__(self, input_ids, scores, **kwargs):
        done = torch.zeros(input_ids.shape[0], dtype=torch.bool, device=input_ids.device)
        if not self.stops:
            return done
        for row in range(input_ids.shape[0]):
            # Only the last few tokens can complete a stop string that was not there one step earlier.
            text = self.tok.decode(input_ids[row, max(self.width, input_ids.shape[1] - self.tail):], skip_special_tokens=True)
            done[row] = any(s in text for s in self.stops)
        return done


class RowStreamer:
    """Receives each step's new tokens from generate() and hands every row's token ids to its request's listener."""

    def __init__(self, listeners):
        self.listeners = listeners  # one per row, or None
        self.prompt_seen = False

    def put(self, value):
        if not self.prompt_seen:  # generate() first puts the prompt
            self.prompt_seen = True
            return
        ids = value.reshape(len(self.listeners), -1)[:, -1].tolist()
        for listener, token in zip(self.listeners, ids):
            if listener is not None:
                listener(token)

    def end(self):
        pass


class Engine:
    def __init__(self, args):
        self.args = args
        kw = {"revision": args.revision, "trust_remote_code": args.trust_remote_code}
        config = AutoConfig.from_pretrained(args.model, **kw)
        if getattr(config, "model_type", "") == "biogpt":
            require_package("sacremoses", "BioGPT's tokenizer (BioGptTokenizer)")
        if torch.cuda.is_available():
            require_package("accelerate", 'device_map="auto" (placing the model on the job\'s GPUs)')
        self.tok = AutoTokenizer.from_pretrained(args.model, **kw)
        if self.tok.pad_token is None:
            self.tok.pad_token = self.tok.eos_token
        placement = {"device_map": "auto"} if torch.cuda.is_available() else {}
        self.model = AutoModelForCausalLM.from_pretrained(args.model, **load_kwargs(args), **placement, **kw)
        self.model.eval()
        self.device = next(self.model.parameters()).device
        eos = getattr(self.model.generation_config, "eos_token_id", None)
        self.eos_ids = {e for e in (eos if isinstance(eos, list) else [eos]) + [self.tok.eos_token_id] if e is not None}
        cfg_len = getattr(self.model.config, "max_position_embeddings", None) or 4096
        self.max_len = args.max_model_len or cfg_len
        self.jobs = queue.Queue()
        threading.Thread(target=self.loop, daemon=True).start()

    def chat_prompt(self, messages):
        if not self.tok.chat_template:
            raise ClientError("this model's tokenizer has no chat template: use /v1/completions")
        return self.tok.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)

    def token_ids(self, text, add_special):
        return self.tok(text, add_special_tokens=add_special).input_ids

    # --- queue ---------------------------------------------------------------------------------------------------
    def submit(self, job):
        """Queues a job ({"kind": "generate"|"score", "prompt", "params"}) and waits for its result."""
        job["done"] = threading.Event()
        self.jobs.put(job)
        job["done"].wait()
        if "error" in job:
            raise job["error"]
        return job["result"]

    def loop(self):
        while True:
            first = self.jobs.get()
            batch, rest = [first], []
            deadline = time.time() + BATCH_WINDOW_S
            while len(batch) < self.args.max_batch_size:
                try:
                    job = self.jobs.get(timeout=max(0.0, deadline - time.time()))
                except queue.Empty:
                    break
                (batch if job["key"] == first["key"] else rest).append(job)
            for job in rest:
                self.jobs.put(job)
            self.run_batch(batch)

    def run_batch(self, batch):
        ok = []
        for job in batch:  # a prompt that cannot fit fails alone
            try:
                job["ids"] = self.token_ids(job["prompt"], job["params"]["add_special"])
                need = len(job["ids"]) + (job["params"]["max_tokens"] if job["kind"] == "generate" else 0)
                if need > self.max_len:
                    raise ClientError(f"This model's maximum context length is {self.max_len} tokens. However, you requested {need} tokens "
                                      f"({len(job['ids'])} in the messages, {need - len(job['ids'])} in the completion). Please reduce the length of the messages or completion.")
                ok.append(job)
            except Exception as e:  # noqa: BLE001 - reported to its own request
                self.finish(job, error=e)
        if not ok:
            return
        try:
            results = self.generate(ok) if ok[0]["kind"] == "generate" else self.score_all(ok)
            for job, result in zip(ok, results):
                self.finish(job, result=result)
        except Exception as e:  # noqa: BLE001
            if len(ok) == 1:
                return self.finish(ok[0], error=e)
            for job in ok:  # find the one at fault: each alone
                self.run_batch([job])

    @staticmethod
    def finish(job, result=None, error=None):
        if error is not None:
            job["error"] = error
        else:
            job["result"] = result
        job["done"].set()

    # --- generation ----------------------------------------------------------------------------------------------
    @torch.inference_mode()
    def generate(self, jobs):
        params = jobs[0]["params"]
        n, max_new = params["n"], params["max_tokens"]
        pad = self.tok.pad_token_id
        width = max(len(j["ids"]) for j in jobs)
        input_ids = torch.tensor([[pad] * (width - len(j["ids"])) + j["ids"] for j in jobs], device=self.device)
        mask = torch.tensor([[0] * (width - len(j["ids"])) + [1] * len(j["ids"]) for j in jobs], device=self.device)
        if params["seed"] is not None:
            torch.manual_seed(params["seed"])
        sample = params["temperature"] > 0
        listeners = [j.get("on_token") for j in jobs for _ in range(n)]
        kw = {"do_sample": sample, "max_new_tokens": max_new, "num_return_sequences": n, "pad_token_id": pad,
              "return_dict_in_generate": True, "output_scores": params["logprobs"],
              "stopping_criteria": StoppingCriteriaList([StopOnStrings(self.tok, width, params["stop"])])}
        if any(listeners):
            kw["streamer"] = RowStreamer([(lambda t, j=j, k=k: j["on_token"](k, t)) if j.get("on_token") else None for j in jobs for k in range(n)])
        if sample:
            kw.update(temperature=params["temperature"], top_p=params["top_p"])
        else:
            kw.update(temperature=None, top_p=None, top_k=None)  # the model's generation_config may set them: greedy ignores them
        out = self.model.generate(input_ids=input_ids, attention_mask=mask, **kw)
        new = out.sequences[:, width:]
        step_logprobs = None
        if params["logprobs"]:
            scores = torch.stack(out.scores, dim=1).float().log_softmax(-1)
            step_logprobs = scores.gather(-1, new.unsqueeze(-1)).squeeze(-1)
        results = []
        for i, job in enumerate(jobs):
            choices = []
            for j in range(n):
                row = i * n + j
                choices.append(self.choice(new[row].tolist(), params["stop"], step_logprobs[row] if step_logprobs is not None else None))
            results.append({"choices": choices, "prompt_tokens": len(job["ids"])})
        return results

    def choice(self, ids, stops, logprobs):
        finish = "length"
        end = next((k for k, t in enumerate(ids) if t in self.eos_ids), -1)
        if end >= 0:
            ids, finish = ids[:end], "stop"
        # generate() pads a row that stopped early; those pads are not part of the answer
        text = self.tok.decode(ids, skip_special_tokens=True)
        cut = min((at for at in (text.find(s) for s in stops if s) if at >= 0), default=-1)
        if cut >= 0:
            text, finish = text[:cut], "stop"
            while ids and len(self.tok.decode(ids[:-1], skip_special_tokens=True)) >= cut:
                ids = ids[:-1]
        lps = logprobs[: len(ids)].tolist() if logprobs is not None else None
        return {"text": text, "finish": finish, "ids": ids, "logprobs": lps}

    # --- scoring (echo) ------------------------------------------------------------------------------------------
    def score_all(self, jobs):
        out, group, tokens = [], [], 0
        for job in jobs:
            if group and tokens + len(job["ids"]) > MAX_SCORE_BATCH_TOKENS:
                out += self.score(group)
                group, tokens = [], 0
            group.append(job)
            tokens += len(job["ids"])
        return out + self.score(group)

    @torch.inference_mode()
    def score(self, jobs):
        """Each prompt's tokens with the log-probability of each given the ones before (none for the first), its
        character offsets, and the greedy next token: one forward pass for the batch, right-padded."""
        pad = self.tok.pad_token_id
        width = max(len(j["ids"]) for j in jobs)
        input_ids = torch.tensor([j["ids"] + [pad] * (width - len(j["ids"])) for j in jobs], device=self.device)
        mask = torch.tensor([[1] * len(j["ids"]) + [0] * (width - len(j["ids"])) for j in jobs], device=self.device)
        logits = self.model(input_ids=input_ids, attention_mask=mask).logits
        results = []
        for row, job in enumerate(jobs):
            ids, length = job["ids"], len(job["ids"])
            lp = logits[row, :length].float().log_softmax(-1)
            target = torch.tensor(ids[1:], device=lp.device)
            prompt_lps = [None] + lp[:-1].gather(-1, target.unsqueeze(-1)).squeeze(-1).tolist()
            next_id = int(lp[-1].argmax())
            results.append({"ids": ids, "logprobs": prompt_lps, "offsets": self.offsets(job["prompt"], ids, job["params"]["add_special"]),
                            "next": {"id": next_id, "logprob": float(lp[-1, next_id])}})
        return results

    def offsets(self, prompt, ids, add_special):
        """Character offset of each token in the prompt (fast tokenizers say; else by decoding prefixes)."""
        if getattr(self.tok, "is_fast", False):
            enc = self.tok(prompt, add_special_tokens=add_special, return_offsets_mapping=True)
            if enc.input_ids == ids:
                return [a for a, _ in enc.offset_mapping]
        out, at = [], 0
        for k in range(len(ids)):
            out.append(at)
            at = len(self.tok.decode(ids[: k + 1], skip_special_tokens=True))
        return out
