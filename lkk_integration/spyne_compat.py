"""Lets spyne 2.14.0, its last release, import on Python 3.12 and 3.13.

spyne vendors an old `six` (spyne/util/six.py) whose `spyne.util.six.moves` modules are served
by a meta-path importer with only `find_module`/`load_module`, which Python 3.12 no longer calls
(arskom/spyne #700, #708, #711: fixed on spyne's master, never released). This module puts a
finder in front that serves those names through that same importer with the `find_spec` API.
It must be imported before spyne is: `lkk_integration/__init__.py` imports it, so every entry
point (the `lkk` command, the WSGI app, gunicorn, tests, benches) has it.

The other gap, spyne's `import cgi` (removed in 3.13, arskom/spyne #712), is filled by the
`legacy-cgi` package, a dependency on 3.13 only (setup.cfg).

On 3.11 nothing is installed (the old API still works there). Delete this module once spyne
releases the fix or the project leaves spyne.
"""
from __future__ import annotations

import importlib.abc
import importlib.util
import sys

_MOVES = "spyne.util.six.moves"


class _SixMovesFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds spyne.util.six.moves.* with find_spec by asking spyne's own six importer."""

    @staticmethod
    def _six_importer(fullname: str):
        for finder in sys.meta_path:
            if type(finder).__name__ == "_SixMetaPathImporter" and \
                    fullname in getattr(finder, "known_modules", {}):
                return finder
        return None

    def find_spec(self, fullname, path=None, target=None):
        if not fullname.startswith(_MOVES) or self._six_importer(fullname) is None:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        return self._six_importer(spec.name).load_module(spec.name)

    def exec_module(self, module):
        """six's load_module has made the module whole already."""


def install() -> None:
    """Put the finder first on sys.meta_path (once), on Python 3.12 and later."""
    if sys.version_info >= (3, 12) and not any(
            isinstance(finder, _SixMovesFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _SixMovesFinder())


install()
