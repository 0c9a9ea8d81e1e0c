"""The shipped translator: held-out accuracy, the lecture sentences, and clear answers to bad input."""

import copy
import warnings

import pytest
import torch

from book.corpus.splits import LECTURE_SENTENCES, regenerate
from book.translation.evaluation import evaluate
from book.translation.tokenizer import EOS_ID, tokenize
from book.translation.translator import (
    Analysis,
    Translator,
    UnfinishedTranslationWarning,
    UnknownWordsWarning,
)

TIRED, WIDE = LECTURE_SENTENCES


@pytest.fixture(scope="module")
def translator() -> Translator:
    return Translator.pretrained()


def test_held_out_test_split_is_translated_almost_perfectly(translator) -> None:
    corpus = regenerate(translator.corpus)  # the corpus the checkpoint was trained on
    assert translator.direction == "en-fr"
    result = evaluate(translator, corpus.test)
    assert len(result.pairs) == translator.corpus["generator"]["n_test"]
    assert result.exact_match >= 0.98
    assert result.bleu >= 97.5  # a rare repeated phrase costs BLEU more than exact match
    assert result.pronouns.accuracy >= 0.97


def test_lecture_sentences_get_the_right_pronoun(translator) -> None:
    assert translator.translate(TIRED).endswith("parce qu'il était trop fatigué")
    assert translator.translate(WIDE).endswith("parce qu'elle était trop large")
    assert translator.translate_batch([TIRED, WIDE]) == [LECTURE_SENTENCES[TIRED], LECTURE_SENTENCES[WIDE]]


def test_english_as_people_type_it(translator) -> None:
    assert translator.translate("i see the red car") == "je vois la voiture rouge"
    assert translator.translate("I see the RED car.") == "je vois la voiture rouge."
    assert translator.translate("I see the red car!") == "je vois la voiture rouge!"
    typed = {TIRED: "The animal didn't cross the street because it was too tired.", WIDE: ""}
    typed[WIDE] = typed[TIRED].replace("tired", "wide")
    for plain, as_typed in typed.items():
        assert translator.translate(as_typed) == LECTURE_SENTENCES[plain] + "."
    assert translator.translate("Is the boy happy?") == "est-ce que le garçon est heureux?"


def test_unknown_words_are_reported_not_crashed_on(translator) -> None:
    with pytest.warns(UnknownWordsWarning, match="unknown words, read as <unk>: purple, zebra"):
        translation = translator.translate("the purple zebra is tired")
    assert isinstance(translation, str)
    analysis = translator.analyze("the zebra is tired")
    assert analysis.unknown_words == ["zebra"]
    assert "<unk>" in analysis.source_tokens
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # known words: no warning at all
        translator.translate("the dog is tired")


def test_bad_input_raises_clear_errors(translator) -> None:
    with pytest.raises(ValueError, match="nothing to translate"):
        translator.translate("   ")
    with pytest.raises(ValueError, match=f"reads at most {translator.max_words}"):
        translator.translate("the dog " * translator.max_words)
    with pytest.raises(TypeError, match="list of sentences"):
        translator.translate_batch("the dog is tired")


def test_analysis_holds_tokens_and_attention_of_every_step(translator) -> None:
    analysis = translator.analyze("i see the red car")
    assert isinstance(analysis, Analysis)
    assert analysis.translation == "je vois la voiture rouge"
    assert analysis.source_tokens == ["<bos>", "i", "see", "the", "red", "car", "<eos>"]
    assert analysis.target_tokens == ["je", "vois", "la", "voiture", "rouge", "<eos>"]
    config = translator.model.config
    maps = analysis.attention
    assert len(maps.cross) == len(maps.encoder) == config.layers
    assert maps.cross[0].shape == (1, config.heads, 6, 7)
    assert torch.allclose(maps.cross[-1].sum(-1), torch.ones(1, config.heads, 6))
    # generating "rouge" (step 4), some head of the last layer looks at "red" more than anything else
    assert (maps.cross[-1][0, :, 4].argmax(-1) == 4).any()


def test_beam_search_agrees_on_easy_sentences() -> None:
    beam = Translator.pretrained(beam_size=4)
    assert beam.translate(TIRED) == LECTURE_SENTENCES[TIRED]


@pytest.mark.parametrize("beam_size", [1, 3])
def test_a_translation_that_does_not_end_stops_with_a_message(translator, beam_size: int) -> None:
    never_ends = Translator(copy.deepcopy(translator.model), translator.src_vocab, translator.tgt_vocab)
    with torch.no_grad():
        never_ends.model.generator.proj.bias[EOS_ID] = -1e4  # <eos> is never the likeliest word
    never_ends = never_ends.with_beam(beam_size)
    sentence = "the dog is tired"  # 4 words + <bos> and <eos>: at most 2 * 6 + 10 = 22 words out
    with pytest.warns(
        UnfinishedTranslationWarning, match=r"did not end within 22 words .* 'the dog is tired'"
    ):
        french = never_ends.translate(sentence)
    assert len(tokenize(french)) <= 22
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the shipped model ends its sentences: no warning
        translator.with_beam(beam_size).translate(sentence)
