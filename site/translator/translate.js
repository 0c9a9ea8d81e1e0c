// Translating in the page: the translator exported by book/translation/onnx_export.py (encoder.onnx,
// decoder.onnx, translator.json) run by onnxruntime, with greedy search and beam search as
// book/translation/decoding.py does them. There is no key/value cache: each step runs the decoder on
// the whole prefix, so its cross-attention covers every word generated so far.
//
//   import * as ort from "onnxruntime-web";
//   const translator = await Translator.load(ort, {encoder: "encoder.onnx", decoder: "decoder.onnx"}, spec);
//   const {text, tokens, unknown, crossAttention} = await translator.translate("I see the red car.");
//
// tests/test_translator_js.py checks it against Python on the corpus's test split.

import { InputError, pythonRepr, Tokenizer } from "./tokenize.js";

export { InputError };

const WORD = /[\p{L}\p{N}]/u; // a token with a letter or a digit is a word, not punctuation

/** GNMT's length normalisation ((5 + length) / 6)^alpha: decoding.py's length_penalty. */
function lengthPenalty(length, alpha) {
  return ((5 + length) / 6) ** alpha;
}

/** The indices of the `count` largest `values`, largest first (the earlier index first among equals). */
function largest(values, count) {
  const top = [];
  for (let i = 0; i < values.length; i++) {
    if (top.length === count && values[i] <= values[top[count - 1]]) continue;
    let at = top.length;
    while (at > 0 && values[top[at - 1]] < values[i]) at--;
    top.splice(at, 0, i);
    if (top.length > count) top.pop();
  }
  return top;
}

/** A translator running in onnxruntime: `ort` is the onnxruntime module, `spec` translator.json's data. */
export class Translator {
  constructor(ort, encoder, decoder, spec) {
    this.ort = ort;
    this.encoder = encoder; // InferenceSession of encoder.onnx
    this.decoder = decoder; // InferenceSession of decoder.onnx
    this.spec = spec;
    this.tokenizer = new Tokenizer(spec);
    this.special = spec.special_ids; // {pad, bos, eos, unk}
  }

  /** Open the two models (each a path, a URL or the file's bytes) with `options` for InferenceSession. */
  static async load(ort, { encoder, decoder }, spec, options = {}) {
    const sessions = [encoder, decoder].map((model) => ort.InferenceSession.create(model, options));
    return new Translator(ort, ...(await Promise.all(sessions)), spec);
  }

  /**
   * Translate one sentence, greedily (`beamSize` 1) or by beam search. Resolves to
   * {text, tokens: {source, target}, unknown, crossAttention, logProbs}: the French; the tokens the
   * encoder read (<bos> ... <eos>, <unk> for unknown words) and those the decoder wrote (ending with
   * <eos> unless the length limit came first); the unknown words; the cross-attention
   * crossAttention[layer][head][t][s] of target token t on source token s; and each target token's
   * log-probability. Rejects with InputError for text without words, longer than translator.json's
   * max_words tokens, or whose words are all unknown (where Python's Translator translates the
   * punctuation or the <unk>s, and warns).
   */
  async translate(text, beamSize = 1) {
    if (!Number.isInteger(beamSize) || beamSize < 1) {
      throw new RangeError(`beamSize must be a positive integer, got ${beamSize}`);
    }
    const input = this.tokenizer.read(text);
    if (!input.tokens.slice(1, -1).some((token) => token !== "<unk>" && WORD.test(token))) {
      throw new InputError(
        input.unknown.length === 0
          ? `nothing to translate: ${pythonRepr(text)} has no words`
          : `no word of ${pythonRepr(text)} is known to this translator: ${input.unknown.join(", ")}`,
      );
    }
    const src = this.#ids([input.ids]);
    const { memory } = await this.encoder.run({ src });
    const limit = Math.min(2 * input.ids.length + 10, this.spec.max_len - 1); // decoding.py's output_limit
    const best =
      beamSize === 1
        ? await this.#greedy(src, memory, limit)
        : await this.#beam(src, memory, limit, beamSize);
    const { pad, bos, eos, unk } = this.special;
    const end = best.words.includes(eos) ? best.words.indexOf(eos) : best.words.length;
    const words = best.words.slice(0, end).filter((id) => ![pad, bos, unk].includes(id)); // as Vocab.decode
    return {
      text: this.tokenizer.detokenize(words.map((id) => this.spec.tgt_vocab[id])),
      tokens: { source: input.tokens, target: best.words.map((id) => this.spec.tgt_vocab[id]) },
      unknown: input.unknown,
      crossAttention: await this.#crossAttention(src, memory, best.words),
      logProbs: best.logProbs,
    };
  }

  /** The most likely word at every step, as decoding.py's greedy_decode: {words, logProbs}, without <bos>. */
  async #greedy(src, memory, limit) {
    const words = [this.special.bos];
    const logProbs = [];
    while (words.length <= limit) {
      const scores = (await this.#step([words], src, memory)).log_probs.data; // (vocab)
      const word = largest(scores, 1)[0];
      words.push(word);
      logProbs.push(scores[word]);
      if (word === this.special.eos) break;
    }
    return { words: words.slice(1), logProbs };
  }

  /**
   * Beam search as decoding.py's beam_search: the `beamSize` best partial translations at every step;
   * an ending counts when it is among the beam's best; stops when `beamSize` have ended. Returns the
   * best ended one by log-probability / lengthPenalty: {words, logProbs}, without <bos>.
   */
  async #beam(src, memory, limit, beamSize) {
    const { bos, eos } = this.special;
    const alpha = this.spec.length_penalty_alpha;
    let alive = [{ words: [bos], score: 0, logProbs: [] }];
    let finished = [];
    for (let step = 0; step < limit; step++) {
      const k = alive.length;
      const rows = alive.map((hypothesis) => hypothesis.words);
      const logProbs = (await this.#step(rows, this.#repeat(src, k), this.#repeat(memory, k))).log_probs.data;
      const vocab = logProbs.length / k; // logProbs (k, vocab), flat
      const scores = logProbs.map((p, i) => alive[Math.floor(i / vocab)].score + p); // summed in float32
      const kept = [];
      for (const [rank, index] of largest(scores, Math.min(2 * beamSize, scores.length)).entries()) {
        const [parent, word] = [alive[Math.floor(index / vocab)], index % vocab];
        const hypothesis = {
          words: [...parent.words, word],
          score: scores[index],
          logProbs: [...parent.logProbs, logProbs[index]],
        };
        if (word === eos) {
          // an ending counts only if it is among the beam's best; its length counts <eos>, not <bos>
          const normalized = hypothesis.score / lengthPenalty(parent.words.length, alpha);
          if (rank < beamSize) finished.push({ ...hypothesis, normalized });
        } else if (kept.length < beamSize) {
          kept.push(hypothesis);
        }
      }
      if (finished.length >= beamSize || kept.length === 0) break;
      alive = kept;
    }
    if (finished.length === 0) {
      // ran out of steps: take the alive hypotheses as they are
      finished = alive.map((h) => ({ ...h, normalized: h.score / lengthPenalty(h.words.length - 1, alpha) }));
    }
    const best = finished.reduce((a, b) => (b.normalized > a.normalized ? b : a));
    return { words: best.words.slice(1), logProbs: best.logProbs };
  }

  /** The cross-attention behind `words`, [layer][head][t][s]: row t is the step that chose word t. */
  async #crossAttention(src, memory, words) {
    const prefix = [this.special.bos, ...words.slice(0, -1)];
    const { data, dims } = (await this.#step([prefix], src, memory)).cross_attention;
    const [, layers, heads, steps, length] = dims; // (1, layers, heads, steps, src_len)
    const row = (l, h, t) => {
      const start = ((l * heads + h) * steps + t) * length;
      return Array.from(data.subarray(start, start + length));
    };
    return Array.from({ length: layers }, (_, l) =>
      Array.from({ length: heads }, (_, h) => Array.from({ length: steps }, (_, t) => row(l, h, t))),
    );
  }

  /** One decoder step for equally long `rows` of target ids: {log_probs (rows, vocab), cross_attention}. */
  #step(rows, src, memory) {
    return this.decoder.run({ tgt: this.#ids(rows), memory, src });
  }

  /** Equally long `rows` of token ids as an int64 tensor (rows, length). */
  #ids(rows) {
    const data = BigInt64Array.from(rows.flat(), BigInt);
    return new this.ort.Tensor("int64", data, [rows.length, rows[0].length]);
  }

  /** `tensor` of shape (1, ...) repeated `k` times along its first axis. */
  #repeat(tensor, k) {
    const data = new tensor.data.constructor(k * tensor.data.length);
    for (let i = 0; i < k; i++) data.set(tensor.data, i * tensor.data.length);
    return new this.ort.Tensor(tensor.type, data, [k, ...tensor.dims.slice(1)]);
  }
}
