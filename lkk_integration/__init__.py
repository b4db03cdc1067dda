"""LKK OO core: the servicing organizations' data, readings and their use cases.

This package owns the data. It imports neither flask nor spyne: the cabinet (`lkk_web`) and the
SOAP adapter (`lkk_integration.soap`) are thin entrypoints over the same use cases.
"""

# Before any spyne import, on every entry point: spyne 2.14 on Python 3.12+ (spyne_compat.py).
from lkk_integration import spyne_compat  # noqa: E402,F401
