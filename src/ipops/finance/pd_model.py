"""Probability of default from the platform's own loan history (logistic regression).

After Pederzoli, Thoma and Torricelli (2013), "Modelling credit risk for innovative SMEs:
the role of innovation measures" (J. Financial Services Research 44): patent portfolio value
lowers the probability of default, and portfolio size lowers it only together with adequate
equity. The model therefore has, besides the usual financial terms, a **patent-value term**
and a **portfolio-size x equity interaction**::

    logit PD = b0 + b1 value + b2 ln(1 + patents) + b3 equity_ratio
                  + b4 ln(1 + patents) x equity_ratio + b5 ln(total assets)

``value`` is the enterprise's mean PVD / 100 at application (its rating), ``equity_ratio``
equity / total assets at the last year-end. The outcome is known for closed loans (0) and for
loans written off or ever 90 days past due (1). The model is fitted with scikit-learn on a
stratified 70% of those loans and validated on the other 30% (ROC AUC on held-out loans);
it is not fitted with fewer than ``MIN_LOANS`` loans or ``MIN_EACH`` of either outcome.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.metrics import roc_auc_score  # type: ignore[import-untyped]
from sklearn.model_selection import train_test_split  # type: ignore[import-untyped]

from ipops.errors import ValidationError

MODEL_VERSION = "ptt2013-1"
TERMS: tuple[str, ...] = (
    "value",
    "log_patents",
    "equity_ratio",
    "log_patents_x_equity",
    "log_assets",
)
MIN_LOANS = 40
MIN_EACH = 8
TEST_SHARE = 0.3
RANDOM_STATE = 2013


@dataclass(frozen=True)
class Observation:
    pvd_mean: float | None
    patents_in_force: int
    equity_ratio: float
    total_assets: float
    defaulted: bool = False


def terms_of(o: Observation) -> list[float]:
    log_patents = math.log1p(o.patents_in_force)
    return [
        (o.pvd_mean or 0.0) / 100,
        log_patents,
        o.equity_ratio,
        log_patents * o.equity_ratio,
        math.log(max(o.total_assets, 1.0)),
    ]


@dataclass(frozen=True)
class PdModel:
    intercept: float
    coefficients: dict[str, float]
    auc: float | None
    n_train: int
    n_test: int
    defaults: int
    version: str = MODEL_VERSION
    notes: tuple[str, ...] = field(default_factory=tuple)

    def probability(self, o: Observation) -> float:
        z = self.intercept + sum(
            self.coefficients[name] * x for name, x in zip(TERMS, terms_of(o), strict=True)
        )
        return 1 / (1 + math.exp(-z))

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "intercept": self.intercept,
            "coefficients": self.coefficients,
            "auc_held_out": self.auc,
            "n_train": self.n_train,
            "n_test": self.n_test,
            "defaults": self.defaults,
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PdModel:
        return cls(
            intercept=float(data["intercept"]),
            coefficients={k: float(v) for k, v in data["coefficients"].items()},
            auc=None if data.get("auc_held_out") is None else float(data["auc_held_out"]),
            n_train=int(data["n_train"]),
            n_test=int(data["n_test"]),
            defaults=int(data["defaults"]),
            version=str(data.get("version", MODEL_VERSION)),
            notes=tuple(data.get("notes", ())),
        )


def fit(observations: Sequence[Observation]) -> PdModel:
    """Fit on a stratified 70%, validate on 30%; ``ValidationError`` when history is short."""
    y = np.array([o.defaulted for o in observations], dtype=np.int64)
    defaults = int(y.sum())
    if len(observations) < MIN_LOANS or min(defaults, len(y) - defaults) < MIN_EACH:
        raise ValidationError(
            f"not enough repayment history to fit the model: {len(observations)} loans with a "
            f"known outcome, {defaults} defaults (need {MIN_LOANS} loans and {MIN_EACH} of each "
            "outcome)",
            field="history",
        )
    x = np.array([terms_of(o) for o in observations], dtype=np.float64)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=TEST_SHARE, stratify=y, random_state=RANDOM_STATE
    )
    model = LogisticRegression(max_iter=1000)
    model.fit(x_train, y_train)
    auc = float(roc_auc_score(y_test, model.predict_proba(x_test)[:, 1]))
    return PdModel(
        intercept=float(model.intercept_[0]),
        coefficients={name: float(c) for name, c in zip(TERMS, model.coef_[0], strict=True)},
        auc=round(auc, 4),
        n_train=len(y_train),
        n_test=len(y_test),
        defaults=defaults,
        notes=(f"stratified {1 - TEST_SHARE:.0%}/{TEST_SHARE:.0%} split, seed {RANDOM_STATE}",),
    )
