/**
 * Realistic engine start failures, as vLLM / Hugging Face / the shell print them. The stand-in prints one when told
 * to fail its start (STANDIN_FAIL_START=<name>); the root-cause tests read them too. `cause` is the line a person
 * would point at.
 */
export interface EngineFailure {
  log: string;
  cause: string;
}

const HEAD = `INFO 06-12 09:14:02 [__init__.py:244] Automatically detected platform cuda.
INFO 06-12 09:14:05 [api_server.py:1395] vLLM API server version 0.10.1.1
INFO 06-12 09:14:05 [cli_args.py:325] non-default args: {'model': 'meta-llama/Llama-3.1-8B-Instruct', 'max_model_len': 8192, 'gpu_memory_utilization': 0.85}
`;

export const ENGINE_FAILURES: Record<string, EngineFailure> = {
  oom: {
    cause:
      'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 1.96 GiB. GPU 0 has a total capacity of 79.19 GiB of which 1.02 GiB is free.',
    log: `${HEAD}INFO 06-12 09:14:19 [core.py:70] Initializing a V1 LLM engine (v0.10.1.1) with config: model='meta-llama/Llama-3.1-70B-Instruct', speculative_config=None, tokenizer='meta-llama/Llama-3.1-70B-Instruct'
INFO 06-12 09:14:21 [gpu_model_runner.py:1843] Starting to load model meta-llama/Llama-3.1-70B-Instruct...
(EngineCore_0 pid=48213) ERROR 06-12 09:15:40 [core.py:700] EngineCore failed to start.
(EngineCore_0 pid=48213) ERROR 06-12 09:15:40 [core.py:700] Traceback (most recent call last):
(EngineCore_0 pid=48213) ERROR 06-12 09:15:40 [core.py:700]   File "/opt/venv/lib/python3.12/site-packages/vllm/v1/engine/core.py", line 691, in run_engine_core
(EngineCore_0 pid=48213) ERROR 06-12 09:15:40 [core.py:700]     engine_core = EngineCoreProc(*args, **kwargs)
(EngineCore_0 pid=48213) ERROR 06-12 09:15:40 [core.py:700]   File "/opt/venv/lib/python3.12/site-packages/torch/nn/modules/linear.py", line 125, in forward
(EngineCore_0 pid=48213) ERROR 06-12 09:15:40 [core.py:700]     return F.linear(input, self.weight, self.bias)
(EngineCore_0 pid=48213) ERROR 06-12 09:15:40 [core.py:700] torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 1.96 GiB. GPU 0 has a total capacity of 79.19 GiB of which 1.02 GiB is free.
Process EngineCore_0:
Traceback (most recent call last):
  File "/usr/lib/python3.12/multiprocessing/process.py", line 314, in _bootstrap
    self.run()
torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 1.96 GiB. GPU 0 has a total capacity of 79.19 GiB of which 1.02 GiB is free.
Traceback (most recent call last):
  File "/opt/venv/bin/vllm", line 10, in <module>
    sys.exit(main())
  File "/opt/venv/lib/python3.12/site-packages/vllm/v1/engine/utils.py", line 732, in wait_for_engine_startup
    raise RuntimeError("Engine core initialization failed. "
RuntimeError: Engine core initialization failed. See root cause above. Failed core proc(s): {}
`,
  },
  gated: {
    cause:
      'Cannot access gated repo for url https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct/resolve/main/config.json. Access to model meta-llama/Llama-3.1-8B-Instruct is restricted. You must have access to it and be authenticated to access it. Please log in.',
    log: `${HEAD}Traceback (most recent call last):
  File "/opt/venv/lib/python3.12/site-packages/huggingface_hub/utils/_http.py", line 409, in hf_raise_for_status
    response.raise_for_status()
  File "/opt/venv/lib/python3.12/site-packages/requests/models.py", line 1024, in raise_for_status
    raise HTTPError(http_error_msg, response=self)
requests.exceptions.HTTPError: 401 Client Error: Unauthorized for url: https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct/resolve/main/config.json

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/opt/venv/lib/python3.12/site-packages/transformers/utils/hub.py", line 470, in cached_files
    hf_hub_download(
huggingface_hub.errors.GatedRepoError: 401 Client Error. (Request ID: Root=1-684a9b2e-5a0c1f7d3e2b4c6a7f8e9d0c;b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e)

Cannot access gated repo for url https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct/resolve/main/config.json.
Access to model meta-llama/Llama-3.1-8B-Instruct is restricted. You must have access to it and be authenticated to access it. Please log in.

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/opt/venv/bin/vllm", line 10, in <module>
    sys.exit(main())
OSError: You are trying to access a gated repo.
Make sure to have access to it at https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct.
401 Client Error. (Request ID: Root=1-684a9b2e-5a0c1f7d3e2b4c6a7f8e9d0c;b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e)
`,
  },
  module: {
    cause: "ModuleNotFoundError: No module named 'vllm._C'",
    log: `Traceback (most recent call last):
  File "/opt/venv/bin/vllm", line 5, in <module>
    from vllm.entrypoints.cli.main import main
  File "/opt/venv/lib/python3.12/site-packages/vllm/__init__.py", line 12, in <module>
    import vllm._C  # noqa
ModuleNotFoundError: No module named 'vllm._C'
`,
  },
  kvcache: {
    cause:
      'ValueError: No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when initializing the engine.',
    log: `${HEAD}(EngineCore_0 pid=5120) INFO 06-12 09:16:01 [gpu_worker.py:276] Available KV cache memory: -3.21 GiB
(EngineCore_0 pid=5120) ERROR 06-12 09:16:01 [core.py:700] EngineCore failed to start.
(EngineCore_0 pid=5120) ERROR 06-12 09:16:01 [core.py:700] Traceback (most recent call last):
(EngineCore_0 pid=5120) ERROR 06-12 09:16:01 [core.py:700]   File "/opt/venv/lib/python3.12/site-packages/vllm/v1/core/kv_cache_utils.py", line 699, in check_enough_kv_cache_memory
(EngineCore_0 pid=5120) ERROR 06-12 09:16:01 [core.py:700]     raise ValueError("No available memory for the cache blocks. "
(EngineCore_0 pid=5120) ERROR 06-12 09:16:01 [core.py:700] ValueError: No available memory for the cache blocks. Try increasing \`gpu_memory_utilization\` when initializing the engine.
RuntimeError: Engine core initialization failed. See root cause above. Failed core proc(s): {}
`,
  },
  nofile: {
    cause: "FileNotFoundError: [Errno 2] No such file or directory: '/scratch/models/llama-3.1-8b/config.json'",
    log: `${HEAD}Traceback (most recent call last):
  File "/opt/venv/lib/python3.12/site-packages/vllm/transformers_utils/config.py", line 341, in get_config
    with open(config_path) as f:
FileNotFoundError: [Errno 2] No such file or directory: '/scratch/models/llama-3.1-8b/config.json'
`,
  },
  address: {
    cause: 'OSError: [Errno 98] Address already in use',
    log: `${HEAD}INFO 06-12 09:14:40 [api_server.py:1880] Starting vLLM API server 0 on http://127.0.0.1:8000
Traceback (most recent call last):
  File "/opt/venv/lib/python3.12/site-packages/vllm/entrypoints/openai/api_server.py", line 1861, in create_server_socket
    sock.bind(addr)
OSError: [Errno 98] Address already in use
`,
  },
  // huggingface_hub/utils/_http.py hf_raise_for_status: `elif error_code == "RepoNotFound" or response.status_code == 401:`
  // ("401 is misleading as it is returned for: private and gated repos if user is not authenticated, missing repos");
  // lines as vLLM printed them in vast-ai/base-image#128.
  notfound: {
    cause: 'Repository Not Found for url: https://huggingface.co/Qwen/Qwen3.5-27B-AWQ/resolve/main/config.json.',
    log: `${HEAD}(APIServer pid=2960)   File "/usr/local/lib/python3.12/dist-packages/huggingface_hub/utils/_http.py", line 453, in hf_raise_for_status
(APIServer pid=2960)     raise _format(RepositoryNotFoundError, message, response) from e
(APIServer pid=2960) huggingface_hub.errors.RepositoryNotFoundError: 401 Client Error. (Request ID: Root=1-69aa2f15-66396d560525c0fb463d8d99;dfa35b92-3bf1-4a7a-bf57-d4c1d6d4ae69)
(APIServer pid=2960)
(APIServer pid=2960) Repository Not Found for url: https://huggingface.co/Qwen/Qwen3.5-27B-AWQ/resolve/main/config.json.
(APIServer pid=2960) Please make sure you specified the correct \`repo_id\` and \`repo_type\`.
(APIServer pid=2960) If you are trying to access a private or gated repo, make sure you are authenticated. For more details, see https://huggingface.co/docs/huggingface_hub/authentication
(APIServer pid=2960) Invalid username or password.
(APIServer pid=2960)
(APIServer pid=2960) The above exception was the direct cause of the following exception:
(APIServer pid=2960)
(APIServer pid=2960) Traceback (most recent call last):
(APIServer pid=2960)   File "/usr/local/bin/vllm", line 10, in <module>
(APIServer pid=2960)     sys.exit(main())
`,
  },
  // huggingface_hub: f"Cannot access gated repo for url {response.url}." then the Hub's own X-Error-Message (403: a
  // token without access), as printed in public reports ("Access to model … is restricted and you are not in the authorized list").
  gated403: {
    cause:
      'Cannot access gated repo for url https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct/resolve/main/config.json. Access to model meta-llama/Llama-3.1-8B-Instruct is restricted and you are not in the authorized list. Visit https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct to ask for access.',
    log: `${HEAD}requests.exceptions.HTTPError: 403 Client Error: Forbidden for url: https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct/resolve/main/config.json
huggingface_hub.errors.GatedRepoError: 403 Client Error. (Request ID: Root=1-65d716c4-7a43f0ca282394a356e80918;c09d8720-d636-4df9-9b63-c2915c60d850)

Cannot access gated repo for url https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct/resolve/main/config.json.
Access to model meta-llama/Llama-3.1-8B-Instruct is restricted and you are not in the authorized list. Visit https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct to ask for access.
`,
  },
  // transformers/utils/hub.py: f"We couldn't connect to '{HUGGINGFACE_CO_RESOLVE_ENDPOINT}' to load the files, and
  // couldn't find them in the cached files." — a compute node without network, weights not in HF_HOME.
  offline: {
    cause:
      "OSError: We couldn't connect to 'https://huggingface.co' to load the files, and couldn't find them in the cached files.",
    log: `${HEAD}WARNING 06-12 09:14:06 [config.py:380] 'HTTPSConnectionPool(host='huggingface.co', port=443): Max retries exceeded with url: /api/models/meta-llama/Llama-3.1-8B-Instruct (Caused by NameResolutionError("<urllib3.connection.HTTPSConnection object at 0x7f>: Failed to resolve 'huggingface.co' ([Errno -3] Temporary failure in name resolution)"))'
Traceback (most recent call last):
  File "/opt/venv/lib/python3.12/site-packages/transformers/utils/hub.py", line 543, in cached_files
    raise OSError(
OSError: We couldn't connect to 'https://huggingface.co' to load the files, and couldn't find them in the cached files.
Check your internet connection or see how to run the library in offline mode at 'https://huggingface.co/docs/transformers/installation#offline-mode'.
`,
  },
  // The kernel's ENOSPC / EDQUOT while the Hub client writes weights into the cache (public reports, e.g.
  // ayaanzhaque/instruct-nerf2nerf#86 "OSError: [Errno 122] Disk quota exceeded").
  quota: {
    cause:
      "OSError: [Errno 122] Disk quota exceeded: '/home/u/.cache/huggingface/hub/models--meta-llama--Llama-3.1-8B-Instruct/blobs/5f1d.incomplete'",
    log: `${HEAD}INFO 06-12 09:14:21 [weight_utils.py:296] Using model weights format ['*.safetensors']
Traceback (most recent call last):
  File "/opt/venv/lib/python3.12/site-packages/huggingface_hub/file_download.py", line 1710, in _download_to_tmp_and_move
    http_get(
OSError: [Errno 122] Disk quota exceeded: '/home/u/.cache/huggingface/hub/models--meta-llama--Llama-3.1-8B-Instruct/blobs/5f1d.incomplete'
`,
  },
  diskfull: {
    cause: 'OSError: [Errno 28] No space left on device',
    log: `${HEAD}Traceback (most recent call last):
  File "/opt/venv/lib/python3.12/site-packages/huggingface_hub/file_download.py", line 1710, in _download_to_tmp_and_move
OSError: [Errno 28] No space left on device
`,
  },
  // vllm/transformers_utils/config.py: "Invalid repository ID or local directory specified: '{model}'." (vllm#13510).
  invalid: {
    cause: "ValueError: Invalid repository ID or local directory specified: '/scratch/models/llama-3.1-8b'.",
    log: `${HEAD}Traceback (most recent call last):
  File "/opt/venv/lib/python3.12/site-packages/vllm/transformers_utils/config.py", line 318, in get_config
    raise ValueError(error_message) from e
ValueError: Invalid repository ID or local directory specified: '/scratch/models/llama-3.1-8b'.
Please verify the following requirements:
1. Provide a valid Hugging Face repository ID.
2. Specify a local directory that contains a recognized configuration file.
   - For Hugging Face models: ensure the presence of a 'config.json'.
   - For Mistral models: ensure the presence of a 'params.json'.
`,
  },
  // vllm/distributed/device_communicators/pynccl_wrapper.py NCCL_CHECK: raise RuntimeError(f"NCCL error: {error_str}");
  // lines as in vllm#7800 and vllm#6732.
  nccl: {
    cause: 'RuntimeError: NCCL error: unhandled system error (run with NCCL_DEBUG=INFO for details)',
    log: `${HEAD}(VllmWorker rank=1 pid=232) ERROR 06-12 09:14:30 [multiproc_executor.py:527]   File "/opt/venv/lib/python3.12/site-packages/vllm/distributed/device_communicators/pynccl_wrapper.py", line 223, in NCCL_CHECK
(VllmWorker rank=1 pid=232) ERROR 06-12 09:14:30 [multiproc_executor.py:527]     raise RuntimeError(f"NCCL error: {error_str}")
(VllmWorker rank=1 pid=232) ERROR 06-12 09:14:30 [multiproc_executor.py:527] RuntimeError: NCCL error: unhandled system error (run with NCCL_DEBUG=INFO for details)
RuntimeError: Engine core initialization failed. See root cause above. Failed core proc(s): {}
`,
  },
  // vllm/v1/core/kv_cache_utils.py check_enough_kv_cache_memory, as printed in vLLM 0.11 (a public report of
  // Qwen3-VL-30B on one A100): "…Based on the available memory, the estimated maximum model length is 87840. …"
  kvlen: {
    cause:
      "ValueError: To serve at least one request with the models's max seq len (262144), (24.00 GiB KV cache is needed, which is larger than the available KV cache memory (8.04 GiB). Based on the available memory, the estimated maximum model length is 87840. Try increasing `gpu_memory_utilization` or decreasing `max_model_len` when initializing the engine.",
    log: `${HEAD}(EngineCore_DP0 pid=268) ERROR 10-21 00:35:03 [core.py:708] EngineCore failed to start.
(EngineCore_DP0 pid=268) ERROR 10-21 00:35:03 [core.py:708] Traceback (most recent call last):
(EngineCore_DP0 pid=268) ERROR 10-21 00:35:03 [core.py:708] ValueError: To serve at least one request with the models's max seq len (262144), (24.00 GiB KV cache is needed, which is larger than the available KV cache memory (8.04 GiB). Based on the available memory, the estimated maximum model length is 87840. Try increasing \`gpu_memory_utilization\` or decreasing \`max_model_len\` when initializing the engine.
RuntimeError: Engine core initialization failed. See root cause above. Failed core proc(s): {}
`,
  },
};
