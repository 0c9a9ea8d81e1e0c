"""show_source: the package's own code, whole or cut down to the methods a chapter teaches."""

import pytest

from book.attention import MultiHeadAttention
from book.chapters.source import show_source
from book.masks import causal_mask


def test_a_function_and_a_method_are_shown_as_stored() -> None:
    assert show_source(causal_mask).data.startswith("def causal_mask(")
    assert show_source(MultiHeadAttention.split_heads).data.startswith("def split_heads(self")  # dedented


def test_only_keeps_the_header_the_docstring_and_the_methods_named() -> None:
    code = show_source(MultiHeadAttention, only=["__init__", "forward"]).data
    assert code.startswith('class MultiHeadAttention(nn.Module):\n    """h heads attend in parallel')
    assert "def __init__(" in code and "def forward(" in code
    assert "def split_heads(" not in code and "def _keys_and_values(" not in code
    assert code.index("def __init__(") < code.index("def forward(")
    compile(code, "<shown>", "exec")  # still valid Python


def test_only_names_what_is_missing() -> None:
    with pytest.raises(ValueError, match="MultiHeadAttention has no method attend"):
        show_source(MultiHeadAttention, only=["attend"])
    with pytest.raises(TypeError, match="methods of a class"):
        show_source(causal_mask, only=["x"])
