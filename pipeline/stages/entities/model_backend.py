"""Optional model backend: PERSON/ORG/LOCATION spans from a local token-classification model.

A user who has a Hugging Face token classifier on disk (a fine-tuned Korean NER model, say)
points AXNEWS_NER_MODEL at its folder; the extractor then takes PERSON/ORG/LOCATION spans from
the model and passes them through the reference data and the span rules. transformers and torch
come from the ``model`` extra and are imported only when a model is loaded.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MODEL_LABELS = ("PERSON", "ORG", "LOCATION")
# Dates, times and amounts (the rules find them) and types we do not use.
# fmt: off
IGNORED_TYPES = (
    "DT", "TI", "QT", "DAT", "TIM", "DUR", "MNY", "PNT", "NOH", "POH", "NUM", "DATE", "TIME",
    "MONEY", "MISC", "FLD", "AFW", "CVL", "EVT", "ANM", "PLT", "MAT", "TRM", "NORP", "FAC",
    "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE", "PERCENT", "QUANTITY", "ORDINAL",
    "CARDINAL",
)
# fmt: on
# Model entity types -> our labels; None marks a type the rules cover or that we do not use.
# KLUE (PS LC OG DT TI QT), Naver 2018 and KMOU (PER ORG LOC DAT TIM ...), CoNLL and
# OntoNotes (PER ORG LOC MISC, PERSON GPE ...).
DEFAULT_LABEL_MAP: dict[str, str | None] = {
    "PS": "PERSON",
    "PER": "PERSON",
    "PERS": "PERSON",
    "PERSON": "PERSON",
    "OG": "ORG",
    "ORG": "ORG",
    "ORGANIZATION": "ORG",
    "ORGANISATION": "ORG",
    "LC": "LOCATION",
    "LOC": "LOCATION",
    "LOCATION": "LOCATION",
    "GPE": "LOCATION",
    **dict.fromkeys(IGNORED_TYPES),
}
OUTSIDE = frozenset({"O", "-", ""})
# Scheme markers before ("B-PS") or after ("PER_B") the type; BILOU's L and U read as E and S.
PREFIXED = re.compile(r"^([BIESLU])[-_](.+)$", re.IGNORECASE)
SUFFIXED = re.compile(r"^(.+)[-_]([BIESLU])$", re.IGNORECASE)
SCHEME = {"B": "B", "I": "I", "E": "E", "S": "S", "L": "E", "U": "S"}
# RoBERTa-style models number positions after the padding index: 514 positions hold 512 tokens.
OFFSET_POSITION_MODELS = frozenset({"roberta", "xlm-roberta", "camembert"})
FALLBACK_MAX_LENGTH = 512


@dataclass(frozen=True)
class Span:
    """One entity span that the model found, with character offsets into the text."""

    start: int
    end: int
    label: str  # PERSON | ORG | LOCATION
    score: float  # mean probability of the span's tokens
    model_label: str  # the model's entity type (PS, OG, LOC, ...)


@dataclass(frozen=True)
class TokenTag:
    """The model's best label for one sub-word token."""

    start: int
    end: int
    label: str  # as in the model's id2label: B-PS, I-OG, LOC, O ...
    score: float


@dataclass
class _Open:
    """An entity being built while reading tokens left to right."""

    start: int
    end: int
    label: str
    model_label: str
    scores: list[float] = field(default_factory=list)
    closed: bool = False  # an E or S tag ended it: only more pieces of the same word join


def load_label_map(source: Mapping[str, str | None] | Path | str | None) -> dict[str, str | None]:
    """The default label table overlaid by a mapping or a JSON file of model label -> our label."""
    table = dict(DEFAULT_LABEL_MAP)
    if source is None:
        return table
    if isinstance(source, (str, Path)):
        source = json.loads(Path(source).read_text(encoding="utf-8"))
        if not isinstance(source, dict):
            raise TypeError("the label map must be a JSON object of model label -> label")
    for key, value in source.items():
        target = value.strip().upper() if isinstance(value, str) else None
        if target in ("", "O", "NONE"):
            target = None
        if target is not None and target not in MODEL_LABELS:
            raise ValueError(f"label map: {key!r} -> {value!r}, expected one of {MODEL_LABELS}")
        table[str(key).strip().upper()] = target
    return table


def model_version(
    path: Path | str, label_map: Mapping[str, str | None] | Path | str | None = None
) -> str:
    """A short hash of a model folder (config, tokenizer, file sizes) and the label table."""
    digest = hashlib.sha256()
    folder = Path(path).expanduser()
    for file in sorted(f for f in folder.rglob("*") if f.is_file()):
        name = file.relative_to(folder).as_posix()
        digest.update(f"{name}:{file.stat().st_size}\n".encode())
        # Weights are too big to hash on every run: their names and sizes stand for them.
        if file.suffix == ".json" or file.name == "vocab.txt":
            digest.update(file.read_bytes())
    digest.update(json.dumps(load_label_map(label_map), sort_keys=True).encode())
    return digest.hexdigest()[:16]


def split_tag(label: str) -> tuple[str, str]:
    """(scheme marker B/I/E/S or O, entity type) of a model label; bare types read as I."""
    label = label.strip()
    if label.upper() in OUTSIDE:
        return "O", ""
    m = PREFIXED.match(label)
    if m:
        return SCHEME[m.group(1).upper()], m.group(2)
    m = SUFFIXED.match(label)
    if m:
        return SCHEME[m.group(2).upper()], m.group(1)
    return "I", label  # IO scheme: "PER" on every token of the name


def map_label(label: str, table: Mapping[str, str | None]) -> tuple[str, str, str | None]:
    """(marker, model type, our label or None): the full label is looked up before its type."""
    marker, kind = split_tag(label)
    if marker == "O":
        return marker, kind, None
    full = label.strip().upper()
    target = table[full] if full in table else table.get(kind.upper())
    return marker, kind, target


def aggregate(text: str, tags: Sequence[TokenTag], table: Mapping[str, str | None]) -> list[Span]:
    """Merge token tags (BIO, BIOES, BILOU, IOB1 or plain IO) into entity spans of text."""
    spans: list[Span] = []
    current: _Open | None = None
    prev_end = -1

    def close() -> None:
        nonlocal current
        if current is not None:
            span = _finish(text, current)
            if span is not None:
                spans.append(span)
            current = None

    for tag in sorted(tags, key=lambda t: (t.start, t.end)):
        marker, kind, target = map_label(tag.label, table)
        if target is None:
            close()
        else:
            glued = tag.start == prev_end  # a sub-word piece of the same word
            gap = text[prev_end : tag.start] if prev_end >= 0 else ""
            continues = (
                current is not None
                and current.label == target
                and "\n" not in gap
                # A model trained on first sub-words only may put B or S on later pieces.
                and (glued or (marker in ("I", "E") and not current.closed))
            )
            if continues:
                current.end = tag.end
                current.scores.append(tag.score)
            else:
                close()
                current = _Open(tag.start, tag.end, target, kind, [tag.score])
            if marker in ("E", "S"):
                current.closed = True
        prev_end = tag.end
    close()
    return spans


def _finish(text: str, entity: _Open) -> Span | None:
    """The span of an entity, whitespace trimmed (some tokenizers count the leading space)."""
    start, end = entity.start, entity.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start:
        return None
    score = sum(entity.scores) / len(entity.scores)
    return Span(start, end, entity.label, score, entity.model_label)


class TokenTagger:
    """A local Hugging Face token classifier, run batched on the CPU over sliding windows."""

    def __init__(
        self,
        path: Path | str,
        label_map: Mapping[str, str | None] | Path | str | None = None,
        batch_size: int = 16,
        max_length: int | None = None,
        stride: int | None = None,
    ):
        """Nothing loads until the first call; max_length defaults to the model's limit."""
        self.path = Path(path).expanduser()
        if not self.path.is_dir():
            raise FileNotFoundError(f"NER model folder not found: {self.path}")
        self.table = load_label_map(label_map)
        self.batch_size = max(1, batch_size)
        self._max_length = max_length
        self._stride = stride
        self._loaded: tuple[Any, Any] | None = None

    def _model(self) -> tuple[Any, Any]:
        """(tokenizer, model), loaded from the folder once; never from the network."""
        if self._loaded is None:
            try:
                from transformers import AutoModelForTokenClassification, AutoTokenizer
            except ImportError as exc:  # say which extra, not just the module name
                raise ImportError(
                    "the NER model backend needs: pip install 'axnews[model]'"
                ) from exc
            tokenizer = AutoTokenizer.from_pretrained(self.path, local_files_only=True)
            if not tokenizer.is_fast:
                raise ValueError(
                    f"{self.path}: a fast tokenizer (tokenizer.json) is needed for offsets"
                )
            model = AutoModelForTokenClassification.from_pretrained(
                self.path, local_files_only=True
            )
            model.eval()
            self._loaded = (tokenizer, model)
        return self._loaded

    def window(self) -> tuple[int, int]:
        """(tokens per window, tokens shared by neighbouring windows)."""
        tokenizer, model = self._model()
        length = self._max_length or _model_max_length(tokenizer, model.config)
        stride = self._stride if self._stride is not None else length // 4
        # The tokenizer refuses a stride that leaves no room to advance.
        return length, max(0, min(stride, length // 2 - 1))

    def tag(self, texts: Sequence[str]) -> list[list[Span]]:
        """Entity spans of each text; text[span.start:span.end] is the entity's surface."""
        tokenizer, _ = self._model()
        length, stride = self.window()
        todo = [i for i, t in enumerate(texts) if t.strip()]
        best: list[dict[tuple[int, int], tuple[int, TokenTag]]] = [{} for _ in texts]
        if todo:
            enc = tokenizer(
                [texts[i] for i in todo],
                truncation=True,
                max_length=length,
                stride=stride,
                return_overflowing_tokens=True,
                return_offsets_mapping=True,
                return_special_tokens_mask=True,
            )
            for w, labels, scores in self._predict(enc):
                sample = todo[enc["overflow_to_sample_mapping"][w]]
                offsets, special = enc["offset_mapping"][w], enc["special_tokens_mask"][w]
                _keep_central(best[sample], offsets, special, labels, scores)
        return [
            aggregate(text, [tag for _, tag in found.values()], self.table)
            for text, found in zip(texts, best)
        ]

    def _predict(self, enc: Any) -> list[tuple[int, list[str], list[float]]]:
        """(window index, label per token, probability per token) for every window, batched."""
        import torch

        tokenizer, model = self._model()
        id2label = {int(k): v for k, v in model.config.id2label.items()}
        names = [n for n in tokenizer.model_input_names if n in enc]
        windows = enc["input_ids"]
        # Windows of similar length share a batch: less padding to compute.
        order = sorted(range(len(windows)), key=lambda w: len(windows[w]))
        out: list[tuple[int, list[str], list[float]]] = []
        with torch.no_grad():
            for b in range(0, len(order), self.batch_size):
                batch = order[b : b + self.batch_size]
                inputs = tokenizer.pad(
                    {n: [enc[n][w] for w in batch] for n in names}, return_tensors="pt"
                )
                scores, ids = model(**inputs).logits.softmax(-1).max(-1)
                width = ids.shape[1]
                for row, w in enumerate(batch):
                    # Keep the window's own positions, whichever side the padding went.
                    n = len(windows[w])
                    keep = slice(width - n, width) if tokenizer.padding_side == "left" else slice(n)
                    labels = [id2label[i] for i in ids[row, keep].tolist()]
                    out.append((w, labels, scores[row, keep].tolist()))
        return out


def _keep_central(
    found: dict[tuple[int, int], tuple[int, TokenTag]],
    offsets: Sequence[tuple[int, int]],
    special: Sequence[int],
    labels: Sequence[str],
    scores: Sequence[float],
) -> None:
    """Record each token's tag from the window where it sits farthest from an edge."""
    real = [p for p, s in enumerate(special) if not s]
    if not real:
        return
    first, last = real[0], real[-1]
    for p in real:
        start, end = offsets[p]
        if end <= start:
            continue
        centrality = min(p - first, last - p)
        key = (start, end)
        if key not in found or found[key][0] < centrality:
            found[key] = (centrality, TokenTag(start, end, labels[p], scores[p]))


def _model_max_length(tokenizer: Any, config: Any) -> int:
    """The longest input the model takes, from the tokenizer or else its position table."""
    positions = getattr(config, "max_position_embeddings", None) or FALLBACK_MAX_LENGTH
    if getattr(config, "model_type", "") in OFFSET_POSITION_MODELS:
        positions -= 2
    declared = getattr(tokenizer, "model_max_length", None)
    # Tokenizers without a declared limit report a huge sentinel (1e30).
    if declared and declared < 100_000:
        return min(declared, positions)
    return min(FALLBACK_MAX_LENGTH, positions)
