import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractRootCause } from '../../../../remote-agent/engines/root-cause';
import { ENGINE_FAILURES } from '../../../doubles/engine-failures';

describe('root cause of an engine failure', () => {
  for (const [name, failure] of Object.entries(ENGINE_FAILURES)) {
    it(`finds the cause in a realistic vLLM "${name}" log`, () => {
      assert.equal(extractRootCause(failure.log)?.message, failure.cause);
    });
  }

  it('classifies them', () => {
    const kinds = Object.fromEntries(
      Object.entries(ENGINE_FAILURES).map(([k, f]) => [k, extractRootCause(f.log)?.kind]),
    );
    assert.deepEqual(kinds, {
      oom: 'out_of_memory',
      gated: 'gated_repo',
      module: 'missing_module',
      kvcache: 'kv_cache',
      nofile: 'missing_file',
      address: 'address_in_use',
      notfound: 'repo_not_found',
      gated403: 'gated_repo',
      offline: 'no_network',
      quota: 'disk_full',
      diskfull: 'disk_full',
      invalid: 'invalid_model',
      nccl: 'nccl',
      kvlen: 'kv_cache',
    });
  });

  it('calls a 401 without the gated message "not found or not authorized", never "gated"', () => {
    // huggingface_hub/utils/_http.py: `elif error_code == "RepoNotFound" or response.status_code == 401:` — a 401 is
    // what a mistyped id, a private repository and an unauthenticated gated one all get; only "Cannot access gated
    // repo" (f"Cannot access gated repo for url {response.url}.") says gated.
    const cause = extractRootCause(ENGINE_FAILURES.notfound!.log)!;
    assert.equal(cause.kind, 'repo_not_found');
    assert.match(cause.hint!, /not found or not authorized/);
    const bare = extractRootCause(
      'requests.exceptions.HTTPError: 401 Client Error: Unauthorized for url: https://huggingface.co/api/models/org/tpyo\n',
    )!;
    assert.equal(bare.kind, 'repo_not_found');
  });

  it('says gated for the 401 and the 403 that carry the gated message', () => {
    for (const name of ['gated', 'gated403']) {
      const cause = extractRootCause(ENGINE_FAILURES[name]!.log)!;
      assert.equal(cause.kind, 'gated_repo', name);
      assert.match(cause.hint!, /gated/, name);
    }
  });

  it("gives the largest --max-model-len that fits, parsed from vLLM's KV-cache message", () => {
    // vllm/v1/core/kv_cache_utils.py: f"the estimated maximum model length is {estimated_max_len}. "
    const cause = extractRootCause(ENGINE_FAILURES.kvlen!.log)!;
    assert.equal(cause.maxModelLenFits, 87840);
    assert.match(cause.hint!, /--max-model-len 87840/);
    assert.equal(
      extractRootCause(ENGINE_FAILURES.kvcache!.log)!.maxModelLenFits,
      undefined,
      'the "no memory at all" message has no estimate',
    );
  });

  it('prefers the Hub\'s own error over vLLM\'s later "Invalid repository ID or local directory" wrapper', () => {
    // vLLM raises its ValueError `from e`, so the Hub's error comes first in the log.
    const wrapped = `${ENGINE_FAILURES.notfound!.log}ValueError: Invalid repository ID or local directory specified: 'Qwen/Qwen3.5-27B-AWQ'.\n`;
    assert.equal(extractRootCause(wrapped)!.kind, 'repo_not_found');
    const offline = `${ENGINE_FAILURES.offline!.log}ValueError: Invalid repository ID or local directory specified: 'meta-llama/Llama-3.1-8B-Instruct'.\n`;
    assert.equal(extractRootCause(offline)!.kind, 'no_network');
    assert.match(extractRootCause(ENGINE_FAILURES.invalid!.log)!.hint!, /config\.json/);
  });

  it('tells NCCL failures from other CUDA errors, and a full disk from a quota by its line', () => {
    assert.match(extractRootCause(ENGINE_FAILURES.nccl!.log)!.hint!, /NCCL_DEBUG=INFO/);
    assert.match(extractRootCause(ENGINE_FAILURES.quota!.log)!.message, /Disk quota exceeded/);
    assert.match(extractRootCause(ENGINE_FAILURES.diskfull!.log)!.message, /No space left on device/);
  });

  it('prefers the out-of-memory line over vLLM\'s later "Engine core initialization failed" wrapper', () => {
    const cause = extractRootCause(ENGINE_FAILURES.oom!.log);
    assert.doesNotMatch(cause!.message, /Engine core initialization failed/);
  });

  it('reads a transformers server traceback (a 403 on a gated repository)', () => {
    const log = `transformers_server: loading meta-llama/Llama-3.2-1B
Traceback (most recent call last):
  File "/home/u/.venv/lib/python3.11/site-packages/huggingface_hub/utils/_http.py", line 406, in hf_raise_for_status
requests.exceptions.HTTPError: 403 Client Error: Forbidden for url: https://huggingface.co/meta-llama/Llama-3.2-1B/resolve/main/config.json
huggingface_hub.errors.GatedRepoError: 403 Client Error. (Request ID: Root=1-6650)

Cannot access gated repo for url https://huggingface.co/meta-llama/Llama-3.2-1B/resolve/main/config.json.
Your request to access model meta-llama/Llama-3.2-1B is awaiting a review from the repo authors.
OSError: You are trying to access a gated repo.`;
    const cause = extractRootCause(log)!;
    assert.equal(cause.kind, 'gated_repo');
    assert.equal(
      cause.message,
      'Cannot access gated repo for url https://huggingface.co/meta-llama/Llama-3.2-1B/resolve/main/config.json. Your request to access model meta-llama/Llama-3.2-1B is awaiting a review from the repo authors.',
    );
  });

  it('reads a missing repository', () => {
    const log = `huggingface_hub.errors.RepositoryNotFoundError: 404 Client Error. (Request ID: Root=1-66)
Repository Not Found for url: https://huggingface.co/Qwen/Qwen9-8B/resolve/main/config.json.
OSError: Qwen/Qwen9-8B is not a local folder and is not a valid model identifier listed on 'https://huggingface.co/models'`;
    const cause = extractRootCause(log)!;
    assert.equal(cause.kind, 'repo_not_found');
    assert.match(cause.message, /Qwen\/Qwen9-8B is not a local folder/);
  });

  it('reads a shell that cannot find the engine command', () => {
    assert.deepEqual(extractRootCause('bash: line 1: vllm: command not found\n'), {
      kind: 'missing_file',
      message: 'bash: line 1: vllm: command not found',
    });
  });

  it('reads the kernel OOM killer as seen by bash', () => {
    const log =
      'INFO 06-12 09:14:21 [gpu_model_runner.py:1843] Starting to load model\nbash: line 1: 48213 Killed                  vllm serve meta-llama/Llama-3.1-70B\n';
    assert.equal(extractRootCause(log)?.kind, 'killed');
  });

  it('reads a CUDA driver problem', () => {
    const log =
      'RuntimeError: Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU and installed a driver\n';
    assert.equal(extractRootCause(log)?.kind, 'cuda_error');
  });

  it("falls back to Python's last exception line that is not a wrapper", () => {
    const log = `Traceback (most recent call last):
  File "x.py", line 3, in <module>
ValueError: max_model_len (65536) is greater than the derived max_model_len (32768)
RuntimeError: Engine core initialization failed. See root cause above. Failed core proc(s): {}`;
    assert.deepEqual(extractRootCause(log), {
      kind: 'exception',
      message: 'ValueError: max_model_len (65536) is greater than the derived max_model_len (32768)',
    });
  });

  it('strips ANSI colours and vLLM log prefixes', () => {
    const log =
      '\x1b[1;36m(EngineCore_0 pid=9)\x1b[0;0m ERROR 06-12 09:15:40 [core.py:700] torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 20.00 MiB.\n';
    assert.equal(
      extractRootCause(log)?.message,
      'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 20.00 MiB.',
    );
  });

  it('falls back to the last error-looking line, then the last line', () => {
    assert.equal(extractRootCause('starting\nfatal: something broke\nbye\n')?.message, 'fatal: something broke');
    assert.equal(extractRootCause('starting\nloading weights\n')?.message, 'loading weights');
    assert.equal(extractRootCause('\n\n'), undefined);
  });

  it('cuts very long lines', () => {
    const cause = extractRootCause(`ValueError: ${'x'.repeat(2000)}`)!;
    assert.ok(cause.message.length <= 500);
  });
});
