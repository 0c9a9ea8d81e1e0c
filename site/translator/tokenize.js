// Reading English as the book's translator reads it: book/translation/tokenizer.py (tokenize,
// detokenize) and Translator.read in book/translation/translator.py, character for character.
// The elisions and spacing rules come from translator.json (book/translation/onnx_export.py);
// tests/test_translator_js.py checks every sentence of the corpus and every character against Python.

// Python's \w (letters, digits, numbers and "_") and \s (str.isspace), which JavaScript's \w and \s
// are not: theirs are ASCII-only and count U+FEFF as a space but not U+001C-U+001F.
const WORD = String.raw`\p{L}\p{N}_`;
const SPACE = String.raw`\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000`;
// A word (with inner hyphens or apostrophes, possibly ending in an apostrophe), or any single other
// character that is not a space (punctuation): tokenizer.py's _TOKEN.
const TOKEN = new RegExp(String.raw`[${WORD}]+(?:[-'][${WORD}]+)*'?|[^${WORD}${SPACE}]`, "gu");
const ALPHANUMERIC = /[\p{L}\p{N}]/u; // Python's str.isalnum, character by character
const NOT_PRINTABLE = /[\p{C}\p{Z}]/u; // what Python's repr escapes (but the space)

/** Bad input to translate: the message says what is wrong, as Python's ValueError does. */
export class InputError extends Error {
  name = "InputError";
}

/** Python's repr of a string, as the error messages quote the input. */
export function pythonRepr(text) {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const named = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", [quote]: "\\" + quote };
  let body = "";
  for (const char of text) {
    const code = char.codePointAt(0);
    if (char in named) body += named[char];
    else if (char === " " || !NOT_PRINTABLE.test(char)) body += char;
    else if (code < 0x100) body += "\\x" + code.toString(16).padStart(2, "0");
    else if (code < 0x10000) body += "\\u" + code.toString(16).padStart(4, "0");
    else body += "\\U" + code.toString(16).padStart(8, "0");
  }
  return quote + body + quote;
}

/** The translator's tokenizer and vocabulary of its input, from translator.json's data (`spec`). */
export class Tokenizer {
  constructor(spec) {
    this.elisions = new Set(spec.elisions);
    this.noSpaceBefore = new Set(spec.no_space_before);
    this.noSpaceAfter = new Set(spec.no_space_after);
    this.vocab = new Map(spec.src_vocab.map((token, id) => [token, id]));
    this.special = spec.special_ids; // {pad, bos, eos, unk}
    this.maxWords = spec.max_words;
  }

  /** Lowercase `text` and split it into words, punctuation marks and French elisions ("l'", "qu'"). */
  tokenize(text) {
    const tokens = [];
    for (const token of text.toLowerCase().replaceAll("’", "'").match(TOKEN) ?? []) {
      const cut = token.indexOf("'"); // -1 for none
      const head = token.slice(0, cut + 1); // "l'" of "l'animal"
      if (cut >= 0 && head.length < token.length && this.elisions.has(head)) {
        tokens.push(head, ...this.tokenize(token.slice(head.length)));
      } else {
        tokens.push(token);
      }
    }
    return tokens;
  }

  /** Join tokens into text: no space after an elision or "(", none before "." "," and the like. */
  detokenize(tokens) {
    let text = "";
    let previous = "";
    for (const token of tokens) {
      const glued =
        !text ||
        this.noSpaceBefore.has(token) ||
        this.elisions.has(previous) ||
        this.noSpaceAfter.has(previous);
      text += glued ? token : " " + token;
      previous = token;
    }
    return text;
  }

  /**
   * `text` as the model reads it: Translator.read, then Vocab.encode.
   * Returns {normalized, tokens, ids, unknown}: the text as the corpus writes it, the tokens the
   * encoder reads (<bos>, the words with <unk> for unknown ones, <eos>), their ids, and the unknown
   * words, each once.
   * Throws TypeError for a non-string and InputError for text without words or with more than
   * `maxWords` tokens.
   */
  read(text) {
    if (typeof text !== "string") throw new TypeError(`text must be a string, got ${typeof text}`);
    const kept = this.tokenize(text).filter((t) => this.vocab.has(t) || ALPHANUMERIC.test(t));
    if (kept.length === 0) throw new InputError(`nothing to translate: ${pythonRepr(text)} has no words`);
    if (kept.length > this.maxWords) {
      throw new InputError(
        `the text has ${kept.length} tokens; this translator reads at most ${this.maxWords}`,
      );
    }
    const normalized = this.detokenize(kept);
    const words = this.tokenize(normalized);
    return {
      normalized,
      tokens: ["<bos>", ...words.map((t) => (this.vocab.has(t) ? t : "<unk>")), "<eos>"],
      ids: [this.special.bos, ...words.map((t) => this.vocab.get(t) ?? this.special.unk), this.special.eos],
      unknown: [...new Set(words.filter((t) => !this.vocab.has(t)))],
    };
  }
}
