"""``threadline moderation train | evaluate | backtest``: the model that learns from the desk.

threadline moderation train --site S [--min-decisions N] [--base-data DIR]
threadline moderation evaluate --dataset CSV --text-column C --label-column L [--site S]
                               [--identity-csv en_sentence_templates.csv] [--json]
threadline moderation backtest --site S [--limit 2000]
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from threadline.actions.moderation_desk import site_backtest
from threadline.models import Comment, CommentStatus, ModerationAction, ModerationEvent, Site
from threadline.text import plain_text

TRUE_LABELS = {"1", "true", "yes", "toxic", "y", "t"}


def _site(name: str | None) -> Site | None:
    if not name:
        return None
    site = Site.objects.filter(name=name).first()
    if site is None:
        raise CommandError(f"No site named {name!r}.")
    return site


def desk_decisions(site: Site) -> tuple[list[str], list[int]]:
    """Texts and labels (1 = rejected) of the comments a moderator approved or rejected,
    labelled by where the comment stands now (the latest human decision)."""
    decided = ModerationEvent.objects.filter(
        site=site,
        actor__isnull=False,
        action__in=[ModerationAction.APPROVE, ModerationAction.REJECT],
    ).values("comment_id")
    rows = Comment.objects.filter(
        pk__in=decided, status__in=[CommentStatus.PUBLISHED, CommentStatus.REJECTED]
    ).values_list("body", "status")
    texts, labels = [], []
    for body, status in rows.iterator():
        texts.append(plain_text(body))
        labels.append(int(status == CommentStatus.REJECTED))
    return texts, labels


def parse_label(raw: str) -> int:
    raw = (raw or "").strip().lower()
    try:
        return int(float(raw) >= 0.5)
    except ValueError:
        return int(raw in TRUE_LABELS)


def read_dataset(path: Path, text_column: str, label_column: str) -> tuple[list[str], list[int]]:
    if not path.exists():
        raise CommandError(f"{path} does not exist.")
    with path.open(newline="", encoding="utf-8") as fp:
        reader = csv.DictReader(fp)
        missing = {text_column, label_column} - set(reader.fieldnames or [])
        if missing:
            raise CommandError(
                f"{path} has no column {', '.join(sorted(missing))}; "
                f"it has {', '.join(reader.fieldnames or [])}."
            )
        rows = [(r[text_column], parse_label(r[label_column])) for r in reader]
    return [t for t, _ in rows], [y for _, y in rows]


def read_identity(path: Path) -> tuple[list[str], list[int]]:
    """Identity-template sentences; the names the shipped model trained on are left out."""
    from threadline.scoring.train import load_identity_templates, split_template_names

    if not path.exists():
        raise CommandError(f"{path} does not exist.")
    if path.name == "en_sentence_templates.csv":
        trained, _ = split_template_names(path.parent)
        texts, labels, _ = load_identity_templates(path.parent, exclude_names=trained)
        return texts, labels
    return read_dataset(path, "phrase", "toxicity")


class Command(BaseCommand):
    help = "Train a site's toxicity model from desk decisions, evaluate a model, backtest."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        train = sub.add_parser("train", help="train the site's model from approve/reject decisions")
        train.add_argument("--site", required=True)
        train.add_argument(
            "--min-decisions",
            type=int,
            default=20,
            help="of each kind (approved, rejected) before a site model is trained",
        )
        train.add_argument(
            "--base-data",
            default="",
            help="also train on the public sets in this directory (../shared/fixtures/toxicity)",
        )
        ev = sub.add_parser("evaluate", help="ROC-AUC, precision and recall on a labelled CSV")
        ev.add_argument("--dataset", required=True)
        ev.add_argument("--text-column", required=True)
        ev.add_argument("--label-column", required=True)
        ev.add_argument("--site", default="")
        ev.add_argument("--identity-csv", default="")
        ev.add_argument("--json", action="store_true", help="print the figures as JSON")
        bt = sub.add_parser("backtest", help="replay the site's settings over its past comments")
        bt.add_argument("--site", required=True)
        bt.add_argument("--limit", type=int, default=2000)

    def handle(self, *args: Any, verb: str, **opts: Any) -> None:
        getattr(self, f"_{verb}")(**opts)

    def _train(self, *, site: str, min_decisions: int, base_data: str, **_: Any) -> None:
        from threadline.scoring.train import load_training, split_template_names, train_site_model

        the_site = _site(site)
        assert the_site is not None
        texts, labels = desk_decisions(the_site)
        rejected = sum(labels)
        approved = len(labels) - rejected
        self.stdout.write(
            f"Desk decisions on {the_site.name}: {approved} approved, {rejected} rejected."
        )
        if min(approved, rejected) < min_decisions:
            self.stdout.write(
                f"Not enough decisions yet (need {min_decisions} of each); the "
                "shipped model stays in use."
            )
            return
        if base_data:
            root = Path(base_data)
            data = load_training(root, template_names=split_template_names(root)[0])
            # The desk's own decisions count three times: they are this site's policy.
            texts, labels = data.texts + texts * 3, data.labels + labels * 3
        path = train_site_model(texts, labels, the_site.name)
        self.stdout.write(f"Trained on {len(texts)} texts; site model written to {path}")

    def _evaluate(
        self,
        *,
        dataset: str,
        text_column: str,
        label_column: str,
        site: str,
        identity_csv: str,
        json: bool = False,
        **_: Any,
    ) -> None:
        from threadline.scoring.classifier import score_texts
        from threadline.scoring.train import evaluate

        the_site = _site(site) or Site()
        texts, labels = read_dataset(Path(dataset), text_column, label_column)
        if not texts:
            raise CommandError("The dataset has no rows.")
        itexts, ilabels = read_identity(Path(identity_csv)) if identity_csv else ([], [])
        thresholds = {
            "hold": the_site.hold_threshold,
            "warn": the_site.warn_threshold,
            "reject": the_site.reject_threshold,
        }
        report = evaluate(
            texts,
            labels,
            lambda t: score_texts(t, site_name=site or None),
            thresholds,
            identity_texts=itexts,
            identity_labels=ilabels,
        )
        self._print_report(report, thresholds, as_json=json)

    def _print_report(self, report: dict, thresholds: dict, *, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(report, indent=2))
            return
        auc = report.get("roc_auc")
        self.stdout.write(f"examples: {report['n']} ({report['positives']} toxic)")
        self.stdout.write(f"ROC-AUC: {auc:.4f}" if auc is not None else "ROC-AUC: n/a (one class)")
        for name in thresholds:
            r = report[name]
            self.stdout.write(
                f"at {name} threshold {r['threshold']:.2f}: precision "
                f"{r['precision']:.4f}, recall {r['recall']:.4f}, "
                f"false-positive rate {r['false_positive_rate']:.4f}"
            )
        fpr = report.get("identity_false_positive_rate")
        if fpr is not None:
            self.stdout.write(f"identity-template false-positive rate (at hold): {fpr:.4f}")

    def _backtest(self, *, site: str, limit: int, **_: Any) -> None:
        the_site = _site(site)
        assert the_site is not None
        result = site_backtest(site=the_site, limit=limit)
        self.stdout.write(
            f"Backtest of {the_site.name}'s current settings over "
            f"{result.total} comments ({result.seconds:.1f} s):"
        )
        head = ("would be", "total", "published", "held", "rejected")
        self.stdout.write(f"{head[0]:<10}{head[1]:>7}{head[2]:>11}{head[3]:>7}{head[4]:>10}")
        for would, total, p, h, r in result.rows():
            self.stdout.write(f"{would:<10}{total:>7}{p:>11}{h:>7}{r:>10}")
        changed = result.total - sum(result.matrix[(w, w)] for w in ("publish", "hold", "reject"))
        self.stdout.write(f"outcome would differ for {changed} of {result.total} comments")
