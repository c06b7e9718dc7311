"""Pickling for the small frozen records that caches keep by the thousand (citations, references)."""

from __future__ import annotations


class ByConstructor:
    """Pickled as its constructor's arguments: read back about twice as fast as through the
    ``__setstate__`` that ``dataclasses`` gives a frozen class with slots. For a dataclass whose
    fields are all ``__init__`` arguments, in order (``__match_args__``)."""

    __slots__ = ()
    __match_args__: tuple[str, ...]

    def __reduce__(self) -> tuple[type, tuple]:
        return type(self), tuple(getattr(self, name) for name in self.__match_args__)
