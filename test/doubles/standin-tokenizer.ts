/**
 * The stand-in's tokenizers. `words` is the historical one (a token is a word with its leading whitespace, no BOS);
 * the others imitate what matters of real tokenizers for log-likelihood, as vLLM exposes them:
 * - `llama2` / `mistral`: SentencePiece with a dummy prefix (`▁` marks a space), BOS `<s>`, newlines as byte pieces.
 *   Decoding ONE piece strips its leading space, as `LlamaTokenizerFast.decode([id])` does (its decoder ends in
 *   `Strip(left=1)`); the two differ in how words split into pieces.
 * - `llama3`: byte-level BPE (tiktoken style), BOS `<|begin_of_text|>` (17 characters); a piece keeps its space.
 * vLLM builds the echoed `tokens` of /v1/completions one token at a time —
 * vllm/transformers_utils/detokenizer_utils.py, convert_ids_list_to_tokens: `token_str = tokenizer.decode([token_id])`
 * — and `text_offset` by adding up their lengths —
 * vllm/entrypoints/openai/serving_completion.py: `out_text_offset.append(out_text_offset[-1] + last_token_len)`
 * — so in the SentencePiece modes the offsets drift from the text and in llama3 they start 17 characters late.
 */
export type TokenMode = 'words' | 'llama2' | 'mistral' | 'llama3';
export const TOKEN_MODES: readonly TokenMode[] = ['words', 'llama2', 'mistral', 'llama3'];

const SPACE = '▁';
const BOS_TEXT: Record<TokenMode, string | undefined> = {
  words: undefined,
  llama2: '<s>',
  mistral: '<s>',
  llama3: '<|begin_of_text|>',
};
/** How many letters one piece holds at most (the vocabularies differ, so sums differ between modes). */
const CHUNK: Record<TokenMode, number> = { words: Infinity, llama2: 6, mistral: 4, llama3: 5 };

function chunkLetters(piece: string, size: number, lead: string): string[] {
  const body = piece.startsWith(lead) && lead ? piece.slice(lead.length) : piece;
  const hasLead = body.length !== piece.length;
  if (!/^[A-Za-z]+$/.test(body) || body.length <= size) return [piece];
  const out: string[] = [];
  for (let i = 0; i < body.length; i += size) out.push((i === 0 && hasLead ? lead : '') + body.slice(i, i + size));
  return out;
}

export class StandinTokenizer {
  private readonly ids = new Map<string, number>();
  private readonly pieces: string[] = [];
  readonly bosId: number | undefined;

  constructor(readonly mode: TokenMode = 'words') {
    const bos = BOS_TEXT[mode];
    this.bosId = bos === undefined ? undefined : this.idOf(`\u0000bos:${bos}`);
  }

  private idOf(piece: string): number {
    let id = this.ids.get(piece);
    if (id === undefined) {
      id = this.pieces.length;
      this.pieces.push(piece);
      this.ids.set(piece, id);
    }
    return id;
  }

  /** The vocabulary pieces of a text (no special tokens). */
  private split(text: string): string[] {
    const size = CHUNK[this.mode];
    switch (this.mode) {
      case 'words':
        return text.match(/\s*\S+|\s+$/g) ?? [];
      case 'llama3':
        return (text.match(/ ?[A-Za-z]+| ?\d{1,3}| ?[^\sA-Za-z\d]+|\s+(?!\S)|\s+/g) ?? []).flatMap((p) =>
          chunkLetters(p, size, ' '),
        );
      default: {
        // SentencePiece: every space becomes ▁, and a dummy ▁ is put before the text.
        const normal = SPACE + text.replace(/ /g, SPACE);
        const raw = normal.match(/▁?[A-Za-z]+|▁?\d|▁?[^A-Za-z\d▁\n]|▁|\n/g) ?? [];
        return raw.flatMap((p) => (p === '\n' ? ['<0x0A>'] : chunkLetters(p, size, SPACE)));
      }
    }
  }

  /** Token ids of a text, with BOS first when `addSpecialTokens` (vLLM's default for completions and /tokenize). */
  encode(text: string, addSpecialTokens = true): number[] {
    const ids = this.split(text).map((p) => this.idOf(p));
    return addSpecialTokens && this.bosId !== undefined ? [this.bosId, ...ids] : ids;
  }

  /** What `tokenizer.decode([id])` gives for one token: the SentencePiece modes lose the piece's leading space. */
  decodeOne(id: number): string {
    const piece = this.pieces[id] ?? '';
    if (piece.startsWith('\u0000bos:')) return piece.slice(5);
    if (this.mode === 'llama2' || this.mode === 'mistral') {
      if (piece === '<0x0A>') return '\n';
      return piece.replace(/▁/g, ' ').replace(/^ /, '');
    }
    return piece;
  }

  /** The text of several tokens (special tokens skipped, the dummy prefix removed). */
  decode(ids: readonly number[]): string {
    const text = ids
      .filter((id) => id !== this.bosId)
      .map((id) => this.pieces[id] ?? '')
      .map((p) => (p === '<0x0A>' ? '\n' : p))
      .join('');
    return this.mode === 'llama2' || this.mode === 'mistral' ? text.replace(/▁/g, ' ').replace(/^ /, '') : text;
  }
}
