"""The shipped CRF tagger: PERSON/ORG/LOCATION spans from character features.

The model folder holds ``ner.crfsuite`` (python-crfsuite weights), ``clusters.tsv.gz`` (morpheme ->
cluster id, optional) and ``meta.json`` (how it was trained). It loads in a fraction of a second
and takes a few MB per worker; see docs/quality-ner.md.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Sequence
from pathlib import Path

from pipeline.stages.entities.model_backend import Span

from .features import text_features
from .klue import KLUE_LABELS, spans_of

MODEL_DIR = Path(__file__).resolve().parent / "model"
MODEL_FILE = "ner.crfsuite"
CLUSTER_FILE = "clusters.tsv.gz"  # gzip: 0.6 MB in the repository instead of 2.4
META_FILE = "meta.json"
# Longest piece tagged as one sequence: Viterbi is linear, but a bounded piece keeps the
# feature lists of one call small.
MAX_PIECE_CHARS = 2000


def load_clusters(path: Path) -> dict[str, str] | None:
    """morpheme -> cluster id from a gzipped two-column TSV, or None when the file is absent."""
    if not path.is_file():
        return None
    out: dict[str, str] = {}
    for line in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines():
        form, _, cid = line.partition("\t")
        if form and cid:
            out[form] = cid
    return out


class CrfTagger:
    """A python-crfsuite model tagging characters with B-/I-PS, OG, LC or O."""

    def __init__(self, folder: Path | str = MODEL_DIR):
        self.folder = Path(folder)
        path = self.folder / MODEL_FILE
        if not path.is_file():
            raise FileNotFoundError(f"NER model not found: {path} (run `make model`)")
        self.path = path
        self.clusters = load_clusters(self.folder / CLUSTER_FILE)
        meta = self.folder / META_FILE
        self.meta = json.loads(meta.read_text(encoding="utf-8")) if meta.is_file() else {}
        self.version = str(self.meta.get("version", path.stat().st_size))
        self._local = threading.local()  # a crfsuite Tagger is not safe to share across threads

    def _tagger(self):
        tagger = getattr(self._local, "tagger", None)
        if tagger is None:
            import pycrfsuite

            tagger = pycrfsuite.Tagger()
            tagger.open(str(self.path))
            self._local.tagger = tagger
        return tagger

    def tag(
        self,
        text: str,
        tokens: Sequence[tuple[str, str, int, int]],
        gazetteer: Sequence[tuple[int, int, str]] = (),
        titles: frozenset[str] | set[str] = frozenset(),
        labels: frozenset[str] | None = None,
    ) -> list[Span]:
        """PERSON/ORG/LOCATION spans of text (offsets into text), scored by their marginals.

        A span's score is the mean marginal probability of its characters' tags: the rules
        take the model's word only where it is sure (see EntityExtractor). labels: return
        only spans of these labels (the others cost no marginals).
        """
        if not text:
            return []
        feats = text_features(text, tokens, gazetteer, titles, self.clusters)
        tagger = self._tagger()
        out: list[Span] = []
        for offset in range(0, len(feats), MAX_PIECE_CHARS):
            tags = tagger.tag(feats[offset : offset + MAX_PIECE_CHARS])
            for start, end, kind in spans_of(tags):
                if labels is not None and KLUE_LABELS[kind] not in labels:
                    continue
                score = sum(tagger.marginal(tags[i], i) for i in range(start, end)) / (end - start)
                start, end = start + offset, end + offset
                while start < end and text[start].isspace():
                    start += 1
                while end > start and text[end - 1].isspace():
                    end -= 1
                if end > start:
                    out.append(Span(start, end, KLUE_LABELS[kind], score, kind))
        return out
