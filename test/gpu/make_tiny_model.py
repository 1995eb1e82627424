"""Builds a tiny Llama-architecture chat model from a config, with nothing downloaded: a byte-level BPE tokenizer
trained here on a few lines (tokenizers library), random weights from a fixed seed, saved with save_pretrained.

python3 make_tiny_model.py OUT_DIR [--hidden 64] [--layers 2] [--hf-cache HF_HOME --repo ORG/NAME]
With --hf-cache, OUT_DIR is ignored and the model is saved in the Hugging Face cache layout under HF_HOME
(hub/models--ORG--NAME/snapshots/<commit>/, refs/main), where an offline job (HF_HUB_OFFLINE=1) finds it by repo id.
Its answers are noise; what it proves is the serving path (load, batch, stream, stop, score) on the real libraries.
"""
import argparse
import hashlib
import os

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

LINES = [
    "Question: Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May.",
    "How many clips did Natalia sell altogether in April and May? Answer: 72",
    "Which of these is a source of light? A. the Moon B. the Sun C. a mirror D. a window. Answer: B",
    "The quick brown fox jumps over the lazy dog 0123456789 + - * / = ( ) . , ? !",
    "system user assistant <|im_start|> <|im_end|>",
]
CHAT_TEMPLATE = ("{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
                 "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--hf-cache")
    p.add_argument("--repo", default="evalbench/tiny-llama")
    a = p.parse_args()
    if a.hf_cache:
        commit = hashlib.sha1(a.repo.encode()).hexdigest()
        repo_dir = os.path.join(a.hf_cache, "hub", "models--" + a.repo.replace("/", "--"))
        a.out = os.path.join(repo_dir, "snapshots", commit)
        os.makedirs(os.path.join(repo_dir, "refs"), exist_ok=True)
        with open(os.path.join(repo_dir, "refs", "main"), "w") as f:
            f.write(commit)
    specials = ["<s>", "</s>", "<pad>", "<|im_start|>", "<|im_end|>"]
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train_from_iterator(LINES * 4, trainers.BpeTrainer(vocab_size=400, special_tokens=specials, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="<|im_end|>", pad_token="<pad>")
    fast.chat_template = CHAT_TEMPLATE
    fast.save_pretrained(a.out)
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=len(fast), hidden_size=a.hidden, intermediate_size=a.hidden * 2, num_hidden_layers=a.layers,
                         num_attention_heads=4, num_key_value_heads=4, max_position_embeddings=1024,
                         bos_token_id=fast.bos_token_id, eos_token_id=fast.eos_token_id, pad_token_id=fast.pad_token_id)
    model = LlamaForCausalLM(config)
    model.save_pretrained(a.out)
    print(f"tiny model: {sum(p.numel() for p in model.parameters())} parameters, vocabulary {len(fast)}, saved to {a.out}")


if __name__ == "__main__":
    main()
