#!/usr/bin/env python
"""Train the word gate: a bag of word pieces that tells the transformer which windows of a
comment it need not read at all.

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python scripts/train_gate.py [--shared ../shared] [--seed 0] [--per-source 12000]

The gate learns, from the shipped transformer itself (distillation: no labels), the early
score its first two layers give a window of word pieces: an embedding of each piece and of
each pair of neighbouring pieces, averaged and max-pooled, then a small two-layer network
(``semantic.Gate``: about 0.05 ms a window in numpy, against 1-2 ms for the early layers).
A window whose gate score is below ``gate_below`` is done: it reads as civil, as a window
that exits after the early layers does. ``gate_below`` is set on the ``dev`` windows that
the whole model, reading each to the end, would nudge or hold: at most ``--gate-miss``
(default 0.4 %, two of about 600: sarcastic news comments the model over-rates) fall below
it. The figures on the ``test`` splits go into its metadata: what share of civil windows
the gate ends, and how many of the windows the whole model flags it would have ended.

Reads the training splits of the sets the transformer was trained on, our own hand-written
cases included, at most ``--per-source`` rows each (no evaluation-only set: the news
comments and the Wikipedia test set are read only for ``gate_below`` and the figures, from
their ``dev`` and ``test`` splits). Writes ``threadline/scoring/models/semantic-gate.npz``,
tied to the calibration file's SHA-256 (a gate trained for other weights is not used).
Seeded; a few minutes on a 2-core CPU, most of it the transformer scoring the texts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from finetune_semantic import CALIBRATION_CAPS, load_corpus, sample  # noqa: E402

from threadline.scoring import corpora, semantic  # noqa: E402

CLIP = 7.0  # targets are the early score's logit, clipped to ±CLIP


def windows_of(encoder: semantic.Encoder, texts: list[str]) -> tuple[list[list[int]], np.ndarray]:
    """Every window of every text (as the encoder reads them) and the text each is of."""
    wins: list[list[int]] = []
    owner: list[int] = []
    for i, text in enumerate(texts):
        for w in encoder.windows(semantic.prepare(text)):
            wins.append(w)
            owner.append(i)
    return wins, np.array(owner, dtype=np.int64)


def window_scores(
    encoder: semantic.Encoder, wins: list[list[int]], *, whole: bool = False, batch: int = 64
) -> tuple[np.ndarray, np.ndarray]:
    """Each window's early score (strongest early head) and, when ``whole``, its final
    score (strongest final head; NaN where not asked)."""
    early = np.zeros(len(wins), dtype=np.float32)
    final = np.full(len(wins), np.nan, dtype=np.float32)
    order = sorted(range(len(wins)), key=lambda i: len(wins[i]))
    started = time.monotonic()
    for start in range(0, len(order), batch):
        idx = order[start : start + batch]
        p, _, h, mask = encoder.run_early([wins[i] for i in idx])
        early[idx] = p.max(axis=1)
        if whole:
            (q,) = encoder.late.run(None, {"hidden": h, "attention_mask": mask})
            final[idx] = q.max(axis=1)
        if start // batch % 200 == 0:
            print(f"  scored {start}/{len(wins)} windows ({time.monotonic() - started:.0f} s)")
    return early, final


def padded(wins: list[list[int]], vocab: int, buckets: int) -> np.ndarray:
    """Each window's pieces (no [CLS]/[SEP]) and its neighbour pairs, hashed into the pair
    table's rows after the vocabulary's, padded with -1."""
    rows = [semantic.Gate.features(w, vocab, buckets) for w in wins]
    width = max(1, max(len(r) for r in rows))
    out = np.full((len(rows), width), -1, dtype=np.int64)
    for i, r in enumerate(rows):
        out[i, : len(r)] = r
    return out


def train(
    feats: np.ndarray,
    target: np.ndarray,
    *,
    vocab: int,
    dim: int,
    hidden: int,
    epochs: int,
    seed: int,
    weight: float = 4.0,
):  # noqa: ANN201 - torch is imported lazily
    import torch

    torch.manual_seed(seed)
    emb = torch.nn.Embedding(vocab + 1, dim, padding_idx=vocab)  # the last row: padding
    torch.nn.init.normal_(emb.weight, std=0.1)
    with torch.no_grad():
        emb.weight[vocab].zero_()
    mlp = torch.nn.Sequential(
        torch.nn.Linear(2 * dim, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 1)
    )
    params = list(emb.parameters()) + list(mlp.parameters())
    opt = torch.optim.Adam(params, lr=3e-3)
    x = torch.from_numpy(np.where(feats < 0, vocab, feats))
    y = torch.from_numpy(target)
    # Windows the early layers send on weigh more: missing one costs a flagged comment.
    w = torch.from_numpy(np.where(target > 0, weight, 1.0).astype(np.float32))
    n = len(y)
    gen = torch.Generator().manual_seed(seed)
    for epoch in range(epochs):
        perm = torch.randperm(n, generator=gen)
        total = 0.0
        for start in range(0, n, 256):
            idx = perm[start : start + 256]
            pred = forward(emb, mlp, x[idx], vocab)
            loss = (w[idx] * (pred - y[idx]) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(idx)
        print(f"  epoch {epoch + 1}: loss {total / n:.3f}")
    return emb, mlp


def forward(emb, mlp, x, vocab):  # noqa: ANN001,ANN201
    import torch

    mask = (x != vocab).unsqueeze(-1).float()
    e = emb(x)
    count = mask.sum(1).clamp(min=1.0)
    mean = (e * mask).sum(1) / count
    top = (e + (mask - 1.0) * 1e4).max(1).values
    top = torch.where(mask.sum(1) > 0, top, torch.zeros_like(top))
    return mlp(torch.cat([mean, top], dim=1)).squeeze(-1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-source", type=int, default=12000)
    parser.add_argument("--dim", type=int, default=32)
    parser.add_argument("--hidden", type=int, default=96)
    parser.add_argument("--buckets", type=int, default=1 << 15, help="rows for piece pairs")
    parser.add_argument("--epochs", type=int, default=16)
    parser.add_argument(
        "--gate-miss",
        type=float,
        default=0.0015,
        help="share of the dev windows the whole model flags that may fall below the gate",
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out-dir", type=Path, default=semantic.MODEL_DIR)
    args = parser.parse_args()

    import torch

    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(args.threads)
    calibration = semantic.Calibration.load(args.out_dir / semantic.CALIBRATION_PATH.name)
    encoder = semantic.Encoder(threads=args.threads, model_dir=args.out_dir)
    whole, _ = load_corpus(args.shared, args.seed)

    fit = sample(whole, args.per_source).select(
        sources=set(whole.sources) - corpora.EVALUATION_ONLY, splits={"train"}
    )
    print(f"{len(fit)} training texts")
    wins, _ = windows_of(encoder, fit.texts)
    teacher, _ = window_scores(encoder, wins)
    target = np.clip(np.log(teacher / (1 - teacher + 1e-9) + 1e-9), -CLIP, CLIP).astype(np.float32)
    # Relative to the early exit: a window the early layers send on has a positive target.
    target -= float(np.log(calibration.exit_below / (1 - calibration.exit_below)))
    pieces = encoder.tokenizer.get_vocab_size()
    feats = padded(wins, pieces, args.buckets)
    vocab = pieces + args.buckets
    started = time.monotonic()
    emb, mlp = train(
        feats,
        target,
        vocab=vocab,
        dim=args.dim,
        hidden=args.hidden,
        epochs=args.epochs,
        seed=args.seed,
    )
    print(f"trained in {time.monotonic() - started:.0f} s")
    gate = semantic.Gate(
        table=emb.weight.detach().numpy()[:vocab].astype(np.float16),
        w1=mlp[0].weight.detach().numpy().T.copy(),
        b1=mlp[0].bias.detach().numpy(),
        w2=mlp[2].weight.detach().numpy()[0].copy(),
        b2=float(mlp[2].bias.detach().numpy()[0]),
        pieces=pieces,
        buckets=args.buckets,
        offset=float(np.log(calibration.exit_below / (1 - calibration.exit_below))),
        gate_below=0.0,
        meta={},
    )

    # The threshold, on dev; the figures, on test (the calibration's sample of every set).
    held = sample(whole, 4000, CALIBRATION_CAPS).select(splits={"dev", "test"})
    hwins, howner = windows_of(encoder, held.texts)
    _, hfinal = window_scores(encoder, hwins, whole=True)
    hgate = gate.scores(hwins)
    split = np.array(held.splits)[howner]
    # Windows the whole model would nudge or hold on their own, had they been read to the
    # end (every window is, here): the gate must end none of them.
    flagged = (split == "dev") & (calibration(hfinal) >= float(calibration.cal_points[1]))
    gate_below = float(np.quantile(hgate[flagged], args.gate_miss))
    gate.gate_below = gate_below
    figures = measure(held, howner, hfinal, hgate, gate_below, calibration)
    figures["dev_windows_flagged"] = int(flagged.sum())
    figures["gate_below"] = round(gate_below, 4)
    gate.meta = {
        "created": dt.date.today().isoformat(),
        "seed": args.seed,
        "per_source": args.per_source,
        "training_windows": len(wins),
        "calibration_sha256": hashlib.sha256(
            (args.out_dir / semantic.CALIBRATION_PATH.name).read_bytes()
        ).hexdigest(),
        "figures": figures,
        "command": " ".join(["scripts/train_gate.py", *sys.argv[1:]]),
    }
    gate.save(args.out_dir / semantic.GATE_PATH.name)
    print(json.dumps(figures, indent=1))


def measure(held, owner, final, gate, gate_below, calibration) -> dict:  # noqa: ANN001
    """On the test splits: the share of civil comments the gate ends (every window below
    ``gate_below``), and of the comments the whole model flags (some window nudged or
    held, each read to the end) how many the gate would have ended."""
    n = len(held)
    test = np.array(held.splits) == "test"
    src = np.array(held.sources)
    y = np.array([-1 if lab["toxic"] is None else lab["toxic"] for lab in held.labels])
    gated = np.ones(n, dtype=bool)
    np.logical_and.at(gated, owner, gate < gate_below)
    flagged = np.zeros(n, dtype=bool)
    np.logical_or.at(flagged, owner, calibration(final) >= float(calibration.cal_points[1]))
    figures: dict[str, object] = {
        "test_comments": int(test.sum()),
        "test_comments_gated": round(float(gated[test].mean()), 4),
        "test_flagged_comments": int((flagged & test).sum()),
        "test_flagged_lost_to_gate": int((flagged & test & gated).sum()),
    }
    for s in ("ucc", "wikitalk", "wikipedia", "handwritten", "templates", "davidson", "olid"):
        civil = test & (src == s) & (y == 0)
        if civil.any():
            figures[f"{s}_civil_gated"] = round(float(gated[civil].mean()), 4)
    return figures


if __name__ == "__main__":
    main()
