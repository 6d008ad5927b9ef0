"""The default toxicity model: a small transformer read on this server, never elsewhere.

all-MiniLM-L6-v2 fine-tuned for moderation (``scripts/finetune_semantic.py``, from
``../shared`` and the project's own hand-written cases alone) with four sigmoid heads on its
mean-pooled output: ``toxic``, ``hate`` (an attack on a people or group), ``threat`` and
``insult``, and the same four heads after its second layer (the early exit). It ships as two
int8 ONNX files, ``models/semantic-early.onnx`` (embeddings and the first two layers) and
``models/semantic-late.onnx`` (the other four and the final heads), with its WordPiece
vocabulary (``models/minilm-tokenizer.json``) and its calibration
(``models/semantic-calibration.npz``): the strongest head is mapped so that the site's
default thresholds (warn 0.51, hold 0.70, reject 0.98) nudge about 3 % and hold about
1.7 % of civil long-form comments (news and Wikipedia comments no training saw).

Cost: a comment whose early score is clearly civil stops after the early part (about a
third of the work); the others are read to the end. A comment longer than ``CHUNK`` pieces
is read in sentence chunks, at most ``MAX_CHUNKS`` of them, and scored by its worst chunk.
Requests that overlap share one inference (``Batcher``); ONNX Runtime lets go of the GIL
meanwhile.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from threadline.scoring.base import Score, ScoringContext

MODEL_DIR = Path(__file__).resolve().parent / "models"
EARLY_PATH = MODEL_DIR / "semantic-early.onnx"  # embeddings and the first layers
LATE_PATH = MODEL_DIR / "semantic-late.onnx"  # the other layers and the final heads
CALIBRATION_PATH = MODEL_DIR / "semantic-calibration.npz"
GATE_PATH = MODEL_DIR / "semantic-gate.npz"  # the word gate before the transformer
TOKENIZER_PATH = MODEL_DIR / "minilm-tokenizer.json"
HEADS = ("toxic", "hate", "threat", "insult")
WHOLE = 64  # a comment of up to this many word pieces ([CLS] and [SEP] included) is read
# in one window; a longer one is read in
CHUNK = 64  # chunks of whole sentences of at most this many pieces, so that one abusive
MAX_CHUNKS = 6  # sentence is not averaged away among civil ones; at most six chunks: the
# first three and the last three (384 pieces). (Whole windows of 128 pieces, the training
# length, held 37 of probe E's 64 abusive comments, windows of 64 held 40, each with 4 of
# its 199 civil ones and the news dev file's civil holds unchanged; docs/moderation.md.)


def model_files(directory: Path = MODEL_DIR) -> list[Path]:
    """The model's two ONNX graphs in ``directory``."""
    return [directory / EARLY_PATH.name, directory / LATE_PATH.name]


_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
_MENTION = re.compile(r"(?<!\w)@\w+")
_WORD = re.compile(r"\S+")


# Fixed phrases in which a slur's homonym is an ordinary word: read in a spelling that is
# not the slur, so the model judges the rest of the sentence (the slur itself, aimed at
# people, is never rewritten: "chinks in our street" stays).
_IDIOMS = (
    (re.compile(r"\bspick?([- ])and\1span\b", re.IGNORECASE), "spick and span"),
    (
        re.compile(
            r"\bchink(s?)(?= (?:in|of) (?:the |an? |his |her |their |its |my |our |your )?"
            r"(?:armou?r|curtains?|blinds|shutters|wall|fence|door|clouds?|light|sunlight|"
            r"defen[cs]es?|argument|logic|case|plan|story|glass|ice|mortar|hedge)\b)",
            re.IGNORECASE,
        ),
        r"crack\1",
    ),
)


def prepare(text: str) -> str:
    """What the model reads: entities decoded, links and @mentions as plain words, a slur's
    homonym in a fixed idiom ("spic and span", "a chink in the armour") in another
    spelling."""
    text = html.unescape(text)
    lowered = text.lower()
    if "spic" in lowered or "chink" in lowered:
        for pattern, replacement in _IDIOMS:
            text = pattern.sub(replacement, text)
    if "://" in text or "www." in text.lower():
        text = _URL.sub(" link ", text)
    if "@" in text:
        text = _MENTION.sub(" @user ", text)
    return " ".join(text.split())


class Encoder:
    """The ONNX model in two parts. The early part (embeddings and the first two layers)
    gives early probabilities and a unit vector for finding similar comments; the late part
    goes on from its hidden states to the final probabilities. A text whose early score is
    below ``exit_below`` is done after the early part: about a third of the cost, and what
    most civil comments pay. With a ``gate``, a window the word gate finds clearly civil is
    done before either part. Per text: each head's probability, the strongest over its
    windows."""

    def __init__(
        self, *, threads: int = 1, model_dir: Path = MODEL_DIR, gate: Gate | None = None
    ) -> None:
        import onnxruntime as ort

        self.gate = gate
        self.tokenizer = self.load_tokenizer()
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # Idle intra-op threads sleep rather than spin, leaving the core to request threads.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        early, late = model_files(model_dir)
        self.early = ort.InferenceSession(
            str(early), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self.late = ort.InferenceSession(
            str(late), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self.inputs = {i.name for i in self.early.get_inputs()}
        self.cls = self.tokenizer.token_to_id("[CLS]")
        self.sep = self.tokenizer.token_to_id("[SEP]")
        self.stops = {self.tokenizer.token_to_id(t) for t in (".", "!", "?", ";")}

    @staticmethod
    def load_tokenizer() -> Any:
        from tokenizers import Tokenizer

        return Tokenizer.from_file(str(TOKENIZER_PATH))

    def windows(self, text: str) -> list[list[int]]:
        """The word pieces of ``text``: one window when it fits in ``WHOLE``; else chunks of
        whole sentences of at most ``CHUNK`` pieces (a long sentence is cut), so that one
        abusive sentence among civil ones is read on its own rather than averaged away; at
        most ``MAX_CHUNKS``, the first and the last ones."""
        ids = self.tokenizer.encode(text, add_special_tokens=False).ids
        if len(ids) <= WHOLE - 2:
            return [[self.cls, *ids, self.sep]]
        size = CHUNK - 2
        chunks: list[list[int]] = []
        current: list[int] = []
        sentence: list[int] = []
        for token in ids:
            sentence.append(token)
            if token in self.stops or len(sentence) >= size:
                if len(current) + len(sentence) > size:
                    chunks.append(current)
                    current = []
                current += sentence
                sentence = []
        current += sentence
        if len(current) > size:
            chunks += [current[:size], current[size:]]
        elif current:
            chunks.append(current)
        chunks = [c for c in chunks if c]
        if len(chunks) > MAX_CHUNKS:
            half = MAX_CHUNKS // 2
            chunks = chunks[:half] + chunks[-half:]
        return [[self.cls, *c, self.sep] for c in chunks]

    def score(
        self,
        texts: Sequence[str],
        *,
        exit_below: float | Sequence[float] | np.ndarray | None = None,
        gate: bool | Sequence[bool] | np.ndarray = False,
        batch: int = 32,
    ) -> Scores:
        """Scores of ``texts``. ``exit_below``: the early score (strongest early head) under
        which a window of a text is done after the early part, one for all texts or one
        each; ``None``: every window is read to the end. ``gate`` (one for all texts or
        one each): a window the word gate finds clearly civil is done before the
        transformer (only where the encoder has a gate). Windows are batched by length, so
        a batch pads little."""
        n = len(texts)
        windows: list[list[int]] = []
        owner: list[int] = []
        for i, text in enumerate(texts):
            for w in self.windows(prepare(text)):
                windows.append(w)
                owner.append(i)
        early = np.zeros((n, len(HEADS)), dtype=np.float32)
        pooled = np.zeros((n, 384), dtype=np.float32)
        first: dict[int, int] = {}  # text -> its first window
        for window, t in enumerate(owner):
            first.setdefault(t, window)
        hidden: list[np.ndarray] = [np.empty(0, dtype=np.float32)] * len(windows)
        window_early = np.zeros(len(windows), dtype=np.float32)
        gated = np.zeros(len(windows), dtype=bool)
        gates = np.broadcast_to(np.asarray(gate, dtype=bool), (n,))
        if self.gate is not None and gates.any():
            asked = [i for i, t in enumerate(owner) if gates[t]]
            values = self.gate.scores([windows[i] for i in asked])
            for i, value in zip(asked, values, strict=True):
                if value < self.gate.gate_below:
                    gated[i] = True
                    estimate = float(self.gate.probability(value))
                    window_early[i] = estimate
                    early[owner[i], 0] = max(early[owner[i], 0], estimate)
        order = sorted(
            (i for i in range(len(windows)) if not gated[i]), key=lambda i: len(windows[i])
        )
        for window, p, v, h in self._read_early(windows, order, batch):
            t = owner[window]
            early[t] = np.maximum(early[t], p)
            window_early[window] = p.max()
            hidden[window] = h
            if first[t] == window:
                pooled[t] = v
        # Each window whose early score reaches its text's limit is read to the end; a text
        # none of whose windows does stops early (a long comment pays the late part only
        # for its suspect sentences).
        if exit_below is None:
            limits = np.full(n, -1.0)
        else:
            limits = np.broadcast_to(np.asarray(exit_below, dtype=np.float64), (n,))
        rest = [i for i in order if window_early[i] >= limits[owner[i]]]
        exited = np.ones(n, dtype=bool)
        exited[[owner[i] for i in rest]] = False
        text_gated = np.ones(n, dtype=bool)
        text_gated[[owner[i] for i in order]] = False
        probs = early.copy()
        probs[~exited] = 0.0
        for start in range(0, len(rest), batch):
            idx = rest[start : start + batch]
            p = self.run_late([hidden[i] for i in idx])
            for row, i in enumerate(idx):
                probs[owner[i]] = np.maximum(probs[owner[i]], p[row])
        return Scores(probs=probs, pooled=pooled, early=early, exited=exited, gated=text_gated)

    def early_then_late(
        self, texts: Sequence[str], pick: Callable[[np.ndarray], Sequence[int]]
    ) -> tuple[np.ndarray, list[int], np.ndarray, np.ndarray]:
        """Short texts (one window each; a longer one is read as its first window) through
        the early part, then the late part for those ``pick`` chooses from their early
        scores (the strongest early head of each), from the hidden states the early part
        left: a shortlist costs the late layers only. Returns the early heads of every
        text, the picked indices, their final heads and their pooled vectors."""
        windows = [self.windows(prepare(t))[0] for t in texts]
        order = sorted(range(len(windows)), key=lambda i: len(windows[i]))
        early = np.zeros((len(windows), len(HEADS)), dtype=np.float32)
        pooled = np.zeros((len(windows), 384), dtype=np.float32)
        hidden: list[np.ndarray] = [np.empty(0, dtype=np.float32)] * len(windows)
        for i, p, v, h in self._read_early(windows, order):
            early[i], pooled[i], hidden[i] = p, v, h
        picked = list(pick(early.max(axis=1)))
        if not picked:
            return early, picked, np.zeros((0, len(HEADS)), np.float32), pooled[:0]
        return early, picked, self.run_late([hidden[i] for i in picked]), pooled[picked]

    def _read_early(
        self, windows: Sequence[list[int]], order: Sequence[int], batch: int = 32
    ) -> Iterator[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
        """The early part over ``windows[i]`` for each ``i`` of ``order`` (shortest first,
        so a batch pads little), ``batch`` at a time: the index, its early heads, its
        pooled vector and its hidden states (unpadded)."""
        for start in range(0, len(order), batch):
            idx = order[start : start + batch]
            p, v, h, _ = self.run_early([windows[i] for i in idx])
            for row, i in enumerate(idx):
                yield i, p[row], v[row], h[row, : len(windows[i])]

    def run_late(self, hidden: Sequence[np.ndarray]) -> np.ndarray:
        """The late part on a batch of windows' hidden states (as ``run_early`` left
        them, unpadded): their final heads."""
        width = max(len(h) for h in hidden)
        batch = np.zeros((len(hidden), width, hidden[0].shape[1]), dtype=np.float32)
        mask = np.zeros((len(hidden), width), dtype=np.int64)
        for row, h in enumerate(hidden):
            batch[row, : len(h)] = h
            mask[row, : len(h)] = 1
        (probs,) = self.late.run(None, {"hidden": batch, "attention_mask": mask})
        return np.asarray(probs)

    def run_early(
        self, windows: Sequence[list[int]]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The early part on a batch of windows: early heads, pooled vectors, hidden states,
        and the attention mask they were padded with."""
        ids, mask = self._pad(windows)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        p, v, h = self.early.run(None, feeds)
        return p, v, h, mask

    @staticmethod
    def _pad(windows: Sequence[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        width = max(len(w) for w in windows)
        ids = np.zeros((len(windows), width), dtype=np.int64)
        mask = np.zeros((len(windows), width), dtype=np.int64)
        for i, w in enumerate(windows):
            ids[i, : len(w)] = w
            mask[i, : len(w)] = 1
        return ids, mask


@dataclass
class Scores:
    """What the encoder says of each text: ``probs``, the final heads (the early ones where
    the text exited early); ``pooled``, the unit vector of its first window (zero where the
    gate ended every window); ``early``, the early heads; ``exited``, whether it stopped
    after the early part; ``gated``, whether the word gate ended it before the transformer
    (then ``early`` holds the gate's estimate, on the first head)."""

    probs: np.ndarray
    pooled: np.ndarray
    early: np.ndarray
    exited: np.ndarray
    gated: np.ndarray | None = None

    def part(self, rows: slice) -> Scores:
        return Scores(
            probs=self.probs[rows],
            pooled=self.pooled[rows],
            early=self.early[rows],
            exited=self.exited[rows],
            gated=None if self.gated is None else self.gated[rows],
        )


def _meta_bytes(meta: dict[str, Any]) -> np.ndarray:
    """A model file's metadata (JSON), stored as bytes beside its arrays."""
    return np.frombuffer(json.dumps(meta, sort_keys=True).encode(), dtype=np.uint8)


def _meta(data: Any) -> dict[str, Any]:
    return dict(json.loads(bytes(data["meta"]).decode()))


@dataclass
class Calibration:
    """Maps the raw combined score (the strongest head) onto the policy's scale, for the
    final heads and for the early ones, and says under which early score a text is done
    after the early part (``exit_below``: chosen so that the early exit lets through almost
    no comment the whole model would flag)."""

    raw_points: np.ndarray  # raw scores ...
    cal_points: np.ndarray  # ... and the policy values they map to (both increasing)
    early_points: np.ndarray  # the same for the early heads
    early_cal_points: np.ndarray
    exit_below: float
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = CALIBRATION_PATH) -> Calibration:
        with np.load(path, allow_pickle=False) as data:
            return cls(
                raw_points=data["raw_points"],
                cal_points=data["cal_points"],
                early_points=data["early_points"],
                early_cal_points=data["early_cal_points"],
                exit_below=float(data["exit_below"]),
                meta=_meta(data),
            )

    def save(self, path: Path) -> None:
        with path.open("wb") as fp:
            np.savez(
                fp,
                meta=_meta_bytes(self.meta),
                raw_points=self.raw_points,
                cal_points=self.cal_points,
                early_points=self.early_points,
                early_cal_points=self.early_cal_points,
                exit_below=np.float32(self.exit_below),
            )

    def __call__(self, raw: np.ndarray) -> np.ndarray:
        return np.interp(raw, self.raw_points, self.cal_points)

    def early(self, raw: np.ndarray) -> np.ndarray:
        """The policy value of an early score: below the warning threshold by construction
        (a text that exits early is one the whole model would not flag)."""
        value = np.interp(raw, self.early_points, self.early_cal_points)
        return np.minimum(value, self.cal_points[1] - 0.01)


@dataclass
class Gate:
    """The word gate: before the transformer, a bag of a window's word pieces and of their
    neighbouring pairs (embeddings averaged and max-pooled, then a small network) estimates
    the score the early layers would give it, at about a fortieth of their cost. A window
    scoring below ``gate_below`` is done without the transformer, as a window that exits
    early is (``scripts/train_gate.py`` sets ``gate_below`` so that no dev window the early
    layers would send on falls below it). Scores are logits relative to the early exit's
    threshold (``offset`` is that threshold's logit)."""

    table: np.ndarray  # (pieces + buckets, dim) float16: pieces, then hashed pairs
    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: float
    pieces: int
    buckets: int
    offset: float
    gate_below: float
    meta: dict[str, Any] = field(default_factory=dict)

    @staticmethod
    def features(window: Sequence[int], pieces: int, buckets: int) -> np.ndarray:
        """Rows of the table for a window ([CLS] … [SEP]): its pieces and its pairs."""
        ids = np.asarray(window[1:-1], dtype=np.int64)
        pairs = pieces + (ids[:-1] * 1_000_003 + ids[1:]) % buckets
        return np.concatenate([ids, pairs])

    def scores(self, windows: Sequence[Sequence[int]]) -> np.ndarray:
        out = np.empty(len(windows), dtype=np.float32)
        for i, window in enumerate(windows):
            rows = self.features(window, self.pieces, self.buckets)
            if not len(rows):
                out[i] = -np.inf
                continue
            e = self.table[rows].astype(np.float32)
            x = np.concatenate([e.mean(axis=0), e.max(axis=0)])
            out[i] = float(np.maximum(x @ self.w1 + self.b1, 0.0) @ self.w2) + self.b2
        return out

    def probability(self, score: np.ndarray) -> np.ndarray:
        """The early score the gate's score stands for."""
        return 1.0 / (1.0 + np.exp(-(score + self.offset)))

    @classmethod
    def load(cls, path: Path) -> Gate:
        with np.load(path, allow_pickle=False) as data:
            return cls(
                table=data["table"],
                w1=data["w1"],
                b1=data["b1"],
                w2=data["w2"],
                b2=float(data["b2"]),
                pieces=int(data["pieces"]),
                buckets=int(data["buckets"]),
                offset=float(data["offset"]),
                gate_below=float(data["gate_below"]),
                meta=_meta(data),
            )

    def save(self, path: Path) -> None:
        with path.open("wb") as fp:
            np.savez_compressed(
                fp,
                meta=_meta_bytes(self.meta),
                table=self.table,
                w1=self.w1.astype(np.float32),
                b1=self.b1.astype(np.float32),
                w2=self.w2.astype(np.float32),
                b2=np.float32(self.b2),
                pieces=np.int64(self.pieces),
                buckets=np.int64(self.buckets),
                offset=np.float32(self.offset),
                gate_below=np.float32(self.gate_below),
            )


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


@dataclass
class SiteMemory:
    """What a site's desk decided, learnt as a small logistic head of its own: from the
    comment's vector (``Encoder.score``'s second output) and the shipped model's raw score
    to the desk's verdict (1 rejected, 0 approved), classes balanced and strongly
    regularised. A new comment's raw score moves toward that head's probability, by a share
    that grows with the number of decisions (``decisions / (decisions + HALF)``), so a few
    decisions nudge the shipped model and thousands let the site's standard lead. Built by
    ``threadline moderation train --site S`` (``site_memory_path``)."""

    coef: np.ndarray  # (385,): 384 for the vector, 1 for the shipped model's logit
    intercept: float
    decisions: int
    HALF = 500

    @classmethod
    def fit(cls, vectors: np.ndarray, raw: np.ndarray, labels: Sequence[int]) -> SiteMemory:
        from sklearn.linear_model import LogisticRegression

        x = np.hstack([vectors, _logit(raw)[:, None]])
        head = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000)
        head.fit(x, np.asarray(labels))
        return cls(
            coef=head.coef_[0].astype(np.float32),
            intercept=float(head.intercept_[0]),
            decisions=len(labels),
        )

    @classmethod
    def load(cls, path: Path) -> SiteMemory:
        with np.load(path, allow_pickle=False) as data:
            return cls(
                coef=data["coef"].astype(np.float32),
                intercept=float(data["intercept"]),
                decisions=int(data["decisions"]),
            )

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fp:
            np.savez(fp, coef=self.coef, intercept=self.intercept, decisions=self.decisions)

    def adjust(self, vectors: np.ndarray, raw: np.ndarray) -> np.ndarray:
        """The raw scores of texts with these vectors, moved toward the site's head."""
        z = np.hstack([vectors, _logit(raw)[:, None]]) @ self.coef + self.intercept
        site = 1.0 / (1.0 + np.exp(-z))
        share = self.decisions / (self.decisions + self.HALF)
        return np.clip((1 - share) * raw + share * site, 0.0, 1.0)


def site_memory_path(site_name: str) -> Path:
    from django.conf import settings

    return Path(settings.DATA_DIR) / "models" / f"semantic-{site_name}.npz"


_memories: dict[str, tuple[float, float, SiteMemory | None]] = {}
MEMORY_CHECK_SECONDS = 30.0


def site_memory(site_name: str | None) -> SiteMemory | None:
    """The site's memory of desk decisions, re-read when its file changes (checked every
    ``MEMORY_CHECK_SECONDS`` at most, so posting does not stat a file each time)."""
    if not site_name:
        return None
    now = time.monotonic()
    known = _memories.get(site_name)
    if known is not None and now < known[0]:
        return known[2]
    path = site_memory_path(site_name)
    try:
        mtime = path.stat().st_mtime
    except OSError:
        _memories[site_name] = (now + MEMORY_CHECK_SECONDS, 0.0, None)
        return None
    memory = known[2] if known is not None and known[1] == mtime else SiteMemory.load(path)
    _memories[site_name] = (now + MEMORY_CHECK_SECONDS, mtime, memory)
    return memory


def forget_site_memories() -> None:
    _memories.clear()


def build_site_memory(site_name: str, texts: Sequence[str], labels: Sequence[int]) -> Path:
    """Remember a site's desk decisions (1 rejected, 0 approved) for ``SiteMemory`` and
    write them where the scorer finds them; the next comments use them."""
    model = load_model()
    scores = model.score(texts)
    memory = SiteMemory.fit(scores.pooled, scores.probs.max(axis=1), labels)
    path = site_memory_path(site_name)
    memory.save(path)
    forget_site_memories()
    return path


class Batcher:
    """Runs the encoder for several request threads at once: a thread that finds it idle
    runs its own texts and whatever other threads queued meanwhile, in one batch; the
    others wait for their results. One inference at a time (its intra-op threads use the
    cores), and overlapping posts share a run instead of queueing for one each."""

    def __init__(self, encoder: Encoder) -> None:
        self.encoder = encoder
        self.ready = threading.Condition()
        self.pending: list[_Job] = []
        self.busy = False

    def __call__(
        self, texts: Sequence[str], exit_below: float | None, gate: bool = False
    ) -> Scores:
        job = _Job(list(texts), exit_below, gate)
        with self.ready:
            self.pending.append(job)
            while job.result is None and job.error is None and self.busy:
                self.ready.wait()
            if job.result is not None or job.error is not None:
                return job.unwrap()
            self.busy = True
            jobs, self.pending = self.pending, []
        try:
            self._run(jobs)
        finally:
            with self.ready:
                self.busy = False
                self.ready.notify_all()
        return job.unwrap()

    def exclusive(self, work: Callable[[Encoder], Any]) -> Any:
        """``work(encoder)`` as the one inference of its time: it waits for the batch that
        is running; texts queued meanwhile are run by their own threads after it."""
        with self.ready:
            while self.busy:
                self.ready.wait()
            self.busy = True
        try:
            return work(self.encoder)
        finally:
            with self.ready:
                self.busy = False
                self.ready.notify_all()

    def _run(self, jobs: list[_Job]) -> None:
        texts = [t for j in jobs for t in j.texts]
        limits = [np.inf if j.exit_below is None else j.exit_below for j in jobs]
        exit_below = np.repeat(np.asarray(limits, dtype=np.float64), [len(j.texts) for j in jobs])
        exit_below[np.isinf(exit_below)] = -1.0  # never below: read to the end
        gate = np.repeat([j.gate for j in jobs], [len(j.texts) for j in jobs])
        try:
            scores = self.encoder.score(texts, exit_below=exit_below, gate=gate)
        except Exception as error:  # every waiting thread gets it, not only this one
            for j in jobs:
                j.error = error
            return
        start = 0
        for j in jobs:
            j.result = scores.part(slice(start, start + len(j.texts)))
            start += len(j.texts)


@dataclass
class _Job:
    texts: list[str]
    exit_below: float | None
    gate: bool = False
    result: Scores | None = None
    error: BaseException | None = None

    def unwrap(self) -> Scores:
        if self.error is not None:
            raise self.error
        assert self.result is not None
        return self.result


def _model_setting(name: str, default: Any) -> Any:
    """``settings.THREADLINE[name]``, or ``default`` outside Django (training, benches)."""
    try:
        from django.conf import settings

        return settings.THREADLINE.get(name, default)
    except Exception:  # noqa: BLE001 - no settings configured
        return default


def model_threads() -> int:
    """Intra-op threads of the one inference at a time (THREADLINE_MODEL_THREADS; default:
    the machine's cores shared among `threadline serve`'s worker processes, at most 2 and
    at least 1: with two workers on two cores, one thread each took 163 posts/s against
    142 with two each)."""
    configured = int(_model_setting("MODEL_THREADS", 0))
    if configured:
        return configured
    processes = max(1, int(os.environ.get("THREADLINE_SERVE_PROCESSES", "1") or 1))
    return max(1, min(2, (os.cpu_count() or 1) // processes))


# Occlusion variants the whole model reads, of those the early layers rank first.
SHORTLIST = 6
# Stretches of a long comment the whole model reads, of those the early layers rank worst.
STRETCHES = 2
# Stretches of a long comment the early layers read, of those the word gate ranks worst.
GATED_STRETCHES = 4


class SemanticModel:
    def __init__(self, calibration: Calibration, *, digest: str, gate: Gate | None = None) -> None:
        self.encoder = Encoder(threads=model_threads(), gate=gate)
        self.batcher = Batcher(self.encoder)
        self.calibration = calibration
        self.version = f"semantic@{calibration.meta.get('created', '?')}-{digest[:8]}"

    def score(self, texts: Sequence[str], *, early_exit: bool = False) -> Scores:
        """The encoder's scores of ``texts``, read to the end unless ``early_exit`` (then
        the word gate and the early exit may each end a clearly civil text)."""
        if not texts:
            empty = np.zeros((0, len(HEADS)), dtype=np.float32)
            return Scores(empty, np.zeros((0, 384), np.float32), empty, np.zeros(0, bool))
        return self.batcher(
            texts, self.calibration.exit_below if early_exit else None, gate=early_exit
        )

    def predict_many(
        self,
        texts: Sequence[str],
        *,
        memory: SiteMemory | None = None,
        early_exit: bool = False,
    ) -> list[dict[str, float]]:
        """Per text: each head's probability, ``raw`` (the strongest head), ``score``, the
        calibrated value, corrected by the site's desk decisions when ``memory`` is given,
        ``exited`` (1.0 when the early part sufficed) and ``gated`` (1.0 when the word gate
        ended it before the transformer). ``early_exit`` lets a text that is clearly civil
        stop at the gate or after the early part; a site's memory needs the final heads,
        so it reads every text to the end."""
        if not texts:
            return []
        scores = self.score(texts, early_exit=early_exit and memory is None)
        raw = self._raw(scores.probs, scores.pooled, memory)
        values = np.where(scores.exited, self.calibration.early(raw), self.calibration(raw))
        gated = scores.gated if scores.gated is not None else np.zeros(len(texts), dtype=bool)
        return [
            {
                **{h: float(p[k]) for k, h in enumerate(HEADS)},
                "raw": float(r),
                "score": float(v),
                "exited": float(e),
                "gated": float(g),
            }
            for p, r, v, e, g in zip(scores.probs, raw, values, scores.exited, gated, strict=True)
        ]

    def predict(
        self, text: str, *, memory: SiteMemory | None = None, early_exit: bool = False
    ) -> dict[str, float]:
        return self.predict_many([text], memory=memory, early_exit=early_exit)[0]

    def explain(
        self,
        text: str,
        *,
        memory: SiteMemory | None = None,
        limit: int = 3,
        max_words: int = 24,
    ) -> list[str]:
        """Whole words and phrases that carry the score, by occlusion: in the most suspect
        sentence (or stretch of ``max_words``), each word — and, in a short one, each pair of
        neighbours — is taken out in turn and the drop in the score measured. Coarse to
        fine, in one inference: every variant is read by the early layers (a third of the
        cost), and the ``SHORTLIST`` whose early score drops most go on through the late
        layers from there; the whole model's drop decides. Asked for held and nudged
        comments only."""
        words = [m.group(0) for m in _WORD.finditer(prepare(text))]
        if not words:
            return []
        if len(words) > max_words:  # the most suspect sentence, or stretch, of a long one
            words = self._worst_stretch(words, max_words, memory)
        spans = [(i, i + 1) for i in range(len(words))]
        if len(words) <= 12:
            spans += [(i, i + 2) for i in range(len(words) - 1)]
        variants = [" ".join(words), *(" ".join(words[:a] + words[b:]) for a, b in spans)]

        def shortlist(early: np.ndarray) -> list[int]:
            drops = np.argsort(early[0] - early[1:])[::-1][:SHORTLIST]
            return [0, *(int(i) + 1 for i in drops)]

        _, picked, late, pooled = self.batcher.exclusive(
            lambda encoder: encoder.early_then_late(variants, shortlist)
        )
        base, *rest = self._values(late, pooled, memory)
        drops = sorted(
            ((base - s, spans[i - 1]) for s, i in zip(rest, picked[1:], strict=True)),
            reverse=True,
        )
        chosen: list[tuple[int, int]] = []
        for drop, (a, b) in drops:
            # A drop under 0.02 is noise, unless no span drops more (a comment so abusive
            # that no single cut saves it): then the largest drop names the phrase.
            if len(chosen) >= limit or (drop <= 0.02 and (chosen or drop <= 0)):
                break
            if any(a < d and c < b for c, d in chosen):
                continue
            chosen.append((a, b))
        merged: list[list[int]] = []  # neighbouring spans read as one phrase
        for a, b in sorted(chosen):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        phrases: dict[str, str] = {}  # each phrase once, as first written
        for a, b in merged:
            phrase = _strip(" ".join(words[a:b]))
            phrases.setdefault(phrase.lower(), phrase)
        return [p for p in phrases.values() if p and not set(p.lower().split()) <= _FUNCTION_WORDS]

    def _gate_worst(self, texts: Sequence[str], keep: int) -> list[int]:
        """Indices of the ``keep`` texts the word gate scores highest, in their order."""
        gate = self.encoder.gate
        assert gate is not None
        values = gate.scores([self.encoder.windows(prepare(t))[0] for t in texts])
        return sorted(int(i) for i in np.argsort(values)[::-1][:keep])

    @staticmethod
    def _raw(probs: np.ndarray, pooled: np.ndarray, memory: SiteMemory | None) -> np.ndarray:
        """The strongest head of each text, corrected by the site's memory if any."""
        raw = probs.max(axis=1)
        return raw if memory is None else memory.adjust(pooled, raw)

    def _values(
        self, probs: np.ndarray, pooled: np.ndarray, memory: SiteMemory | None
    ) -> list[float]:
        """Calibrated values of final heads, corrected by the site's memory if any."""
        return [float(v) for v in self.calibration(self._raw(probs, pooled, memory))]

    def _worst_stretch(self, words: list[str], size: int, memory: SiteMemory | None) -> list[str]:
        """The sentence of ``words`` that scores worst (a long one cut into stretches of
        ``size`` words). Coarse to fine: the word gate keeps the ``GATED_STRETCHES`` it
        scores worst, the early layers read those, and the ``STRETCHES`` worst there go on
        through the late layers, whose score picks."""
        parts: list[list[str]] = [[]]
        for word in words:
            parts[-1].append(word)
            if word[-1] in ".!?;" and parts[-1]:
                parts.append([])
        pieces = [p[i : i + size] for p in parts if p for i in range(0, len(p), size)]
        pieces = [p for p in pieces if len(p) >= min(3, len(words))] or [words[:size]]
        if len(pieces) == 1:
            return pieces[0]
        texts = [" ".join(p) for p in pieces]
        if len(pieces) > GATED_STRETCHES and self.encoder.gate is not None:
            keep = self._gate_worst(texts, GATED_STRETCHES)
            pieces, texts = [pieces[i] for i in keep], [texts[i] for i in keep]

        def worst(early: np.ndarray) -> list[int]:
            return [int(i) for i in np.argsort(early)[::-1][:STRETCHES]]

        _, picked, late, pooled = self.batcher.exclusive(
            lambda encoder: encoder.early_then_late(texts, worst)
        )
        values = self._values(late, pooled, memory)
        return pieces[picked[int(np.argmax(values))]]


# Words that explain nothing on their own ("a", "the"): a phrase of only these is dropped.
_FUNCTION_WORDS = frozenset(
    {"a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with",
     "from", "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "these",
     "those", "as", "so"}
)  # fmt: skip


def _strip(phrase: str) -> str:
    return phrase.strip(".,;:!?\"'()[]")


_lock = threading.Lock()
_model: SemanticModel | None = None


def load_model() -> SemanticModel:
    """The model, loaded once per process on first use (under a second)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                digest = hashlib.sha256(CALIBRATION_PATH.read_bytes()).hexdigest()
                _model = SemanticModel(Calibration.load(), digest=digest, gate=load_gate(digest))
    return _model


def load_gate(calibration_sha256: str, path: Path = GATE_PATH) -> Gate | None:
    """The word gate, when one ships for these weights (``THREADLINE_MODEL_GATE=false``:
    none, every comment the rules leave undecided is read by the transformer)."""
    if not _model_setting("MODEL_GATE", True):
        return None
    if not path.exists():
        return None
    gate = Gate.load(path)
    return gate if gate.meta.get("calibration_sha256") == calibration_sha256 else None


def reason_for(probs: dict[str, float]) -> str:
    """The kind of abuse a moderator reads on the card: the strongest head."""
    kinds = {
        "hate": "Attack on a group",
        "threat": "Threat or wish of harm",
        "insult": "Insult",
        "toxic": "Abusive language",
    }
    name = max(("hate", "threat", "insult"), key=lambda h: probs[h])
    return kinds[name] if probs[name] >= 0.5 else kinds["toxic"]


class SemanticScorer:
    """Calibrated probability (0..1) that the comment is abusive, from the transformer.

    Decides nothing: the policy compares ``value`` with the site's thresholds. Explains
    itself (by occlusion, whole words) only when the value reaches the site's warning
    threshold, so civil comments cost one model run. Trusted commenters skip it
    (``is_model``)."""

    name = "semantic"
    is_model = True

    def score(self, ctx: ScoringContext) -> Score:
        model = load_model()
        text = ctx.text or ctx.body
        memory = site_memory(ctx.site.name)
        # The early exit is calibrated for the default warning threshold; a site that warns
        # lower reads every comment to the end.
        early_exit = ctx.site.warn_threshold >= float(model.calibration.cal_points[1])
        probs = model.predict(text, memory=memory, early_exit=early_exit)
        value = probs["score"]
        reasons: tuple[str, ...] = ()
        explanation: tuple[str, ...] = ()
        if value >= ctx.site.warn_threshold:
            reasons = (reason_for(probs),)
            explanation = tuple(model.explain(text, memory=memory))
        return Score(
            scorer=self.name,
            value=value,
            reasons=reasons,
            explanation=explanation,
            version=model.version,
        )
