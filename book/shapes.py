"""Shape checks that fail with a message naming the expected and the actual shape.

Every component checks its inputs with them, so a wrong shape fails with both shapes named.
"""

import torch


def expect_shape(tensor: torch.Tensor, expected: tuple, name: str) -> None:
    """Raise ValueError unless ``tensor`` has the ``expected`` shape.

    ``expected`` holds an int for a size that must match and a string (a dimension's
    name, such as ``"batch"``) for a size that may be anything, e.g.
    ``expect_shape(x, ("batch", "seq", 512), "x")``.
    """
    shape = tuple(tensor.shape)
    matches = len(shape) == len(expected) and all(
        isinstance(want, str) or want == got for want, got in zip(expected, shape, strict=True)
    )
    if not matches:
        wanted = ", ".join(str(size) for size in expected)
        raise ValueError(f"{name}: expected shape ({wanted}), got {shape}")
