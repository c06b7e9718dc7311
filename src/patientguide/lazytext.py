"""Text made when a template first prints it (:class:`Lazy`): a page's structured data and Open Graph
tags (:mod:`patientguide.head`), kept in each page's render (:mod:`patientguide.rendercache`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Lazy:
    """Text computed on first use (a template printing ``{{ pg.jsonld }}``): themes that do not
    print it do not pay for it."""

    __slots__ = ("_fn", "_text")

    def __init__(self, fn: Callable[[], str]) -> None:
        self._fn: Callable[[], str] = fn
        self._text: str | None = None

    def __str__(self) -> str:
        text = self._text if self._text is not None else self._fn()
        self._text = text
        return text

    __html__ = __str__

    def __bool__(self) -> bool:
        return True

    def __reduce__(self) -> tuple[Callable[..., Lazy], tuple[Any]]:
        """Pickled as its text once made (what made it may not pickle); until then, as what makes it."""
        if self._text is not None:
            return _made, (self._text,)
        return Lazy, (self._fn,)


def _made(text: str) -> Lazy:
    lazy = Lazy(str)  # never called: the text is there
    lazy._text = text
    return lazy
