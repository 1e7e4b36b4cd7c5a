"""The bench scripts' Python environment: pandas and pyarrow in a venv of their own.

`ensure()` re-runs the calling script inside `bench/.venv` (or `$LADDERWISE_BENCH_VENV`),
creating it and installing the pinned packages on first use.
"""

import os
import subprocess
import sys

PACKAGES = ["pandas==2.2.3", "pyarrow==18.1.0", "numpy==2.1.3"]
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def ensure():
    try:
        import pandas  # noqa: F401
        import pyarrow  # noqa: F401

        return
    except ImportError:
        pass
    where = os.environ.get("LADDERWISE_BENCH_VENV", os.path.join(HERE, ".venv"))
    python = os.path.join(where, "bin", "python")
    if os.path.abspath(sys.executable) == os.path.abspath(python):
        sys.exit("pandas is not installed in the bench venv " + where)
    if not os.path.exists(python):
        print(f"creating {where} with {' '.join(PACKAGES)}", file=sys.stderr)
        # `python -m venv`, not `import venv`: this file is itself `venv` on the scripts' path.
        subprocess.run([sys.executable, "-m", "venv", where], check=True)
        subprocess.run([python, "-m", "pip", "install", "-q", *PACKAGES], check=True)
    os.execv(python, [python, *sys.argv])


def binary():
    """The release binary, built if needed."""
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    path = os.path.join(target, "release", "ladderwise")
    subprocess.run(
        ["cargo", "build", "--release", "--locked", "-p", "ladderwise"], cwd=ROOT, check=True
    )
    return path
