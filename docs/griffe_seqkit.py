"""Griffe extension used by the docs build (``mkdocs.yml``); not part of seqkit.

Two adjustments, each a no-op when the source already has the shape griffe expects:

1. ``seqkit.params.declare_parameters`` gives each estimator an ``__init__`` defined in
   ``seqkit.params``. Griffe takes ``SequenceClassifier.__init__`` for an alias of
   ``seqkit.params.SequenceClassifier.__init__``, which does not exist, and the build
   fails. Before griffe reads the members of such a class, the ``__init__`` is given the
   class's own module.
2. In a numpydoc line ``name : {"a", "b"}, default="b"`` griffe shows the first choice
   as the default (numpydoc lists the default first). The choices are reordered so that
   the stated default comes first.
"""

from __future__ import annotations

import re

import griffe

_CHOICES = re.compile(
    r"^(?P<head>\s*\w+ : )\{(?P<choices>[^}]*)\}(?P<tail>, default=(?P<default>.+))$"
)


def _default_first(line: str) -> str:
    match = _CHOICES.match(line)
    if not match:
        return line
    choices = [c.strip() for c in match["choices"].split(",")]
    default = match["default"].strip().strip("'\"")
    first = [c for c in choices if c.strip("'\"") == default]
    if not first:
        return line
    ordered = first + [c for c in choices if c not in first]
    return f"{match['head']}{{{', '.join(ordered)}}}{match['tail']}"


class SeqkitDocs(griffe.Extension):
    """See the module docstring."""

    def on_class_instance(self, *, node, cls, agent, **kwargs) -> None:
        runtime = getattr(node, "obj", None)
        init = getattr(runtime, "__dict__", {}).get("__init__")
        if init is not None and getattr(init, "__module__", None) == "seqkit.params":
            init.__module__ = runtime.__module__

    def on_class_members(self, *, node, cls, agent, **kwargs) -> None:
        if cls.docstring is not None:
            lines = cls.docstring.value.split("\n")
            cls.docstring.value = "\n".join(_default_first(line) for line in lines)
