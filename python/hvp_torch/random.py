"""Seeded, serialisable random numbers: a bit-exact port of src/core/random.ts.

sfc32 (Small Fast Counter, 128-bit state) seeded through splitmix32, with independent streams
derived by name (``derive_seed(seed, 'views')``). Every 32-bit operation is done as JavaScript
does it: ``Math.imul`` is the low 32 bits of the product, ``>>> 0`` is ``& 0xFFFFFFFF``, ``<<``
wraps to 32 bits, and ``next()`` is ``u32 / 2**32`` (exact in a double). So the same seed or the
same saved state gives the same draws here as in the browser and the CLI.

Exactness: ``next``, ``uniform``, ``int``, ``int_range``, ``bernoulli`` and ``permutation`` are
bit-identical to TS (only integer and correctly rounded double arithmetic). ``normal`` uses
log/sqrt/cos; Python's libm and V8's fdlibm agree to the last bit almost always but are not
guaranteed to (at most 1 ulp apart), so treat ``normal`` as exact to ~1e-15.

Public API:
    hash_string(s: str) -> int                       32-bit FNV-1a over UTF-16 code units (hashString)
    derive_seed(seed: int, stream: str) -> int       seed of an independent stream (deriveSeed)
    create_rng(seed: int) -> Rng                     generator from a seed (createRng: 12 warm-up draws)
    rng_from_state(state: Sequence[int]) -> Rng      generator from a saved state (rngFromState)
    Rng.next() -> float                              uniform in [0, 1)
    Rng.next_u32() -> int                            the raw 32-bit output
    Rng.uniform(lo, hi) -> float                     uniform in [lo, hi)
    Rng.int(n) -> int                                uniform integer in [0, n)
    Rng.int_range(lo, hi) -> int                     integer in [lo, hi] inclusive
    Rng.bernoulli(p) -> bool                         next() < p
    Rng.normal() -> float                            Box–Muller, two uniforms per call, no spare
    Rng.permutation(n) -> list[int]                  Fisher–Yates from the top
    Rng.get_state() -> tuple[int, int, int, int]     copy of the state as TS writes it (word 0 signed)

Must not import: torch (pure Python, usable anywhere in the package).
"""
from __future__ import annotations

import math
from typing import Callable, List, Sequence, Tuple

MASK32 = 0xFFFFFFFF
RngState = Tuple[int, int, int, int]


def imul(a: int, b: int) -> int:
    """Math.imul(a, b) >>> 0: the low 32 bits of the product, as an unsigned int."""
    return ((a & MASK32) * (b & MASK32)) & MASK32


def _splitmix32(a: int) -> Callable[[], int]:
    s = a & MASK32

    def nxt() -> int:
        nonlocal s
        s = (s + 0x9E3779B9) & MASK32
        z = s
        z = imul(z ^ (z >> 16), 0x85EBCA6B)
        z = imul(z ^ (z >> 13), 0xC2B2AE35)
        return (z ^ (z >> 16)) & MASK32

    return nxt


def hash_string(s: str) -> int:
    """32-bit FNV-1a of a string over its UTF-16 code units (JS charCodeAt), as hashString."""
    h = 0x811C9DC5
    units = s.encode("utf-16-le")
    for i in range(0, len(units), 2):
        h ^= units[i] | (units[i + 1] << 8)
        h = imul(h, 0x01000193)
    return h


def derive_seed(seed: int, stream: str) -> int:
    """Seed of an independent stream of ``seed`` (deriveSeed)."""
    mix = _splitmix32((seed & MASK32) ^ hash_string(stream))
    mix()
    return mix()


class Rng:
    """sfc32 generator. NOTE: every draw mutates the state."""

    __slots__ = ("_a", "_b", "_c", "_d")

    def __init__(self, state: Sequence[int]):
        if len(state) != 4:
            raise ValueError(f"An rng state is four uint32 words, got {len(state)} values")
        self._a, self._b, self._c, self._d = (int(x) & MASK32 for x in state)

    def next_u32(self) -> int:
        a, b, c, d = self._a, self._b, self._c, self._d
        t = (((a + b) & MASK32) + d) & MASK32
        self._d = (d + 1) & MASK32
        self._a = b ^ (b >> 9)
        self._b = (c + ((c << 3) & MASK32)) & MASK32
        c = ((c << 21) & MASK32) | (c >> 11)
        self._c = (c + t) & MASK32
        return t

    def next(self) -> float:
        return self.next_u32() / 4294967296.0

    def uniform(self, lo: float, hi: float) -> float:
        return lo + (hi - lo) * self.next()

    def int(self, n: int) -> int:
        return math.floor(self.next() * n)

    def int_range(self, lo: int, hi: int) -> int:
        return lo + math.floor(self.next() * (hi - lo + 1))

    def bernoulli(self, p: float) -> bool:
        return self.next() < p

    def normal(self) -> float:
        u1 = 1 - self.next()  # (0, 1]
        u2 = self.next()
        return math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)

    def permutation(self, n: int) -> List[int]:
        p = list(range(n))
        for i in range(n - 1, 0, -1):
            j = math.floor(self.next() * (i + 1))
            p[i], p[j] = p[j], p[i]
        return p

    def get_state(self) -> RngState:
        """Copy of the state, written as TS writes it: word 0 as a signed int32 (JS `b ^ (b >>> 9)`
        is signed), words 1–3 unsigned. Either form restores the same generator."""
        a = self._a - (1 << 32) if self._a & 0x80000000 else self._a
        return (a, self._b, self._c, self._d)


def rng_from_state(state: Sequence[int]) -> Rng:
    """Generator continuing exactly from a state returned by get_state() (or TS getState())."""
    return Rng(state)


def create_rng(seed: int) -> Rng:
    """Generator from a seed (only the low 32 bits matter), warmed up by 12 draws as createRng."""
    sm = _splitmix32(seed & MASK32)
    rng = Rng([sm(), sm(), sm(), sm()])
    for _ in range(12):
        rng.next_u32()
    return rng
