"""``threadline moderation train | evaluate | backtest``: the model that learns from the desk.

threadline moderation train --site S [--min-decisions N]
threadline moderation evaluate [--suite CSV] [--failures N] [--site S] [--json]
                               [--dataset CSV --text-column C --label-column L]
                               [--identity-csv en_sentence_templates.csv]
threadline moderation backtest --site S [--limit 2000]
"""

from __future__ import annotations

import csv
import json as json_module
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from threadline.actions.moderation_desk import site_backtest
from threadline.domain.text import plain_text
from threadline.models import Comment, CommentStatus, ModerationAction, ModerationEvent, Site

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
    """Identity-template sentences; those with an identity word the model trained on are
    left out."""
    from threadline.scoring.corpora import split_identity_terms

    if not path.exists():
        raise CommandError(f"{path} does not exist.")
    texts, labels = read_dataset(path, "phrase", "toxicity")
    if path.name == "en_sentence_templates.csv":
        trained, _ = split_identity_terms(path.parent.parent)
        keep = [i for i, t in enumerate(texts) if not trained & set(t.lower().split())]
        texts, labels = [texts[i] for i in keep], [labels[i] for i in keep]
    return texts, labels


def _auc(labels: list[int], scores: list[float]) -> float | None:
    if 0 < sum(labels) < len(labels):
        from sklearn.metrics import roc_auc_score

        return round(float(roc_auc_score(labels, scores)), 4)
    return None


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
        ev = sub.add_parser(
            "evaluate",
            help="the functional suite per group; with --dataset, ROC-AUC and held/nudged rates",
        )
        ev.add_argument("--suite", default="", help="functional suite CSV (default: shipped)")
        ev.add_argument("--failures", type=int, default=0, help="print this many failed cases")
        ev.add_argument("--dataset", default="")
        ev.add_argument("--text-column", default="text")
        ev.add_argument("--label-column", default="label")
        ev.add_argument("--site", default="")
        ev.add_argument("--identity-csv", default="")
        ev.add_argument("--json", action="store_true", help="print the figures as JSON")
        bt = sub.add_parser("backtest", help="replay the site's settings over its past comments")
        bt.add_argument("--site", required=True)
        bt.add_argument("--limit", type=int, default=2000)

    def handle(self, *args: Any, verb: str, **opts: Any) -> None:
        getattr(self, f"_{verb}")(**opts)

    def _train(self, *, site: str, min_decisions: int, **_: Any) -> None:
        from threadline.scoring import semantic

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
        path = semantic.build_site_memory(the_site.name, texts, labels)
        self.stdout.write(
            f"Remembered {len(texts)} decisions; the site's model adjustment is {path}"
        )

    def _evaluate(
        self,
        *,
        suite: str,
        failures: int,
        dataset: str,
        text_column: str,
        label_column: str,
        site: str,
        identity_csv: str,
        json: bool = False,
        **_: Any,
    ) -> None:
        from threadline.actions import evaluation
        from threadline.scoring import semantic

        the_site = _site(site)  # None: a new site with the default settings
        report: dict[str, Any] = {}
        suite_path = Path(suite) if suite else evaluation.SUITE_PATH
        if not suite_path.exists():
            raise CommandError(f"{suite_path} does not exist.")
        result = evaluation.evaluate_suite(suite_path, site=the_site)
        report["suite"] = {
            "accuracy": round(result.accuracy, 4),
            "groups": {g: round(a, 4) for g, a in result.by_group().items()},
            "cases": sum(t for _, t in result.groups.values()),
        }
        if dataset:
            texts, labels = read_dataset(Path(dataset), text_column, label_column)
            if not texts:
                raise CommandError("The dataset has no rows.")
            outcomes = evaluation.run_pipeline(texts, the_site)
            memory = semantic.site_memory(site or None)
            scores = [p["score"] for p in semantic.load_model().predict_many(texts, memory=memory)]
            report["dataset"] = {
                "n": len(texts),
                "positives": sum(labels),
                "roc_auc": _auc(labels, scores),
                **{k: round(v, 4) for k, v in evaluation.rates(outcomes, labels).items()},
            }
        if identity_csv:
            itexts, ilabels = read_identity(Path(identity_csv))
            civil = [t for t, y in zip(itexts, ilabels, strict=True) if not y]
            outcomes = evaluation.run_pipeline(civil, the_site)
            report["identity_false_positive_rate"] = round(
                sum(o.held for o in outcomes) / max(len(outcomes), 1), 4
            )
        if json:
            self.stdout.write(json_module.dumps(report, indent=2))
            return
        self._print_report(report)
        for group, expected, text, reasons in result.failures[:failures]:
            why = "; ".join(reasons) or "published"
            self.stdout.write(f"  [{group}] expected {expected}: {text[:100]!r} -> {why}")

    def _print_report(self, report: dict[str, Any]) -> None:
        suite = report["suite"]
        self.stdout.write(
            f"Functional suite: {suite['accuracy']:.1%} of {suite['cases']} cases right "
            "(as a first-time guest's comment)"
        )
        for group, acc in suite["groups"].items():
            self.stdout.write(f"  {group:<28}{acc:>7.1%}")
        data = report.get("dataset")
        if data:
            auc = data["roc_auc"]
            self.stdout.write(f"examples: {data['n']} ({data['positives']} toxic)")
            self.stdout.write(
                f"ROC-AUC: {auc:.4f}" if auc is not None else "ROC-AUC: n/a (one class)"
            )
            self.stdout.write(
                f"toxic held: {data['abusive_held']:.1%}; civil held: {data['civil_held']:.1%}, "
                f"civil nudged: {data['civil_nudged']:.1%}"
            )
        fpr = report.get("identity_false_positive_rate")
        if fpr is not None:
            self.stdout.write(f"identity-template false-positive rate (held): {fpr:.4f}")

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
